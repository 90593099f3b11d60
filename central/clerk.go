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

// ErrWindowBusy: a visitor is already called at the window; the clerk
// finishes with them before calling another there.
var ErrWindowBusy = errors.New("central: a visitor is called at the window already")

// ErrNotYourWindow: a clerk acted on a visitor called at another window.
var ErrNotYourWindow = errors.New("central: the visitor is called at another window")

// RedirectWait is how long a visitor redirected to one window waits for
// that window alone: after it, any window's call-next takes them, still
// before the queue. A window nobody is signed in at waits for no one.
const RedirectWait = 15 * time.Minute

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
	// Action is ActionRecall, ActionNoShow, ActionComplete,
	// ActionRedirect, ActionPark or ActionCallBack.
	Action Action
	// User, Result and Note, for ActionComplete, are stored as its
	// Outcome; Note is sealed before it is stored. For ActionRedirect,
	// Note is the clerk's comment, sealed the same way, shown on the card
	// at the next window.
	User   string
	Result Result
	Note   string
	// Window is the clerk's window, where a parked visitor is called back
	// to.
	Window int
	// Service or ToWindow, for ActionRedirect, is where the visitor goes
	// next: another service's queue, or one window's (another clerk's of
	// the same service). Exactly one is set.
	Service  string
	ToWindow int
	// Anywhere lets the action reach a visitor called at another window
	// than Window: a supervisor's. Otherwise such an action is refused with
	// ErrNotYourWindow (call back excepted: a parked visitor is the
	// branch's). Window 0, a caller at no window (the console never is:
	// it acts only once a window is chosen), is not checked either.
	Anywhere bool
}

// RedirectNote is a ticket's latest redirect as the next window reads it:
// from which window, to which window or service, and the clerk's comment
// opened.
type RedirectNote struct {
	ID      string
	From    string
	Window  string // "" for a redirect to a service
	Service string
	Note    string
	At      time.Time
}

// CallNextAt calls the next visitor of the branch's queue to a window, at
// the branch's priority interleave, and tells the branch's displays: what
// the protocol's call-next does, for the console, and more: it takes a
// visitor redirected to a window nobody is signed in at, or waiting for
// theirs longer than RedirectWait. Errors: ErrEmpty, ErrNotFound for an
// unknown branch. user is the console user's id, for the audit log.
func (s *Server) CallNextAt(ctx context.Context, user, branch string, window int) (api.Call, error) {
	return s.callNextAt(ctx, user, branch, window, false)
}

// CallNextFree is CallNextAt refused with ErrWindowBusy while a visitor is
// called at the window: the console's call next, so the card and the
// display never drop a visitor for the next.
func (s *Server) CallNextFree(ctx context.Context, user, branch string, window int) (api.Call, error) {
	return s.callNextAt(ctx, user, branch, window, true)
}

func (s *Server) callNextAt(ctx context.Context, user, branch string, window int, free bool) (api.Call, error) {
	b := s.branches[branch]
	if b == nil {
		return api.Call{}, fmt.Errorf("central: branch: %w", ErrNotFound)
	}
	now := s.now()
	sessions, err := s.store.WindowSessions(ctx, b.ID, now)
	if err != nil {
		return api.Call{}, err
	}
	staffed := []string{strconv.Itoa(window)}
	for _, ws := range sessions {
		staffed = append(staffed, strconv.Itoa(ws.Window))
	}
	c, err := s.callReq(ctx, b, CallRequest{
		Branch: b.ID, Day: s.day(b, now), Window: strconv.Itoa(window), Now: now, PriorityRatio: b.PriorityRatio,
		Free: free, Staffed: staffed, StaleBefore: now.Add(-RedirectWait),
	})
	if err == nil {
		s.audit(ctx, AuditEntry{At: s.now(), User: user, Branch: branch, Action: "called", Ticket: c.Status.Ticket.ApplicationID, Number: c.Status.Ticket.Number})
	}
	return c, err
}

// callAt is call-next: the store picks the ticket, the displays hear of it,
// and the answer carries the application. The call's event is stored in
// the call's transaction (emit's work, without a second write for the
// clerk and the display to wait for).
func (s *Server) callAt(ctx context.Context, b *branchInfo, window, service string) (api.Call, error) {
	now := s.now()
	return s.callReq(ctx, b, CallRequest{
		Branch: b.ID, Day: s.day(b, now), Window: window, Service: service, Now: now, PriorityRatio: b.PriorityRatio,
		Event: &api.BranchEvent{Kind: api.ChangeCalled, Branch: b.ID, Window: window, At: now},
	})
}

// callReq runs a call-next request and tells the displays: its event is
// stored in the call's transaction.
func (s *Server) callReq(ctx context.Context, b *branchInfo, req CallRequest) (api.Call, error) {
	if req.Event == nil {
		req.Event = &api.BranchEvent{Kind: api.ChangeCalled, Branch: b.ID, Window: req.Window, At: req.Now}
	}
	rec, err := s.store.CallNext(ctx, req)
	if err != nil {
		return api.Call{}, err
	}
	s.hub.poke(b.ID)
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
// ErrNotYourWindow, ErrWindowBusy (a call back to a window with a visitor
// called), ErrNotFound, ErrBadState (recall of a completed ticket among
// others).
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
	if !a.Anywhere && a.Window > 0 {
		req.AtWindow = strconv.Itoa(a.Window)
	}
	switch a.Action {
	case ActionRecall, ActionNoShow:
	case ActionPark:
		req.User = a.User
	case ActionCallBack:
		if b := s.branches[a.Branch]; b == nil || a.Window < 1 || a.Window > max(b.Windows, 1) {
			return api.Status{}, fmt.Errorf("central: call back to window %d: %w", a.Window, ErrBadState)
		}
		req.Window = strconv.Itoa(a.Window)
	case ActionRedirect:
		if err := s.redirectRequest(a, rec, &req); err != nil {
			return api.Status{}, err
		}
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
	ActionRecall: AuditRecalled, ActionNoShow: AuditNoShow, ActionComplete: AuditCompleted, ActionRedirect: AuditRedirected,
	ActionPark: AuditParked, ActionCallBack: AuditCalledBack,
}

// ErrBadRedirect: a redirect names no place to go, or one that does not
// exist (an unknown service, a window the branch does not have, the
// clerk's own window).
var ErrBadRedirect = errors.New("central: redirect to no such service or window")

// redirectRequest fills a console redirect into req: the service stays
// the ticket's for a redirect to a window.
func (s *Server) redirectRequest(a ClerkAction, rec Record, req *TransitionRequest) error {
	b := s.branches[a.Branch]
	// From is where the visitor stands: the ticket's window, which is the
	// clerk's unless the clerk changed windows since the call.
	rd := &Redirect{User: a.User, From: rec.Window}
	switch {
	case (a.Service == "") == (a.ToWindow == 0):
		return ErrBadRedirect
	case a.Service != "":
		if s.services[a.Service].ID == "" {
			return fmt.Errorf("central: redirect to service %q: %w", a.Service, ErrBadRedirect)
		}
		req.Service = a.Service
	default:
		if b == nil || a.ToWindow < 1 || a.ToWindow > max(b.Windows, 1) || strconv.Itoa(a.ToWindow) == rec.Window {
			return fmt.Errorf("central: redirect to window %d: %w", a.ToWindow, ErrBadRedirect)
		}
		req.Service, rd.Window = rec.Service, strconv.Itoa(a.ToWindow)
	}
	if a.Note != "" {
		rd.Note = s.seal.seal("redirect:"+a.ID, []byte(a.Note))
	}
	req.Redirect = rd
	return nil
}

// transition applies a clerk action; a recall is announced again.
func (s *Server) transition(ctx context.Context, req TransitionRequest) (api.Status, error) {
	rec, err := s.store.Transition(ctx, req)
	if err != nil {
		return api.Status{}, err
	}
	// A visitor called back is called, for the display as for anyone.
	kind := map[Action]api.Change{
		ActionRecall: api.ChangeRecalled, ActionNoShow: api.ChangeNoShow,
		ActionComplete: api.ChangeCompleted, ActionRedirect: api.ChangeRedirected,
		ActionPark: api.ChangeParked, ActionCallBack: api.ChangeCalled,
	}[req.Action]
	if kind != "" {
		w := rec.Window
		if req.Redirect != nil {
			w = req.Redirect.Window // where the visitor goes; "" for a service
		}
		s.emit(ctx, api.BranchEvent{Kind: kind, Branch: rec.Branch, Number: rec.Number, Window: w, Service: rec.Service, At: req.Now})
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

// Figures gives a console user's completed visits today, the branch's
// local day, and their service time.
func (s *Server) Figures(ctx context.Context, user, branch string) (ServiceFigures, error) {
	b := s.branches[branch]
	if b == nil {
		return ServiceFigures{}, fmt.Errorf("central: branch: %w", ErrNotFound)
	}
	t := s.now().In(b.loc)
	return s.store.ServiceFigures(ctx, user, time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, b.loc))
}

// ParkedVisit is a parked ticket, when and at which window it was parked,
// and whether by the user who asked.
type ParkedVisit struct {
	Status api.Status
	At     time.Time
	Window string
	Mine   bool
}

// Parked lists a branch's tickets parked today and not called back: the
// console user's own first, then the other clerks', each in the order they
// were parked. Every clerk sees them all, so a visitor parked by a clerk
// who has left is still called back.
func (s *Server) Parked(ctx context.Context, user, branch string) ([]ParkedVisit, error) {
	b := s.branches[branch]
	if b == nil {
		return nil, fmt.Errorf("central: branch: %w", ErrNotFound)
	}
	ps, err := s.store.Parked(ctx, b.ID, s.day(b, s.now()))
	if err != nil {
		return nil, err
	}
	out, others := []ParkedVisit{}, []ParkedVisit{}
	for _, p := range ps {
		v := ParkedVisit{Status: s.status(p.Record), At: p.ParkedAt, Window: p.Window, Mine: p.User == user}
		if v.Mine {
			out = append(out, v)
		} else {
			others = append(others, v)
		}
	}
	return append(out, others...), nil
}

// Redirects gives the latest redirect of each of a branch's tickets of
// today that was redirected, by ticket id, the comments opened.
func (s *Server) Redirects(ctx context.Context, branch string) (map[string]RedirectNote, error) {
	b := s.branches[branch]
	if b == nil {
		return nil, fmt.Errorf("central: branch: %w", ErrNotFound)
	}
	rds, err := s.store.Redirects(ctx, b.ID, s.day(b, s.now()))
	if err != nil {
		return nil, err
	}
	out := make(map[string]RedirectNote, len(rds))
	for _, rd := range rds {
		n := RedirectNote{ID: rd.ID, From: rd.From, Window: rd.Window, Service: rd.Service, At: rd.At}
		if rd.Note != nil {
			plain, err := s.seal.open("redirect:"+rd.ID, rd.Note)
			if err != nil {
				return nil, err
			}
			n.Note = string(plain)
		}
		out[rd.ID] = n
	}
	return out, nil
}

// WindowHeld returns the console user whose live session is at a branch's
// window, if it is another than user: one clerk at a window, so that no
// clerk opens another's visitor by choosing their window. "" when the
// window is free or user's own.
func (s *Server) WindowHeld(ctx context.Context, branch string, window int, user string) (string, error) {
	sessions, err := s.store.WindowSessions(ctx, branch, s.now())
	if err != nil {
		return "", err
	}
	for _, ws := range sessions {
		if ws.Window == window && ws.User.ID != user {
			return ws.User.ID, nil
		}
	}
	return "", nil
}
