package central

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/hcsc-kz/kiosk/central/api"
)

// The audit log's actions.
const (
	AuditCalled     = "called"
	AuditViewed     = "viewed" // the clerk's card first showed the application
	AuditRecalled   = "recalled"
	AuditNoShow     = "no-show"
	AuditRedirected = "redirected"
	AuditParked     = "parked"
	AuditCalledBack = "called back" // a parked visitor called to the window again
	AuditCompleted  = "completed"
	AuditExported   = "exported" // a supervisor exported the audit log
)

// AuditActions returns every action the audit log records, in a new
// slice: the clerk's actions' names and the others.
func AuditActions() []string {
	out := []string{AuditCalled, AuditViewed, AuditExported, AuditEnrolCode, AuditEnrolled}
	for _, a := range auditAction {
		out = append(out, a)
	}
	slices.Sort(out)
	return out
}

// AuditEntry is one thing a console user did with an application: who,
// what, which ticket and when. It names the ticket, never the visitor.
type AuditEntry struct {
	// ID is the entry's key, random; audit makes one when it is empty.
	ID     string
	At     time.Time
	User   string // the console user's id
	Branch string
	Action string // one of the Audit… actions
	Ticket string // the ticket's id; "" for AuditExported
	Number string // the ticket's number, for the supervisor's reading
	// Login is the user's login, filled when the log is read; "" for a
	// user no longer stored.
	Login string
}

// AuditQuery asks for a page of a branch's audit log, newest first.
type AuditQuery struct {
	Branch string
	// Before is the last entry of the previous page (its At and ID); the
	// zero entry starts at the newest.
	Before AuditEntry
	// Limit bounds the page; 0 or less means 50.
	Limit int
}

// audit records what a console user did. The action it records is
// committed already, so a failure to store the entry cannot undo it, and
// failing the clerk's request would only make the clerk press again and
// act twice: the failure is logged at error level (the user id and the
// masked ticket id, which are no personal data) for the operator to see
// and mend. A lost entry is visible in the text log; a retried action is
// not visible anywhere.
func (s *Server) audit(ctx context.Context, e AuditEntry) {
	s.storeAudit(ctx, e)
}

// storeAudit stores an entry and reports whether it was stored now: false
// for a view already stored, and after a failure, which it logs.
func (s *Server) storeAudit(ctx context.Context, e AuditEntry) bool {
	if e.ID == "" {
		e.ID = api.NewID()
	}
	// The request may end while the entry is written: the entry is of an
	// action already done, so it is written anyway.
	stored, err := s.store.AddAudit(context.WithoutCancel(ctx), e)
	attrs := []slog.Attr{slog.String("user", e.User), slog.String("action", e.Action),
		slog.String("branch", e.Branch), slog.String("ticket", api.MaskID(e.Ticket))}
	if err != nil {
		s.log.LogAttrs(ctx, slog.LevelError, "audit entry not stored", append(attrs, slog.Any("err", err))...)
		return false
	}
	if stored {
		s.log.LogAttrs(ctx, slog.LevelInfo, "audit", attrs...)
	}
	return stored
}

// viewed records that a user's card showed a ticket's application, once
// per user and ticket: the desk shows the card on every refresh.
func (s *Server) viewed(ctx context.Context, user string, rec Record) {
	if user == "" || rec.Payload == nil {
		return
	}
	s.storeAudit(ctx, AuditEntry{At: s.now(), User: user, Branch: rec.Branch, Action: AuditViewed, Ticket: rec.ID, Number: rec.Number})
}

// ErrNotAudited: the export was refused because its own audit entry could
// not be stored; an export nobody can trace is not given.
var ErrNotAudited = errors.New("central: the audit entry could not be stored")

// RecordExport records that a user exported a branch's audit log. Unlike
// the clerk's actions, the export has not happened yet: when its entry
// cannot be stored the error (ErrNotAudited) tells the caller to refuse it.
func (s *Server) RecordExport(ctx context.Context, user, branch string) error {
	if s.branches[branch] == nil {
		return fmt.Errorf("central: branch: %w", ErrNotFound)
	}
	e := AuditEntry{ID: api.NewID(), At: s.now(), User: user, Branch: branch, Action: AuditExported}
	if _, err := s.store.AddAudit(ctx, e); err != nil {
		s.log.LogAttrs(ctx, slog.LevelError, "audit entry not stored", slog.String("user", user), slog.String("action", AuditExported),
			slog.String("branch", branch), slog.Any("err", err))
		return fmt.Errorf("%w: %w", ErrNotAudited, err)
	}
	s.log.LogAttrs(ctx, slog.LevelInfo, "audit", slog.String("user", user), slog.String("action", AuditExported), slog.String("branch", branch))
	return nil
}

// AuditLog returns a page of a branch's audit log, newest first, with the
// users' logins and the times in the branch's zone. Errors: ErrNotFound
// for an unknown branch.
func (s *Server) AuditLog(ctx context.Context, q AuditQuery) ([]AuditEntry, error) {
	b := s.branches[q.Branch]
	if b == nil {
		return nil, fmt.Errorf("central: branch: %w", ErrNotFound)
	}
	if q.Limit <= 0 {
		q.Limit = 50
	}
	es, err := s.store.AuditLog(ctx, q)
	if err != nil {
		return nil, err
	}
	for i := range es {
		es[i].At = es[i].At.In(b.loc)
	}
	return es, nil
}
