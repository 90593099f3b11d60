package console

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/flows/i18n"
)

// Queue is the server's queue as the console works it: *central.Server.
type Queue interface {
	CallNextAt(ctx context.Context, user, branch string, window int) (api.Call, error)
	Act(ctx context.Context, a central.ClerkAction) (api.Status, error)
	AtWindow(ctx context.Context, user, branch string, window int) (*api.Call, error)
	Queue(ctx context.Context, branch string) ([]api.Status, error)
	Served(ctx context.Context, user, branch string) (int, error)
}

// maxNote bounds the clerk's note on a completed visit, in characters.
const maxNote = 500

// desk is the clerk's work at the window: the page's lower half.
type desk struct {
	Card   *card
	Queue  []queued
	Served int
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
}

// queued is one line of the waiting list: no personal data.
type queued struct {
	Number, Lane string
	Waiting      int // minutes
	Unprinted    bool
	Offline      bool
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
	if at != nil {
		d.Card = c.card(t, at)
	}
	waiting, err := c.queue.Queue(ctx, s.user.Branch)
	if err != nil {
		return nil, err
	}
	now := c.now()
	for _, st := range waiting {
		d.Queue = append(d.Queue, queued{Number: st.Ticket.Number, Lane: t.lane(st.Ticket.Lane),
			Waiting:   int(now.Sub(st.Ticket.IssuedAt).Minutes()),
			Unprinted: st.State == api.StateNotPrinted || (st.Printed != nil && !*st.Printed), Offline: st.Ticket.Offline})
	}
	if d.Served, err = c.queue.Served(ctx, s.user.ID, s.user.Branch); err != nil {
		return nil, err
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
		Window: s.rec.Window, Change: r.URL.Query().Get("window") == "change", Message: msg}
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
		call, err := c.queue.CallNextAt(ctx, s.user.ID, s.user.Branch, s.rec.Window)
		if err == nil {
			c.log.Info("console call-next", "user", s.user.ID, "branch", s.user.Branch, "window", s.rec.Window,
				"ticket", api.MaskID(call.Status.Ticket.ApplicationID))
		}
		return err
	})
}

// action serves the forms on the card: recall, no-show, complete.
func (c *Console) action(a central.Action) func(w http.ResponseWriter, r *http.Request, s *session) {
	return func(w http.ResponseWriter, r *http.Request, s *session) {
		t := texts(r)
		ca := central.ClerkAction{Branch: s.user.Branch, ID: r.PostFormValue("id"), Action: a, User: s.user.ID}
		if a == central.ActionComplete {
			ca.Result = central.Result(r.PostFormValue("result"))
			ca.Note = strings.TrimSpace(r.PostFormValue("note"))
			if !ca.Result.Valid() || !utf8.ValidString(ca.Note) || utf8.RuneCountInString(ca.Note) > maxNote ||
				(ca.Result != central.ResultIIN && ca.Note == "") {
				c.deskPage(w, r, s, http.StatusBadRequest, t.NeedNote)
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
