package uplink

import (
	"context"
	"errors"
	"net/http"
	"slices"
)

// maxEntryFaults is how many entries in a row may fail on their own
// (oneEntry) before a pass stops: one is an entry the backend cannot take,
// several in a row a backend that takes none (a sick database, a captive
// portal answering 200 to everything), and each costs up to SubmitWait.
const maxEntryFaults = 2

// Sync makes one pass over the outbox: it delivers every entry it can,
// sends again the refused ones that may be accepted now (Retryable), tops
// up the lent numbers and relearns the kiosk's numbering when due. It
// returns how many entries were delivered and the errors it met.
//
// An entry that fails on its own (oneEntry) does not hold up the others:
// the pass goes on to the next, and the next pass sends it after the rest.
// A failure about the link or the backend as a whole (no answer, 401, 429,
// a gateway's 502 to 504, the outbox itself) ends the delivery at once, so
// an outage costs one wait per pass, not one per entry.
func (u *Uplink) Sync(ctx context.Context) (int, error) {
	sent, stopped, err := u.deliverPending(ctx)
	if stopped {
		return sent, err
	}
	n, rerr := u.retryRejected(ctx)
	sent += n
	if rerr != nil {
		return sent, errors.Join(err, rerr)
	}
	var lerr, nerr error
	if u.o.LendSize > 0 {
		lerr = u.topUp(ctx)
	}
	// A refused top-up (409 lend-limit: a new outbox of a kiosk that has
	// borrowed its fill today) still leaves the numbering to learn; one
	// the backend did not answer leaves no backend to ask.
	if lerr == nil || errors.Is(lerr, ErrRejected) {
		nerr = u.refreshNumbering(ctx)
	}
	return sent, errors.Join(err, lerr, nerr)
}

// deliverPending sends the entries waiting for delivery, oldest first but
// those that failed on their own last pass after the rest. stopped is
// true when a failure ended the pass early (the rest of Sync is skipped).
func (u *Uplink) deliverPending(ctx context.Context) (sent int, stopped bool, err error) {
	pending, err := u.out.Pending(ctx, 256)
	if err != nil {
		return 0, true, err
	}
	ids := make([]string, len(pending))
	for i, e := range pending {
		ids[i] = e.App.ID
	}
	u.mu.Lock()
	failed := u.failed
	u.failed = map[string]int{}
	for _, id := range ids {
		// Entries no longer pending (delivered, refused, set aside)
		// are forgotten here.
		if n, ok := failed[id]; ok {
			u.failed[id] = n
		}
	}
	slices.SortStableFunc(ids, func(a, b string) int {
		na, fa := u.failed[a]
		nb, fb := u.failed[b]
		switch {
		case fa && fb:
			return na - nb
		case fa:
			return 1
		case fb:
			return -1
		}
		return 0
	})
	u.mu.Unlock()

	var errs []error
	inRow := 0
	for _, id := range ids {
		ok, err := u.deliver(ctx, id)
		if err == nil {
			inRow = 0
			if ok {
				sent++
			}
			continue
		}
		errs = append(errs, err)
		if !oneEntry(err) {
			return sent, true, errors.Join(errs...)
		}
		u.mu.Lock()
		u.failures++
		u.failed[id] = u.failures
		u.mu.Unlock()
		if inRow++; inRow == maxEntryFaults {
			return sent, true, errors.Join(errs...)
		}
	}
	return sent, false, errors.Join(errs...)
}

// oneEntry tells a failure to deliver that is about the one entry: the
// backend answered it with a 500 (or another 5xx that is not a gateway's
// or an overload's), or with a 2xx whose body the kiosk cannot read. The
// same request gets the same answer, while the next entry may be taken.
// No answer, a 401 or 429, a 502, 503 or 504, and an error of the outbox
// itself are about every entry alike.
func oneEntry(err error) bool {
	var ae *AnswerError
	if !errors.As(err, &ae) {
		return false
	}
	if ae.Err != nil {
		return true
	}
	switch ae.Status {
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return false
	}
	return ae.Status >= 500
}
