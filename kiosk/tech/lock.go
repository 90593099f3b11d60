package tech

import (
	"errors"
	"fmt"
	"sync"
	"time"
)

// MaxTries wrong PINs in a row lock technician mode for Lockout.
const (
	MaxTries = 5
	Lockout  = 5 * time.Minute
)

// Errors of a PIN try. They arrive as an *AttemptError.
var (
	// ErrWrongPIN: the PIN does not match; AttemptError.Left says how many
	// tries remain before the lockout.
	ErrWrongPIN = errors.New("tech: wrong PIN")
	// ErrLocked: too many wrong PINs; AttemptError.Until says when the
	// next try is allowed.
	ErrLocked = errors.New("tech: technician mode locked after too many wrong PINs")
)

// AttemptError is a PIN try that did not open technician mode. It carries
// neither the PIN typed nor the hash.
type AttemptError struct {
	Err   error     // ErrWrongPIN or ErrLocked
	Left  int       // tries left before the lockout, for ErrWrongPIN
	Until time.Time // the end of the lockout, for ErrLocked
}

// Error says what happened and what is left.
func (e *AttemptError) Error() string {
	if errors.Is(e.Err, ErrLocked) {
		return fmt.Sprintf("%v; try again after %s", e.Err, e.Until.Format("15:04:05"))
	}
	if e.Left == 1 {
		return fmt.Sprintf("%v; 1 try left", e.Err)
	}
	return fmt.Sprintf("%v; %d tries left", e.Err, e.Left)
}

// Unwrap returns ErrWrongPIN or ErrLocked.
func (e *AttemptError) Unwrap() error { return e.Err }

// Lock guards technician mode with the PIN hash: it counts wrong PINs and
// locks out after MaxTries of them in a row, for Lockout on its clock. The
// count lives as long as the Lock, which the kiosk keeps for as long as it
// runs: leaving the PIN page and coming back does not reset it, a restart
// of the kiosk does. Its methods are safe from several goroutines; tries
// are taken one at a time, so guesses cannot run in parallel.
type Lock struct {
	hash *Hash
	now  func() time.Time

	mu    sync.Mutex
	wrong int       // wrong PINs in a row
	until time.Time // end of the lockout; zero: none
}

// NewLock parses the PIN hash (technician.pin_hash) and returns the lock;
// now is the clock (nil: time.Now). An empty hash is an error: technician
// mode is then off, and the caller should not ask for a Lock.
func NewLock(pinHash string, now func() time.Time) (*Lock, error) {
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
	return &Lock{hash: h, now: now}, nil
}

// Locked returns the end of the lockout when technician mode is locked
// now.
func (l *Lock) Locked() (until time.Time, locked bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.now().Before(l.until) {
		return l.until, true
	}
	return time.Time{}, false
}

// Try checks a PIN. It returns nil when it is right, and an *AttemptError
// otherwise. While locked out it does not even hash the PIN. The caller
// owns pin and should zero it after.
func (l *Lock) Try(pin []byte) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now := l.now(); now.Before(l.until) {
		return &AttemptError{Err: ErrLocked, Until: l.until}
	}
	if l.hash.Verify(pin) {
		l.wrong = 0
		return nil
	}
	l.wrong++
	if l.wrong >= MaxTries {
		// The clock is read after the hash, which takes a while.
		l.wrong, l.until = 0, l.now().Add(Lockout)
		return &AttemptError{Err: ErrLocked, Until: l.until}
	}
	return &AttemptError{Err: ErrWrongPIN, Left: MaxTries - l.wrong}
}
