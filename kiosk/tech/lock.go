package tech

import (
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"time"

	"github.com/hcsc-kz/kiosk/config"
)

// MaxTries wrong PINs in a row lock technician mode; the first lockout
// lasts Lockout, each one after it longer, up to MaxLockout (LockoutFor).
const (
	MaxTries   = 5
	Lockout    = 5 * time.Minute
	MaxLockout = 24 * time.Hour
)

// LockoutFor is how long the n-th lockout since the last right PIN lasts
// (n from 1): 5 min, 30 min, 2 h, then 24 h each. A guesser gets five PINs
// per lockout, so a million six-digit PINs take centuries, while a
// technician who mistyped five times waits five minutes.
func LockoutFor(n int) time.Duration {
	switch {
	case n <= 1:
		return Lockout
	case n == 2:
		return 30 * time.Minute
	case n == 3:
		return 2 * time.Hour
	}
	return MaxLockout
}

// Errors of a PIN try. They arrive as an *AttemptError.
var (
	// ErrWrongPIN: the PIN does not match; AttemptError.Left says how many
	// tries remain before the lockout.
	ErrWrongPIN = errors.New("tech: wrong PIN")
	// ErrLocked: too many wrong PINs, or a try that could not be counted;
	// AttemptError.Until says when the next try is allowed.
	ErrLocked = errors.New("tech: technician mode locked after too many wrong PINs")
)

// AttemptError is a PIN try that did not open technician mode. It carries
// neither the PIN typed nor the hash.
type AttemptError struct {
	Err   error     // ErrWrongPIN or ErrLocked
	Left  int       // tries left before the lockout, for ErrWrongPIN
	Until time.Time // the end of the lockout, for ErrLocked
	// Cause, with ErrLocked, is why the try could not be counted (the
	// lock file could not be written); nil for a lockout earned by wrong
	// PINs.
	Cause error
}

// Error says what happened and what is left.
func (e *AttemptError) Error() string {
	if errors.Is(e.Err, ErrLocked) {
		// With the date: a lockout may last into the next day.
		s := fmt.Sprintf("%v; try again after %s", e.Err, e.Until.Format(time.DateTime))
		if e.Cause != nil {
			s += fmt.Sprintf(" (the try was not counted: %v)", e.Cause)
		}
		return s
	}
	if e.Left == 1 {
		return fmt.Sprintf("%v; 1 try left", e.Err)
	}
	return fmt.Sprintf("%v; %d tries left", e.Err, e.Left)
}

// Unwrap returns ErrWrongPIN or ErrLocked, and the cause when there is one.
func (e *AttemptError) Unwrap() []error {
	if e.Cause != nil {
		return []error{e.Err, e.Cause}
	}
	return []error{e.Err}
}

// LockFileName is the lock file's name in the kiosk's state folder.
const LockFileName = "technician-lock.json"

// LockFile is where a kiosk keeps its PIN lockout: <state_dir>/technician-lock.json.
func LockFile(k config.Kiosk) string { return filepath.Join(k.StateDir, LockFileName) }

// Lock guards technician mode with the PIN hash: it counts wrong PINs and
// locks out after MaxTries of them in a row, for longer each time
// (LockoutFor), on its clock. Only the right PIN resets the count and the
// escalation. The state is kept in a file (LockFile), written before the
// PIN is even hashed, so neither leaving the PIN page nor restarting the
// kiosk (a power cut, a crash) gives a guesser fresh tries. Its methods are
// safe from several goroutines; tries are taken one at a time, so guesses
// cannot run in parallel.
type Lock struct {
	hash    *Hash
	now     func() time.Time
	path    string // "": memory only
	loadErr error

	mu sync.Mutex
	st lockState
}

// NewLock parses the PIN hash (technician.pin_hash) and returns the lock
// with the state saved at path (LockFile; "" keeps it in memory, for tests
// and examples only); now is the clock (nil: time.Now). An empty hash is an
// error: technician mode is then off, and the caller should not ask for a
// Lock.
//
// A state file that cannot be read or makes no sense does not stop the
// kiosk: the Lock starts locked for the base Lockout, and StateErr says
// why. It does not start unlocked: otherwise whoever could spoil the file
// (or a power cut that did) would wipe the count, and every spoilt file
// would be five fresh guesses. A missing file is a kiosk that has never
// seen a wrong PIN.
func NewLock(pinHash, path string, now func() time.Time) (*Lock, error) {
	if pinHash == "" {
		return nil, &HashError{Detail: "empty; technician mode is off"}
	}
	h, err := ParseHash(pinHash)
	if err != nil {
		return nil, err
	}
	if now == nil {
		now = time.Now
	}
	l := &Lock{hash: h, now: now, path: path}
	if path == "" {
		return l, nil
	}
	st, err := loadLockState(path)
	t := now()
	switch {
	case err != nil:
		l.loadErr = err
		st = lockState{Lockouts: 1, Until: t.Add(Lockout)}
		l.save(st) // best effort: replace the spoilt file with a sound one
	case st.Wrong >= MaxTries:
		// The try that earned a lockout was saved, the lockout not: the
		// kiosk stopped in between.
		st = st.lockedOut(t)
		l.save(st)
	case st.Until.After(t.Add(LockoutFor(st.Lockouts))):
		// Saved under a clock that has since gone back (a board that
		// starts from its build date until NTP answers): serve the
		// lockout's length from now, not years.
		st.Until = t.Add(LockoutFor(st.Lockouts))
	}
	l.st = st
	return l, nil
}

// StateErr is why the lock file could not be read at NewLock (the Lock then
// started locked for Lockout), or nil. It is for the kiosk's log.
func (l *Lock) StateErr() error { return l.loadErr }

// Locked returns the end of the lockout when technician mode is locked
// now.
func (l *Lock) Locked() (until time.Time, locked bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.now().Before(l.st.Until) {
		return l.st.Until, true
	}
	return time.Time{}, false
}

// Try checks a PIN. It returns nil when it is right, and an *AttemptError
// otherwise. While locked out it does not even hash the PIN. The caller
// owns pin and should zero it after.
//
// The try is counted as wrong in the file before the PIN is hashed, and
// the count cleared when it was right: a kiosk stopped while hashing has
// spent the try. When the count cannot be saved the PIN is not checked:
// a try a restart would forget is a free guess. Technician mode then stays
// shut for Lockout (ErrLocked with the Cause), and opens again once the
// file can be written.
func (l *Lock) Try(pin []byte) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if now.Before(l.st.Until) {
		return &AttemptError{Err: ErrLocked, Until: l.st.Until}
	}
	counted := l.st
	counted.Wrong++
	if err := l.save(counted); err != nil {
		l.st.Until = now.Add(Lockout)
		return &AttemptError{Err: ErrLocked, Until: l.st.Until, Cause: err}
	}
	l.st = counted
	if l.hash.Verify(pin) {
		l.st = lockState{}
		// A reset that cannot be saved leaves a count of wrong tries that
		// the right PIN would clear next time; it does not keep the
		// technician out now.
		l.save(l.st)
		return nil
	}
	if l.st.Wrong < MaxTries {
		return &AttemptError{Err: ErrWrongPIN, Left: MaxTries - l.st.Wrong}
	}
	// The clock is read after the hash, which takes a while. Should the
	// save fail, the count saved above already says a lockout is due.
	l.st = l.st.lockedOut(l.now())
	l.save(l.st)
	return &AttemptError{Err: ErrLocked, Until: l.st.Until}
}

func (l *Lock) save(st lockState) error {
	if l.path == "" {
		return nil
	}
	return st.save(l.path)
}
