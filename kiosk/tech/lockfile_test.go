package tech_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/kiosk/tech"
	"github.com/hcsc-kz/kiosk/kiosk/uitest"
)

// station is a kiosk that can be restarted: each start is a new Lock over
// the same file and the same clock.
type station struct {
	t    *testing.T
	hash string
	path string
	clk  *uitest.Clock
	lock *tech.Lock
}

const (
	rightPIN = "246813"
	wrongPIN = "111111"
)

func newStation(t *testing.T) *station {
	t.Helper()
	hash, err := tech.HashPIN([]byte(rightPIN), cheap())
	if err != nil {
		t.Fatal(err)
	}
	k := &station{t: t, hash: hash, path: filepath.Join(t.TempDir(), "state", tech.LockFileName),
		clk: uitest.NewClock(time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC))}
	k.restart()
	return k
}

// restart is a power cycle: the old Lock is dropped without a word.
func (k *station) restart() {
	k.t.Helper()
	l, err := tech.NewLock(k.hash, k.path, k.clk.Now)
	if err != nil {
		k.t.Fatal(err)
	}
	k.lock = l
}

func (k *station) try(pin string) error { return k.lock.Try([]byte(pin)) }

// wrongRun types wrong PINs until the lock shuts, and returns how long.
func (k *station) wrongRun() time.Duration {
	k.t.Helper()
	for i := 1; i <= tech.MaxTries; i++ {
		err := k.try(wrongPIN)
		var ae *tech.AttemptError
		if !errors.As(err, &ae) {
			k.t.Fatalf("wrong PIN %d: %v, want an *AttemptError", i, err)
		}
		if i < tech.MaxTries {
			if !errors.Is(err, tech.ErrWrongPIN) {
				k.t.Fatalf("wrong PIN %d: %v, want ErrWrongPIN", i, err)
			}
			continue
		}
		if !errors.Is(err, tech.ErrLocked) {
			k.t.Fatalf("wrong PIN %d: %v, want ErrLocked", i, err)
		}
		return ae.Until.Sub(k.clk.Now())
	}
	return 0
}

// TestLockSurvivesRestart: the wrong tries and the lockout are in the file,
// so a power cycle neither clears the count nor ends the lockout.
func TestLockSurvivesRestart(t *testing.T) {
	k := newStation(t)
	for range tech.MaxTries - 1 {
		k.try(wrongPIN)
	}
	k.restart()
	if err := k.try(wrongPIN); !errors.Is(err, tech.ErrLocked) {
		t.Fatalf("fifth wrong PIN after a restart = %v, want ErrLocked: the four before the restart count", err)
	}
	k.restart()
	until, locked := k.lock.Locked()
	if !locked || !until.Equal(k.clk.Now().Add(tech.Lockout)) {
		t.Fatalf("after a restart Locked() = %v, %t; want locked until %v", until, locked, k.clk.Now().Add(tech.Lockout))
	}
	if err := k.try(rightPIN); !errors.Is(err, tech.ErrLocked) {
		t.Errorf("right PIN during the lockout after a restart = %v, want ErrLocked", err)
	}
	k.clk.Add(tech.Lockout)
	k.restart()
	if err := k.try(rightPIN); err != nil {
		t.Errorf("right PIN after the lockout = %v, want nil", err)
	}
}

// TestLockEscalates: each run of wrong PINs locks longer than the one
// before, up to a cap; restarts in between change nothing; only the right
// PIN starts over at the base lockout.
func TestLockEscalates(t *testing.T) {
	k := newStation(t)
	want := []time.Duration{5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 24 * time.Hour, 24 * time.Hour}
	for i, w := range want {
		got := k.wrongRun()
		if got != w {
			t.Fatalf("lockout %d lasts %v, want %v", i+1, got, w)
		}
		if tech.LockoutFor(i+1) != w {
			t.Errorf("LockoutFor(%d) = %v, want %v", i+1, tech.LockoutFor(i+1), w)
		}
		k.restart()
		k.clk.Add(w - time.Second)
		if err := k.try(rightPIN); !errors.Is(err, tech.ErrLocked) {
			t.Fatalf("lockout %d: right PIN a second before its end = %v, want ErrLocked", i+1, err)
		}
		k.clk.Add(time.Second)
		k.restart()
	}
	if err := k.try(rightPIN); err != nil {
		t.Fatalf("right PIN after the last lockout = %v", err)
	}
	k.restart()
	if got := k.wrongRun(); got != tech.Lockout {
		t.Errorf("after the right PIN the next lockout lasts %v, want the base %v", got, tech.Lockout)
	}
}

// TestLockFileUnreadable: a missing file is a kiosk that never saw a wrong
// PIN; a file that cannot be read or makes no sense locks technician mode
// for the base lockout, and the kiosk still starts.
func TestLockFileUnreadable(t *testing.T) {
	tests := map[string]struct {
		content string // "" with dir: the path is a folder
		dir     bool
		locked  bool
	}{
		"missing":            {},
		"garbage":            {content: "\x00\x01 not json", locked: true},
		"empty":              {content: "", locked: true},
		"truncated":          {content: `{"wrong":`, locked: true},
		"negative count":     {content: `{"wrong":-3,"lockouts":0}`, locked: true},
		"count past the max": {content: `{"wrong":99,"lockouts":0}`, locked: true},
		"a folder":           {dir: true, locked: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			k := newStation(t)
			os.Remove(k.path)
			switch {
			case tc.dir:
				if err := os.MkdirAll(k.path, 0o700); err != nil {
					t.Fatal(err)
				}
			case name != "missing":
				if err := os.MkdirAll(filepath.Dir(k.path), 0o700); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(k.path, []byte(tc.content), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			k.restart()
			until, locked := k.lock.Locked()
			if locked != tc.locked {
				t.Fatalf("Locked() = %v, %t; want %t", until, locked, tc.locked)
			}
			if (k.lock.StateErr() != nil) != tc.locked {
				t.Errorf("StateErr() = %v, want an error only for an unreadable file", k.lock.StateErr())
			}
			if !locked {
				if err := k.try(rightPIN); err != nil {
					t.Errorf("right PIN = %v", err)
				}
				return
			}
			if want := k.clk.Now().Add(tech.Lockout); !until.Equal(want) {
				t.Errorf("locked until %v, want the base lockout, until %v", until, want)
			}
			k.clk.Add(tech.Lockout)
			if tc.dir {
				return // nothing can be saved there; the lock is in memory only
			}
			if err := k.try(rightPIN); err != nil {
				t.Errorf("right PIN after the base lockout = %v", err)
			}
		})
	}
}

// TestLockFileClockBack: a lockout saved under a clock that later went back
// (a board whose clock restarts from its build date until NTP answers) is
// cut to its own length from now, not served for years.
func TestLockFileClockBack(t *testing.T) {
	k := newStation(t)
	k.wrongRun()
	k.clk.Add(-10 * 365 * 24 * time.Hour)
	k.restart()
	until, locked := k.lock.Locked()
	if want := k.clk.Now().Add(tech.Lockout); !locked || until.After(want) {
		t.Errorf("after the clock went back 10 years Locked() = %v, %t; want locked until %v at most", until, locked, want)
	}
}

// TestLockFileMode: the file is the kiosk user's alone, and no temporary
// file is left beside it.
func TestLockFileMode(t *testing.T) {
	k := newStation(t)
	k.try(wrongPIN)
	fi, err := os.Stat(k.path)
	if err != nil {
		t.Fatalf("no lock file after a wrong PIN: %v", err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("lock file mode %v, want 0600", fi.Mode().Perm())
	}
	ents, err := os.ReadDir(filepath.Dir(k.path))
	if err != nil {
		t.Fatal(err)
	}
	if len(ents) != 1 {
		t.Errorf("state folder holds %d entries, want the lock file alone: %v", len(ents), ents)
	}
}

// TestLockFileUnwritable: a wrong try that cannot be saved would be
// forgotten by a restart, a free guess; so the PIN is not checked and
// technician mode stays shut for the base lockout.
func TestLockFileUnwritable(t *testing.T) {
	k := newStation(t)
	// A file where the state folder should be, once the kiosk runs:
	// nothing can be created under it.
	if err := os.WriteFile(filepath.Dir(k.path), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	err := k.try(rightPIN)
	var ae *tech.AttemptError
	if !errors.Is(err, tech.ErrLocked) || !errors.As(err, &ae) || ae.Cause == nil {
		t.Fatalf("right PIN with an unwritable lock file = %v, want ErrLocked with the cause", err)
	}
	if !ae.Until.Equal(k.clk.Now().Add(tech.Lockout)) {
		t.Errorf("locked until %v, want the base lockout", ae.Until)
	}
}
