package hall

import (
	"os"
	"path/filepath"
	"testing"
)

// fakeEspeakPath writes a stand-in for espeak-ng that answers every
// phrase with a short WAV streamed as espeak-ng streams it (placeholder
// sizes), and returns its path.
func fakeEspeakPath(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	b := wavFile(sampleRate, chime(sampleRate)[:sampleRate])
	copy(b[4:8], "\x24\xf0\xff\x7f")
	copy(b[40:44], "\x00\xf0\xff\x7f")
	if err := os.WriteFile(filepath.Join(dir, "speech.wav"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "espeak-ng")
	if err := os.WriteFile(path, []byte("#!/bin/sh\ncat "+filepath.Join(dir, "speech.wav")+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

// FakeEspeak is fakeEspeakPath for the package's external tests.
func FakeEspeak(t testing.TB) string { return fakeEspeakPath(t) }
