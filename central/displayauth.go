package central

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/hcsc-kz/kiosk/central/api"
)

// ErrDisplayToken: a hall display's address carried no token, or one that
// is malformed, unknown, revoked or not a display token. It says nothing of
// which.
var ErrDisplayToken = errors.New("central: not a valid display token")

// ErrDisplayBranch: a valid display token of another branch.
var ErrDisplayBranch = errors.New("central: the display token is for another branch")

// CheckDisplayToken checks a hall display's token, the one carried in its
// address (a TV browser cannot send a header): a token of role display for
// branch. It asks the store through the token cache, as a request's bearer
// token is, so a revoked token stops working within Options.TokenCache.
// Errors: ErrDisplayToken, ErrDisplayBranch, or the store's error (which
// is neither, so the caller answers 503, not 401).
func (s *Server) CheckDisplayToken(ctx context.Context, token, branch string) error {
	p, err := s.tokens.verify(ctx, token)
	if ae := (*authError)(nil); errors.As(err, &ae) {
		return ErrDisplayToken
	}
	if err != nil {
		return err
	}
	switch {
	case p.Role != RoleDisplay:
		// Another role's token in an address that ends up in a browser's
		// history is refused as if unknown: only display tokens go there.
		return ErrDisplayToken
	case p.Branch != branch:
		return ErrDisplayBranch
	}
	return nil
}

// HallBoard is what a branch's hall display shows of today: numbers and
// windows only, never personal data.
type HallBoard struct {
	// Calls are today's calls, the latest first: a recall counts at its
	// last call. A redirected ticket, waiting again, is not among them.
	Calls []api.Called
	// Serving is, per window, the number called there and not yet done
	// with (completed, no-show, redirected): the latest called if several.
	Serving map[string]string
	// DayStart is the start of the branch's day, when numbers restart:
	// events before it are yesterday's.
	DayStart time.Time
}

// HallBoard returns a branch's board of today from its tickets, for a
// display's first view and for a display that comes back after a cut.
// Errors: ErrNotFound for an unknown branch.
func (s *Server) HallBoard(ctx context.Context, branch string) (HallBoard, error) {
	b := s.branches[branch]
	if b == nil {
		return HallBoard{}, fmt.Errorf("central: branch: %w", ErrNotFound)
	}
	now := s.now().In(b.loc)
	recs, err := s.store.Tickets(ctx, b.ID, s.day(b, now))
	if err != nil {
		return HallBoard{}, err
	}
	hb := HallBoard{Serving: map[string]string{}, DayStart: time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, b.loc)}
	served := map[string]time.Time{}
	for _, r := range recs {
		if r.CalledAt.IsZero() || r.Window == "" {
			continue
		}
		hb.Calls = append(hb.Calls, api.Called{Number: r.Number, Window: r.Window, At: r.CalledAt})
		if r.State == api.StateCalled && !r.CalledAt.Before(served[r.Window]) {
			hb.Serving[r.Window], served[r.Window] = r.Number, r.CalledAt
		}
	}
	slices.SortStableFunc(hb.Calls, func(a, b api.Called) int { return b.At.Compare(a.At) })
	return hb, nil
}
