package console

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/flows/i18n"
)

// Queue is the server's queue as the console works it: *central.Server.
type Queue interface {
	// CallNextFree is call next, refused while a visitor is at the window.
	CallNextFree(ctx context.Context, user, branch string, window int) (api.Call, error)
	Act(ctx context.Context, a central.ClerkAction) (api.Status, error)
	AtWindow(ctx context.Context, user, branch string, window int) (*api.Call, error)
	Queue(ctx context.Context, branch string) ([]api.Status, error)
	Figures(ctx context.Context, user, branch string) (central.ServiceFigures, error)
	Parked(ctx context.Context, user, branch string) ([]central.ParkedVisit, error)
	Redirects(ctx context.Context, branch string) (map[string]central.RedirectNote, error)
	// Watch streams the branch's events: the desk refreshes on each.
	Watch(ctx context.Context, branch string, after int64) (<-chan api.BranchEvent, error)
}

// maxNote bounds the clerk's note on a completed visit, in characters.
const maxNote = 500

// desk is the clerk's work at the window: the page's lower half.
type desk struct {
	Card   *card
	Queue  []queued
	Served int
	// Average is the clerk's mean service time today in whole minutes,
	// "" before the first visit.
	Average string
	// Parked are the branch's parked visitors, to call back to any
	// window: the clerk's own first.
	Parked []queued
	// Services and Windows are where the visitor at the window can be
	// redirected: every service, every window but the clerk's.
	Services []string
	Windows  []int
}

// card is the application card of the visitor at the window, every field
// ready to read out or copy.
type card struct {
	ID, Number, Lane     string
	Booked, HasApp       bool
	Issued, Called       string
	Latin                api.Name
	Cyrillic             *api.Name
	DocCode, DocNumber   string
	DocName              string // the type's name with its code: «Паспорт (P)»
	Nationality, Issuing string
	Birth, Sex, Expiry   string
	MRZValid             bool
	Decision             string
	Checklist            []string
	Translation          bool
	TranslationWhy       string // what decided it; "" when the kiosk did not say
	Age                  int    // at the ticket's issue, for a priority lane; 0 otherwise
	Phone                string
	Language             string
	// Redirected says where the visitor was sent from, with the clerk's
	// comment; nil for a visitor never redirected.
	Redirected *central.RedirectNote
	// Key changes whenever the card does: the live refresh leaves a card
	// being worked on alone while its key stays.
	Key string
}

// queued is one line of the waiting list: no personal data.
type queued struct {
	ID, Number, Lane string
	Waiting          int // minutes
	Unprinted        bool
	Offline          bool
	// Redirected marks a visitor sent back to the queue, called first;
	// ToWindow is the one window that calls them, "" for any.
	Redirected bool
	ToWindow   string
	// Mine marks a visitor this clerk parked; From is the window another
	// clerk parked one at.
	Mine bool
	From string
}

// hhmm writes a time as the hall's clocks show it, in the branch's zone
// (the server gives statuses in it).
func hhmm(t time.Time) string { return t.Format("15:04") }

func (c *Console) desk(ctx context.Context, t *text, s *session) (*desk, error) {
	if c.queue == nil || s.rec.Window == 0 {
		return nil, nil
	}
	d := &desk{}
	at, err := c.queue.AtWindow(ctx, s.user.ID, s.user.Branch, s.rec.Window)
	if err != nil {
		return nil, err
	}
	redirects, err := c.queue.Redirects(ctx, s.user.Branch)
	if err != nil {
		return nil, err
	}
	if at != nil {
		d.Card = c.card(t, at)
		if rd, ok := redirects[d.Card.ID]; ok {
			d.Card.Redirected = &rd
		}
		d.Card.Key = d.Card.ID + "@" + d.Card.Called
	}
	waiting, err := c.queue.Queue(ctx, s.user.Branch)
	if err != nil {
		return nil, err
	}
	now := c.now()
	line := func(st api.Status) queued {
		q := queued{ID: st.Ticket.ApplicationID, Number: st.Ticket.Number, Lane: t.lane(st.Ticket.Lane),
			Waiting:   int(now.Sub(st.Ticket.IssuedAt).Minutes()),
			Unprinted: st.State == api.StateNotPrinted || (st.Printed != nil && !*st.Printed), Offline: st.Ticket.Offline}
		if rd, ok := redirects[q.ID]; ok && st.State == api.StateWaiting {
			q.Redirected, q.ToWindow = true, rd.Window
		}
		return q
	}
	for _, st := range waiting {
		d.Queue = append(d.Queue, line(st))
	}
	parked, err := c.queue.Parked(ctx, s.user.ID, s.user.Branch)
	if err != nil {
		return nil, err
	}
	for _, p := range parked {
		q := line(p.Status)
		q.Waiting = int(now.Sub(p.At).Minutes()) // since parked: how long the photocopy takes
		q.Mine, q.From = p.Mine, p.Window
		d.Parked = append(d.Parked, q)
	}
	f, err := c.queue.Figures(ctx, s.user.ID, s.user.Branch)
	if err != nil {
		return nil, err
	}
	d.Served = f.Served
	if f.Served > 0 {
		d.Average = strconv.Itoa(int((f.Total/time.Duration(f.Served) + time.Minute/2) / time.Minute))
	}
	d.Services = c.services
	for w := range max(c.branches[s.user.Branch].Windows, 1) {
		if w+1 != s.rec.Window {
			d.Windows = append(d.Windows, w+1)
		}
	}
	return d, nil
}

func (c *Console) card(t *text, call *api.Call) *card {
	st := call.Status
	k := &card{ID: st.Ticket.ApplicationID, Number: st.Ticket.Number, Lane: t.lane(st.Ticket.Lane),
		Booked: st.Ticket.Lane == api.LaneBooked, Issued: hhmm(st.Ticket.IssuedAt)}
	if st.CalledAt != nil {
		k.Called = hhmm(*st.CalledAt)
	}
	a := call.Application
	if a == nil {
		return k
	}
	lang := i18n.Lang(t.Lang)
	p := a.Applicant
	k.HasApp = true
	k.Latin, k.Cyrillic = p.Latin, p.Cyrillic
	k.DocCode, k.DocNumber, k.MRZValid = p.DocumentCode, p.DocumentNumber, p.MRZValid
	k.DocName = t.docName(p.DocumentCode, p.IssuingState)
	k.Nationality, k.Issuing = c.words.Country(lang, p.Nationality), c.words.Country(lang, p.IssuingState)
	k.Birth, k.Sex, k.Expiry = p.BirthDate, t.sex(p.Sex), p.ExpiryDate
	k.Decision, k.Translation = t.decision(a.Precheck.Decision), a.Precheck.TranslationRequired
	k.TranslationWhy = t.source(a.Precheck.TranslationSource)
	if st.Ticket.Lane == api.LanePriority {
		// The kiosk puts a walk-in in the priority lane by age (the
		// branch's flow.priority_age): the age says why.
		k.Age = age(p.BirthDate, st.Ticket.IssuedAt)
	}
	for _, key := range a.Precheck.Checklist {
		k.Checklist = append(k.Checklist, c.words.Text(lang, key))
	}
	k.Phone, k.Language = a.Phone, a.Language
	return k
}

// age is the age in whole years on the day of at of someone born on birth
// (YYYY-MM-DD); 0 when the date is unknown.
func age(birth string, at time.Time) int {
	b, err := time.Parse(time.DateOnly, birth)
	if err != nil {
		return 0
	}
	n := at.Year() - b.Year()
	if at.Month() < b.Month() || at.Month() == b.Month() && at.Day() < b.Day() {
		n--
	}
	return max(n, 0)
}

// deskPage renders the console's page: the window picker, or the desk.
func (c *Console) deskPage(w http.ResponseWriter, r *http.Request, s *session, status int, msg string) {
	t := texts(r)
	b, known := c.branches[s.user.Branch]
	p := page{T: t, CSRF: s.csrf(), User: s.user, Role: t.role(s.user.Role), Branch: b, Known: known,
		Window: s.rec.Window, Change: r.URL.Query().Get("window") == "change", Message: msg,
		Supervises: c.super != nil && mayOversee(s.user, s.user.Branch)}
	if known && !p.Change {
		d, err := c.desk(r.Context(), t, s)
		if err != nil {
			c.fail(w, r, err)
			return
		}
		p.Desk = d
	}
	c.render(w, status, "home", p)
}

// act runs one of the clerk's actions and shows the page again: a
// redirect after success, the page with the reason after a refusal.
func (c *Console) act(w http.ResponseWriter, r *http.Request, s *session, do func(ctx context.Context) error) {
	t := texts(r)
	if c.queue == nil || s.rec.Window == 0 {
		c.render(w, http.StatusBadRequest, "message", page{T: t, Message: t.NoSuchWindow, Link: homeURL(t.Lang)})
		return
	}
	err := do(r.Context())
	switch {
	case err == nil:
		http.Redirect(w, r, homeURL(t.Lang), http.StatusSeeOther)
	case errors.Is(err, central.ErrEmpty):
		c.deskPage(w, r, s, http.StatusOK, t.NobodyWaiting)
	case errors.Is(err, central.ErrOtherBranch):
		c.log.Warn("console action on another branch's ticket", "user", s.user.ID, "branch", s.user.Branch)
		c.deskPage(w, r, s, http.StatusForbidden, t.OtherBranch)
	case errors.Is(err, central.ErrNotYourWindow):
		c.deskPage(w, r, s, http.StatusForbidden, t.NotYourWindow)
	case errors.Is(err, central.ErrWindowBusy):
		c.deskPage(w, r, s, http.StatusConflict, t.WindowBusy)
	case errors.Is(err, central.ErrBadRedirect):
		c.deskPage(w, r, s, http.StatusBadRequest, t.BadRedirect)
	case errors.Is(err, central.ErrBadState):
		c.deskPage(w, r, s, http.StatusConflict, t.BadState)
	case errors.Is(err, central.ErrNotFound):
		c.deskPage(w, r, s, http.StatusNotFound, t.NoTicket)
	default:
		c.fail(w, r, err)
	}
}

func (c *Console) callNext(w http.ResponseWriter, r *http.Request, s *session) {
	c.act(w, r, s, func(ctx context.Context) error {
		call, err := c.queue.CallNextFree(ctx, s.user.ID, s.user.Branch, s.rec.Window)
		if err == nil {
			c.log.Info("console call-next", "user", s.user.ID, "branch", s.user.Branch, "window", s.rec.Window,
				"ticket", api.MaskID(call.Status.Ticket.ApplicationID))
		}
		return err
	})
}

// action serves the forms on the card and the parked list: recall,
// no-show, complete, redirect, park and call back.
func (c *Console) action(a central.Action) func(w http.ResponseWriter, r *http.Request, s *session) {
	return func(w http.ResponseWriter, r *http.Request, s *session) {
		t := texts(r)
		// A supervisor may act on any window's visitor (to clear what a
		// clerk left); a clerk on their own window's only.
		ca := central.ClerkAction{Branch: s.user.Branch, ID: r.PostFormValue("id"), Action: a, User: s.user.ID, Window: s.rec.Window,
			Anywhere: mayOversee(s.user, s.user.Branch)}
		if a == central.ActionComplete {
			ca.Result = central.Result(r.PostFormValue("result"))
			ca.Note = strings.TrimSpace(r.PostFormValue("note"))
			if !ca.Result.Valid() || !utf8.ValidString(ca.Note) || utf8.RuneCountInString(ca.Note) > maxNote ||
				(ca.Result != central.ResultIIN && ca.Note == "") {
				c.deskPage(w, r, s, http.StatusBadRequest, t.NeedNote)
				return
			}
		}
		if a == central.ActionRedirect {
			var ok bool
			if ca.Service, ca.ToWindow, ok = redirectTo(r.PostFormValue("to")); !ok {
				c.deskPage(w, r, s, http.StatusBadRequest, t.BadRedirect)
				return
			}
			ca.Note = strings.TrimSpace(r.PostFormValue("note"))
			if !utf8.ValidString(ca.Note) || utf8.RuneCountInString(ca.Note) > maxNote {
				c.deskPage(w, r, s, http.StatusBadRequest, t.BadRedirect)
				return
			}
		}
		c.act(w, r, s, func(ctx context.Context) error {
			_, err := c.queue.Act(ctx, ca)
			if err == nil {
				// The ticket's id, masked; never the note, a name or a
				// document number.
				c.log.Info("console "+string(a), "user", s.user.ID, "branch", s.user.Branch, "window", s.rec.Window,
					"ticket", api.MaskID(ca.ID), "result", string(ca.Result))
			}
			return err
		})
	}
}
