package hall

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestParsePhrase(t *testing.T) {
	for _, tc := range []struct{ number, window, kk, ru string }{
		{"A042", "3", "Нөмір А 42, үшінші терезеге келіңіз.", "Номер А 42, окно 3."},
		{"AP007", "12", "Нөмір А Пэ 7, он екінші терезеге келіңіз.", "Номер А Пэ 7, окно 12."},
		{"KAB1000", "40", "Нөмір Ка А Бэ 1000, қырқыншы терезеге келіңіз.", "Номер Ка А Бэ 1000, окно 40."},
		{"A000", "20", "Нөмір А 0, жиырмасыншы терезеге келіңіз.", "Номер А 0, окно 20."},
		{"B123456", "100", "Нөмір Бэ 123456, жүзінші терезеге келіңіз.", "Номер Бэ 123456, окно 100."},
		{"A100", "245", "Нөмір А 100, екі жүз қырық бесінші терезеге келіңіз.", "Номер А 100, окно 245."},
		{"A101", "109", "Нөмір А 101, жүз тоғызыншы терезеге келіңіз.", "Номер А 101, окно 109."},
		{"A101", "91", "Нөмір А 101, тоқсан бірінші терезеге келіңіз.", "Номер А 101, окно 91."},
	} {
		p, err := ParsePhrase(tc.number, tc.window)
		if err != nil || p.KK != tc.kk || p.RU != tc.ru {
			t.Errorf("ParsePhrase(%q, %q) = %q, %q, %v;\nwant %q, %q", tc.number, tc.window, p.KK, p.RU, err, tc.kk, tc.ru)
		}
	}
	for _, tc := range [][2]string{
		{"", "3"}, {"A042", ""}, {"a042", "3"}, {"A42", "3"}, {"A0421234", "3"}, {"ABCDEFGHI123", "3"},
		{"A042 ", "3"}, {"А042", "3"}, {"042", "3"}, {"A-042", "3"}, {"A042", "0"}, {"A042", "03"},
		{"A042", "1000"}, {"A042", "3a"}, {"A042", "-1"}, {"A042", " 3"}, {"A042", "+3"}, {"A042", "٣"},
	} {
		if _, err := ParsePhrase(tc[0], tc[1]); err != ErrPhrase {
			t.Errorf("ParsePhrase(%q, %q) = %v, want ErrPhrase", tc[0], tc[1], err)
		}
	}
}

// TestKazakhOrdinals: every window has its ordinal, the last word only
// taking the ending.
func TestKazakhOrdinals(t *testing.T) {
	for n := 1; n <= MaxWindow; n++ {
		words := strings.Fields(kazakhOrdinal(n))
		last := words[len(words)-1]
		if !strings.HasSuffix(last, "ншы") && !strings.HasSuffix(last, "нші") {
			t.Errorf("%d: %q does not end as an ordinal", n, kazakhOrdinal(n))
		}
		for _, w := range words[:len(words)-1] {
			if strings.HasSuffix(w, "ншы") || strings.HasSuffix(w, "нші") {
				t.Errorf("%d: %q has an ordinal before its last word", n, kazakhOrdinal(n))
			}
		}
	}
}

func TestPCMOf(t *testing.T) {
	pcm := chime(sampleRate)
	rate, got, err := pcmOf(wavFile(sampleRate, pcm))
	if err != nil || rate != sampleRate || !bytes.Equal(got, pcm) {
		t.Fatalf("round trip: rate %d, %d bytes of %d, %v", rate, len(got), len(pcm), err)
	}
	for _, bad := range [][]byte{nil, []byte("RIFF"), []byte("RIFF\x00\x00\x00\x00WAVEdata\x00\x00\x00\x00"),
		[]byte("RIFF\x00\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x03\x00\x01\x00\x22\x56\x00\x00\x44\xac\x00\x00\x02\x00\x10\x00data\x00\x00\x00\x00")} {
		if _, _, err := pcmOf(bad); err == nil {
			t.Errorf("pcmOf(%q) took it", bad)
		}
	}
}

// TestSpeakerMissing: without espeak-ng the announcement is the chime
// alone, and New says so once.
func TestSpeakerMissing(t *testing.T) {
	var log bytes.Buffer
	s, err := NewSpeaker(SpeakerOptions{Espeak: "/nonexistent/espeak-ng", Logger: slog.New(slog.NewTextHandler(&log, nil))})
	if err != nil {
		t.Fatal(err)
	}
	p, _ := ParsePhrase("A042", "3")
	for range 3 {
		wav, err := s.Announce(context.Background(), p)
		if err != nil || !bytes.Equal(wav, s.Chime()) {
			t.Fatalf("Announce without espeak-ng = %d bytes, %v; want the chime", len(wav), err)
		}
	}
	if s.Speaks() || strings.Count(log.String(), "espeak-ng not found") != 1 || !strings.Contains(log.String(), "level=WARN") {
		t.Errorf("want one warning, got %q", log.String())
	}
	if _, _, err := pcmOf(s.Chime()); err != nil {
		t.Errorf("the chime is no WAV: %v", err)
	}
}

// TestSpeakerOnce: one phrase asked for by many displays at once runs
// espeak-ng once per voice; the cache keeps only its size.
func TestSpeakerOnce(t *testing.T) {
	s, err := NewSpeaker(SpeakerOptions{Espeak: fakeEspeakPath(t), CacheSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	p, _ := ParsePhrase("A042", "3")
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if _, err := s.Announce(context.Background(), p); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := s.Runs(); n != 2 {
		t.Fatalf("8 displays at once ran espeak-ng %d times, want 2", n)
	}
	for _, w := range []string{"1", "2", "3"} {
		q, _ := ParsePhrase("A042", w)
		s.Announce(context.Background(), q)
	}
	if len(s.cache) != 2 || len(s.order) != 2 {
		t.Errorf("cache holds %d (order %d), want its size 2", len(s.cache), len(s.order))
	}
}

// TestSpeakerFails: a synthesiser that fails is an error, not a cached
// announcement.
func TestSpeakerFails(t *testing.T) {
	s, err := NewSpeaker(SpeakerOptions{Espeak: "false"})
	if err != nil {
		t.Fatal(err)
	}
	p, _ := ParsePhrase("A042", "3")
	for range 2 {
		if _, err := s.Announce(context.Background(), p); err == nil {
			t.Fatal("a failing espeak-ng gave an announcement")
		}
	}
	if s.Runs() != 2 {
		t.Errorf("runs = %d: a failure must not be cached", s.Runs())
	}
}

// TestSpeakerReal: the real espeak-ng says the phrases, reading the
// number as forty-two, not "zero forty-two".
func TestSpeakerReal(t *testing.T) {
	path, err := exec.LookPath("espeak-ng")
	if err != nil {
		t.Skip("espeak-ng is not installed")
	}
	s, err := NewSpeaker(SpeakerOptions{Espeak: path})
	if err != nil {
		t.Fatal(err)
	}
	p, _ := ParsePhrase("A042", "3")
	wav, err := s.Announce(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	_, pcm, err := pcmOf(wav)
	if err != nil {
		t.Fatal(err)
	}
	chimeSecs := float64(len(chime(sampleRate))) / 2 / sampleRate
	if secs := float64(len(pcm)) / 2 / sampleRate; secs < chimeSecs+3 || secs > 20 {
		t.Errorf("announcement lasts %.1f s (the chime %.1f s)", secs, chimeSecs)
	}
	if again, _ := s.Announce(context.Background(), p); s.Runs() != 2 || !bytes.Equal(again, wav) {
		t.Errorf("the second announcement ran espeak-ng again (%d runs)", s.Runs())
	}
	for _, tc := range []struct{ voice, text, want, not string }{
		{"kk", p.KK, "q'@r@qj'ekI", "n'YL"},   // қырық екі, no нөл
		{"kk", p.KK, "u#SInS'I", ""},          // үшінші
		{"ru", p.RU, "s'o@-*Okdv'A", "n'ojl"}, // сорок два, no ноль
		{"ru", p.RU, "tR;'i", ""},             // три
	} {
		out, err := exec.Command(path, "-v", tc.voice, "-q", "-x", "--", tc.text).Output()
		if err != nil {
			t.Fatal(err)
		}
		if ph := string(out); !strings.Contains(ph, tc.want) || (tc.not != "" && strings.Contains(ph, tc.not)) {
			t.Errorf("%s %q reads %q: want %q, not %q", tc.voice, tc.text, ph, tc.want, tc.not)
		}
	}
}

func BenchmarkAnnounce(b *testing.B) {
	path, err := exec.LookPath("espeak-ng")
	if err != nil {
		b.Skip("espeak-ng is not installed")
	}
	s, err := NewSpeaker(SpeakerOptions{Espeak: path, CacheSize: 1 << 20})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("first", func(b *testing.B) {
		i := 0
		for b.Loop() {
			i++
			p, _ := ParsePhrase(fmt.Sprintf("A%03d", i%1000), fmt.Sprint(1+i/1000))
			if _, err := s.Announce(context.Background(), p); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cached", func(b *testing.B) {
		p, _ := ParsePhrase("A001", "1")
		for b.Loop() {
			if _, err := s.Announce(context.Background(), p); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestSpeakerBusy: phrases beyond maxPending waiting for synthesis are
// refused at once, not queued without end.
func TestSpeakerBusy(t *testing.T) {
	dir := t.TempDir()
	gate := filepath.Join(dir, "go")
	// The stand-in waits for the test's word, so the phrases stay pending.
	script := "#!/bin/sh\nwhile [ ! -e " + gate + " ]; do sleep 0.01; done\ncat " + filepath.Join(filepath.Dir(fakeEspeakPath(t)), "speech.wav") + "\n"
	path := filepath.Join(dir, "espeak-ng")
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	s, err := NewSpeaker(SpeakerOptions{Espeak: path})
	if err != nil {
		t.Fatal(err)
	}
	// A caller that gives up at once leaves its phrase pending.
	gone, cancel := context.WithCancel(context.Background())
	cancel()
	var pending []Phrase
	for i := range maxPending {
		p, _ := ParsePhrase(fmt.Sprintf("A%03d", i), "1")
		pending = append(pending, p)
		if _, err := s.Announce(gone, p); err != context.Canceled {
			t.Fatalf("pending %d: %v", i, err)
		}
	}
	p, _ := ParsePhrase("B001", "1")
	if _, err := s.Announce(context.Background(), p); err != ErrBusy {
		t.Errorf("announcement beyond %d pending = %v, want ErrBusy", maxPending, err)
	}
	if err := os.WriteFile(gate, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	// Each pending phrase is synthesised once all the same.
	for _, p := range pending {
		if _, err := s.Announce(context.Background(), p); err != nil {
			t.Fatal(err)
		}
	}
	if n := s.Runs(); n != 2*maxPending {
		t.Errorf("runs = %d, want %d", n, 2*maxPending)
	}
}

// TestSpeakerDeadline: the timeout bounds the whole announcement, the
// wait for a free espeak-ng slot included, so that no queue of minutes
// builds up behind a stuck synthesis.
func TestSpeakerDeadline(t *testing.T) {
	s, err := NewSpeaker(SpeakerOptions{Espeak: fakeEspeakPath(t), Parallel: 1, Timeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	s.slots <- struct{}{} // the one slot busy, as with a stuck synthesis
	p, _ := ParsePhrase("A042", "3")
	done := make(chan error, 1)
	go func() {
		_, err := s.Announce(context.Background(), p)
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("announcement waiting for a slot = %v, want its deadline", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the announcement waited for a slot past its timeout")
	}
	<-s.slots
	if n := s.Runs(); n != 0 {
		t.Errorf("espeak-ng ran %d times past the deadline", n)
	}
	// The phrase was not left pending: with the slot free it is said. The
	// deadline was the point above; here a loaded machine may take longer
	// than 100 ms to start the stand-in, so it must not kill it.
	s.timeout = time.Minute
	if _, err := s.Announce(context.Background(), p); err != nil {
		t.Fatal(err)
	}
}
