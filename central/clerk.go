package central

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/hcsc-kz/kiosk/central/api"
)

// ErrOtherBranch: a clerk acted on a ticket of a branch not their own.
var ErrOtherBranch = errors.New("central: the ticket belongs to another branch")

// Result is how a completed visit ended.
type Result string

// The results a clerk completes a visit with.
const (
	// ResultIIN: the IIN was formed.
	ResultIIN Result = "iin"
	// ResultMissing: documents were missing; the note says which.
	ResultMissing Result = "documents-missing"
	// ResultRefused: the application was refused; the note says why.
	ResultRefused Result = "refused"
)

// Valid reports whether r is one of the results.
func (r Result) Valid() bool { return r == ResultIIN || r == ResultMissing || r == ResultRefused }

// Outcome is a completed visit's result as stored. Note is sealed: the
// clerk's words may name the visitor's documents.
type Outcome struct {
	User   string // the console user's id
	Result Result
	Note   []byte
}

// ClerkAction is a console clerk's action on a ticket.
type ClerkAction struct {
	// Branch is the clerk's branch; a ticket of another is refused with
	// ErrOtherBranch.
	Branch string
	ID     string
	Action Action // ActionRecall, ActionNoShow or ActionComplete
	// User, Result and Note, for ActionComplete, are stored as its
	// Outcome; Note is sealed before it is stored.
	User   string
	Result Result
	Note   string
}

// CallNextAt calls the next visitor of the branch's queue to a window, at
// the branch's priority interleave, and tells the branch's displays: what
// the protocol's call-next does, for the console. Errors: ErrEmpty,
// ErrNotFound for an unknown branch. user is the console user's id, for
// the audit log.
func (s *Server) CallNextAt(ctx context.Context, user, branch string, window int) (api.Call, error) {
	b := s.branches[branch]
	if b == nil {
		return api.Call{}, fmt.Errorf("central: branch: %w", ErrNotFound)
	}
	c, err := s.callAt(ctx, b, strconv.Itoa(window), "")
	if err == nil {
		s.audit(ctx, AuditEntry{At: s.now(), User: user, Branch: branch, Action: "called", Ticket: c.Status.Ticket.ApplicationID, Number: c.Status.Ticket.Number})
	}
	return c, err
}

// callAt is call-next: the store picks the ticket, the displays hear of it,
// and the answer carries the application.
func (s *Server) callAt(ctx context.Context, b *branchInfo, window, service string) (api.Call, error) {
	now := s.now()
	rec, err := s.store.CallNext(ctx, CallRequest{
		Branch: b.ID, Day: s.day(b, now), Window: window, Service: service, Now: now, PriorityRatio: b.PriorityRatio,
	})
	if err != nil {
		return api.Call{}, err
	}
	s.emit(ctx, api.BranchEvent{Kind: api.ChangeCalled, Branch: b.ID, Number: rec.Number, Window: window, Service: rec.Service, At: now})
	return s.call(rec)
}

// call is a called ticket with its application opened.
func (s *Server) call(rec Record) (api.Call, error) {
	call := api.Call{Status: s.status(rec)}
	if rec.Payload == nil {
		return call, nil
	}
	plain, err := s.seal.open(rec.ID, rec.Payload)
	if err != nil {
		return api.Call{}, err
	}
	var a api.Application
	if err := json.Unmarshal(plain, &a); err != nil {
		return api.Call{}, fmt.Errorf("central: stored application %s: %w", api.MaskID(rec.ID), err)
	}
	call.Application = &a
	return call, nil
}

// Act applies a console clerk's action. Errors: ErrOtherBranch,
// ErrNotFound, ErrBadState (recall of a completed ticket among others).
func (s *Server) Act(ctx context.Context, a ClerkAction) (api.Status, error) {
	rec, err := s.store.Get(ctx, a.ID)
	if err != nil {
		return api.Status{}, err
	}
	// The ticket's branch never changes, so checking it first is no race.
	if rec.Branch != a.Branch {
		return api.Status{}, ErrOtherBranch
	}
	req := TransitionRequest{ID: a.ID, Action: a.Action, Now: s.now()}
	switch a.Action {
	case ActionRecall, ActionNoShow:
	case ActionComplete:
		if !a.Result.Valid() {
			return api.Status{}, fmt.Errorf("central: result %q: %w", a.Result, ErrBadState)
		}
		req.Outcome = &Outcome{User: a.User, Result: a.Result}
		if a.Note != "" {
			req.Outcome.Note = s.seal.seal("outcome:"+a.ID, []byte(a.Note))
		}
	default:
		return api.Status{}, fmt.Errorf("central: console action %q: %w", a.Action, ErrBadState)
	}
	st, err := s.transition(ctx, req)
	if err == nil {
		s.audit(ctx, AuditEntry{At: req.Now, User: a.User, Branch: a.Branch, Action: auditAction[a.Action], Ticket: a.ID, Number: st.Ticket.Number})
	}
	return st, err
}

// auditAction is how the audit log names a clerk's action.
var auditAction = map[Action]string{
	ActionRecall: "recalled", ActionNoShow: "no-show", ActionComplete: "completed", ActionRedirect: "redirected",
}

// transition applies a clerk action; a recall is announced again.
func (s *Server) transition(ctx context.Context, req TransitionRequest) (api.Status, error) {
	rec, err := s.store.Transition(ctx, req)
	if err != nil {
		return api.Status{}, err
	}
	kind := map[Action]api.Change{
		ActionRecall: api.ChangeRecalled, ActionNoShow: api.ChangeNoShow,
		ActionComplete: api.ChangeCompleted, ActionRedirect: api.ChangeRedirected,
	}[req.Action]
	if kind != "" {
		s.emit(ctx, api.BranchEvent{Kind: kind, Branch: rec.Branch, Number: rec.Number, Window: rec.Window, Service: rec.Service, At: req.Now})
	}
	return s.status(rec), nil
}

// AtWindow returns the visitor called to a branch's window today and not
// yet done with, with the application; nil when there is none. user is the
// console user's id, for the audit log.
func (s *Server) AtWindow(ctx context.Context, user, branch string, window int) (*api.Call, error) {
	recs, err := s.today(ctx, branch)
	if err != nil {
		return nil, err
	}
	w, id, at := strconv.Itoa(window), "", time.Time{}
	for _, r := range recs {
		if r.State == api.StateCalled && r.Window == w && !r.CalledAt.Before(at) {
			id, at = r.ID, r.CalledAt
		}
	}
	if id == "" {
		return nil, nil
	}
	rec, err := s.store.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	c, err := s.call(rec)
	if err != nil {
		return nil, err
	}
	s.viewed(ctx, user, rec)
	return &c, nil
}

// Queue lists a branch's tickets of today that wait (not-printed ones
// too, which call-next holds back), in issue order.
func (s *Server) Queue(ctx context.Context, branch string) ([]api.Status, error) {
	recs, err := s.today(ctx, branch)
	if err != nil {
		return nil, err
	}
	out := []api.Status{}
	for _, r := range recs {
		if r.State == api.StateWaiting || r.State == api.StateNotPrinted {
			out = append(out, s.status(r))
		}
	}
	return out, nil
}

// Served counts the visits a console user completed today, the branch's
// local day.
func (s *Server) Served(ctx context.Context, user, branch string) (int, error) {
	b := s.branches[branch]
	if b == nil {
		return 0, fmt.Errorf("central: branch: %w", ErrNotFound)
	}
	t := s.now().In(b.loc)
	return s.store.Served(ctx, user, time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, b.loc))
}

// today lists a branch's tickets of today, in issue order.
func (s *Server) today(ctx context.Context, branch string) ([]Record, error) {
	b := s.branches[branch]
	if b == nil {
		return nil, fmt.Errorf("central: branch: %w", ErrNotFound)
	}
	return s.store.Tickets(ctx, b.ID, s.day(b, s.now()))
}
