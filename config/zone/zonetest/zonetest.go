// Package zonetest runs a test in a child process whose ZONEINFO names old
// zone files: files that put Kazakhstan's zones at +06, as images older than
// tzdata 2024a do. The time package reads ZONEINFO once per process, so only
// a fresh process shows what a kiosk started on such an image would do.
package zonetest

import (
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
	"time"
)

// childEnv names the test a child process runs under old zone files.
const childEnv = "KIOSK_ZONETEST_CHILD"

// UnderOldZoneinfo reports whether the caller runs in the child: there it
// returns true and the test checks what it must. In the parent it builds the
// old zone files in t.TempDir(), runs the test again in a child with ZONEINFO
// pointing at them, fails t when the child fails and returns false. Call it
// first thing in a top-level test (not a subtest).
func UnderOldZoneinfo(t *testing.T) bool {
	t.Helper()
	if os.Getenv(childEnv) == t.Name() {
		// The files must fool the time package, or the test proves nothing.
		loc, err := time.LoadLocation("Asia/Almaty")
		if err != nil {
			t.Fatalf("time.LoadLocation(Asia/Almaty) under ZONEINFO=%s: %v", os.Getenv("ZONEINFO"), err)
		}
		if _, off := time.Date(2024, time.March, 1, 12, 0, 0, 0, loc).Zone(); off != 6*60*60 {
			t.Fatalf("time.LoadLocation(Asia/Almaty) under the old files is UTC%+d on 2024-03-01, want +6", off/3600)
		}
		return true
	}
	dir := t.TempDir()
	for _, name := range []string{"Asia/Almaty", "Asia/Qostanay", "Asia/Aqtobe", "Asia/Oral", "Asia/Atyrau", "Asia/Aqtau", "Asia/Qyzylorda"} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, plus6(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(os.Args[0], "-test.run=^"+regexp.QuoteMeta(t.Name())+"$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), "ZONEINFO="+dir, childEnv+"="+t.Name())
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s under old zone files (ZONEINFO=%s): %v\n%s", t.Name(), dir, err, out)
	}
	if !regexp.MustCompile(`(?m)^--- PASS: ` + regexp.QuoteMeta(t.Name()) + `\b`).Match(out) {
		t.Fatalf("%s did not run in the child:\n%s", t.Name(), out)
	}
	return false
}

// plus6 is a version 1 TZif file with no transitions and one local time
// type, "+06" at UTC+6: Almaty as zone files before tzdata 2024a have it
// today.
func plus6() []byte {
	b := []byte("TZif")
	b = append(b, 0)                               // version 1
	b = append(b, make([]byte, 15)...)             // reserved
	for _, n := range []uint32{0, 0, 0, 0, 1, 4} { // isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt
		b = binary.BigEndian.AppendUint32(b, n)
	}
	b = binary.BigEndian.AppendUint32(b, 6*60*60) // utoff
	b = append(b, 0, 0)                           // isdst, abbreviation index
	return append(b, "+06\x00"...)
}
