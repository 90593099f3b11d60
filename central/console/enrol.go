package console

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/config/zone"
)

// Enroller makes one-time enrolment codes for a branch's kiosks:
// *central.Server. The supervisor page offers its form when Options.Queue
// is one.
type Enroller interface {
	NewEnrolCode(ctx context.Context, user, branch, kiosk string) (code string, expires time.Time, err error)
}

// enrolPage is what the code's page shows, once.
type enrolPage struct {
	T                   *text
	W                   *superWords
	E                   *enrolWords
	User                central.UserRecord
	Role                string
	Here                string
	Branch, Kiosk, Code string
	Expires             string
	Back                string
}

// addEnrol registers the enrolment form's route when the server makes
// codes.
func (c *Console) addEnrol(q Queue) {
	e, ok := q.(Enroller)
	if !ok {
		return
	}
	c.enrol = e
	c.mux.HandleFunc("POST /console/supervisor/enrol", c.signed(c.enrolCode))
}

// enrolCode makes a code for a kiosk of the supervisor's branch and shows
// it once, large, for the technician to type on the kiosk.
func (c *Console) enrolCode(w http.ResponseWriter, r *http.Request, s *session) {
	branch, ok := c.oversee(w, r, s)
	if !ok {
		return
	}
	t := texts(r)
	ew := enrolTexts(t)
	back := "/console/supervisor?branch=" + branch + "&lang=" + t.Lang
	kiosk := r.PostFormValue("kiosk")
	code, expires, err := c.enrol.NewEnrolCode(r.Context(), s.user.ID, branch, kiosk)
	switch {
	case errors.Is(err, central.ErrNotFound):
		c.render(w, http.StatusBadRequest, "message", page{T: t, Message: ew.NoSuchKiosk, Link: back})
		return
	case errors.Is(err, central.ErrNotAudited):
		c.render(w, http.StatusServiceUnavailable, "message", page{T: t, Message: ew.NotAudited, Link: back})
		return
	case err != nil:
		c.fail(w, r, err)
		return
	}
	if b, ok := c.branches[branch]; ok {
		if loc, err := zone.Load(b.Zone); err == nil {
			expires = expires.In(loc)
		}
	}
	c.log.Info("console enrolment code", "user", s.user.ID, "branch", branch, "kiosk", kiosk)
	head := *t
	head.Title = ew.Title
	p := enrolPage{T: &head, W: superTexts(t), E: ew, User: s.user, Role: t.role(s.user.Role), Here: "/console/supervisor",
		Branch: branch, Kiosk: kiosk, Code: code, Expires: expires.Format("2006-01-02 15:04"), Back: back}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	if err := c.pages.ExecuteTemplate(w, "enrolcode", p); err != nil {
		c.log.Error("console template", "page", "enrolcode", "err", err)
	}
}
