package console

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
)

// keepAlive is how often a quiet event stream says it is alive, and
// checks that its session still is: proxies drop idle connections, and a
// signed-out clerk's stream ends within it.
const keepAlive = 20 * time.Second

// deskRoutes adds the desk's actions beyond the card's first ones, the
// desk's fragment and its event stream.
func (c *Console) deskRoutes(reg central.Registry) {
	for _, svc := range reg.Services {
		c.services = append(c.services, svc.ID)
	}
	c.mux.HandleFunc("POST /console/redirect", c.signed(c.action(central.ActionRedirect)))
	c.mux.HandleFunc("POST /console/park", c.signed(c.action(central.ActionPark)))
	c.mux.HandleFunc("POST /console/call-back", c.signed(c.action(central.ActionCallBack)))
	c.mux.HandleFunc("GET /console/desk", c.deskFragment)
	c.mux.HandleFunc("GET /console/events", c.events)
}

// redirectTo reads the redirect form's choice: "service:ID" or "window:N".
func redirectTo(v string) (service string, window int, ok bool) {
	kind, val, _ := strings.Cut(v, ":")
	switch kind {
	case "service":
		return val, 0, val != ""
	case "window":
		n, err := strconv.Atoi(val)
		return "", n, err == nil && n > 0
	}
	return "", 0, false
}

// watching returns the request's live session like session, but does not
// count the request as the clerk's: the page refreshes itself, and that
// must not keep an unattended console signed in past central.SessionIdle.
// An expired session is left for the clerk's next request to delete.
func (c *Console) watching(r *http.Request) (*session, error) {
	ck, err := r.Cookie(SessionCookie)
	if err != nil || len(ck.Value) != 43 {
		return nil, nil
	}
	rec, u, err := c.users.Session(r.Context(), central.HashSession(ck.Value))
	if errors.Is(err, central.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if rec.Expired(c.now()) {
		return nil, nil
	}
	return &session{id: ck.Value, rec: rec, user: u}, nil
}

// live returns the session of a script's request: 401 without one (the
// script then goes to the sign-in page), nil with the answer given.
func (c *Console) live(w http.ResponseWriter, r *http.Request) *session {
	s, err := c.watching(r)
	if err != nil {
		c.fail(w, r, err)
		return nil
	}
	if s == nil {
		t := texts(r)
		c.render(w, http.StatusUnauthorized, "message", page{T: t, Message: t.SignedOut, Link: signInURL(t.Lang)})
		return nil
	}
	return s
}

// deskFragment is the desk alone, for the page's script to swap in when
// the branch's queue changes: 204 before a window is chosen.
func (c *Console) deskFragment(w http.ResponseWriter, r *http.Request) {
	s := c.live(w, r)
	if s == nil {
		return
	}
	t := texts(r)
	b, known := c.branches[s.user.Branch]
	if !known {
		c.render(w, http.StatusForbidden, "message", page{T: t, Message: t.UnknownBranch})
		return
	}
	d, err := c.desk(r.Context(), t, s)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if d == nil {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	c.render(w, http.StatusOK, "desk", page{T: t, CSRF: s.csrf(), User: s.user, Branch: b, Known: true, Window: s.rec.Window, Desk: d})
}

// change is an event as the desk's stream gives it: no application, no
// service, nothing the page does not need to know it should refresh.
type change struct {
	Kind   string `json:"kind"`
	Number string `json:"number,omitempty"`
	Window string `json:"window,omitempty"`
}

// events streams the clerk's branch's events (server-sent events): the
// page's script fetches the desk again on each. Only the kind, number and
// window go out; the rest comes with the desk, which checks the session
// again. A stream resumes after the Last-Event-ID its browser sends.
func (c *Console) events(w http.ResponseWriter, r *http.Request) {
	s := c.live(w, r)
	if s == nil {
		return
	}
	t := texts(r)
	if c.queue == nil {
		c.render(w, http.StatusNotFound, "message", page{T: t, Message: t.NoSuchWindow})
		return
	}
	events, st := c.watchStream(w, r, c.queue.Watch, s.user.Branch, http.StatusForbidden, "")
	if st == nil {
		return
	}
	defer st.end()
	if st.send("retry: 2000\n: subscribed\n\n") != nil {
		return
	}
	tick := time.NewTicker(keepAlive)
	defer tick.Stop()
	for {
		var err error
		select {
		case <-tick.C:
			if live, err := c.watching(r); err != nil || live == nil {
				return
			}
			err = st.send(": keep-alive\n\n")
		case e, ok := <-events:
			if !ok {
				return
			}
			if e.Kind == api.ChangeKiosk {
				// A heartbeat changes nothing on the desk; passed on, each
				// kiosk's would make every desk fetch itself once a minute.
				continue
			}
			data, _ := json.Marshal(change{Kind: string(e.Kind), Number: e.Number, Window: e.Window})
			err = st.send(fmt.Sprintf("id: %d\ndata: %s\n\n", e.ID, data))
		}
		if err != nil {
			return
		}
	}
}

// lastEventID is where a page's stream resumes: after the Last-Event-ID its
// browser sends on reconnecting, or, for a page that has just been fetched
// and is drawn from the present, after the latest event (-1).
func lastEventID(r *http.Request) int64 {
	if n, err := strconv.ParseInt(r.Header.Get("Last-Event-ID"), 10, 64); err == nil && n >= 0 {
		return n
	}
	return -1
}
