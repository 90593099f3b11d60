package console

import (
	"context"
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
)

// Supervision is what the supervisor page reads of the server:
// *central.Server. The console finds it on Options.Queue.
type Supervision interface {
	BranchOverview(ctx context.Context, branch string) (central.Overview, error)
	AuditLog(ctx context.Context, q central.AuditQuery) ([]central.AuditEntry, error)
	RecordExport(ctx context.Context, user, branch string) error
	Watch(ctx context.Context, branch string, after int64) (<-chan api.BranchEvent, error)
}

// superPolicy is the console's Content-Security-Policy with connect-src
// 'self' added.
const superPolicy = "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// superAudit is how many audit entries the page shows; the export has
// them all.
const superAudit = 50

// superPing is how often a quiet event stream is pinged, to keep proxies
// from closing it and to end it once the session has.
const superPing = 25 * time.Second

//go:embed static/supervisor.js
var supervisorJS []byte

//go:embed static/supervisor.css
var supervisorCSS []byte

// addSupervisor registers the supervisor page's routes when the server
// can supervise.
func (c *Console) addSupervisor(q Queue) {
	sv, ok := q.(Supervision)
	if !ok {
		return
	}
	c.super = sv
	c.addEnrol(q)
	c.mux.HandleFunc("GET /console/supervisor", c.supervisorPage)
	c.mux.HandleFunc("GET /console/supervisor/part", c.supervisorPart)
	c.mux.HandleFunc("GET /console/supervisor/events", c.supervisorEvents)
	c.mux.HandleFunc("POST /console/supervisor/audit.csv", c.signed(c.exportAudit))
	c.mux.HandleFunc("GET /console/supervisor.js", static("text/javascript; charset=utf-8", supervisorJS))
	c.mux.HandleFunc("GET /console/supervisor.css", static("text/css; charset=utf-8", supervisorCSS))
}

// static serves one of the page's files.
func static(ctype string, b []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Cache-Control", "max-age=3600")
		w.Write(b)
	}
}

// superPage is what the supervisor's template reads.
type superPage struct {
	T       *text
	W       *superWords
	CSRF    string
	User    central.UserRecord
	Role    string
	Here    string
	Message string
	V       *superView
	// Enrol offers the enrolment form, in E's words.
	Enrol bool
	E     *enrolWords
}

// superView is a branch's overview as the page shows it: words, not
// codes, every time in the branch's zone.
type superView struct {
	Branch, At string
	Queues     []queueLine
	Windows    []windowLine
	Kiosks     []kioskLine
	Alerts     []string
	Audit      []auditLine
	Parked     []parkedLine
}

type queueLine struct {
	Service, Lane, Longest string
	Waiting, Parked        int
}

// parkedLine is a visitor a clerk set aside: the number, the window, the
// clerk and since when (and for how long).
type parkedLine struct {
	Number, Window, Login, Since string
}

type windowLine struct {
	Window            int
	Login, Role, Seen string
}

// kioskLine is one kiosk; each Bad or Warn is also said in words, so the
// page does not rely on colour alone.
type kioskLine struct {
	ID                   string
	State, Paper         string
	Scanner, Clock       string
	Version              string
	Outbox               string
	Rejected, Quarantine int
	Offline, PaperBad    bool
	PaperWarn, ScanBad   bool
	OutboxBad, Alert     bool
	// Update is a failed or pending update in words; UpdateBad: failed.
	Update    string
	UpdateBad bool
}

type auditLine struct {
	When, Login, Action, Number, Ticket string
}

// supervisor returns the session of a supervisor or administrator allowed
// at the request's branch (?branch=, the user's own by default), or
// answers 401 or 403 itself and returns nil.
func (c *Console) supervisor(w http.ResponseWriter, r *http.Request) (*session, string) {
	t := texts(r)
	s, err := c.session(r)
	if err != nil {
		c.fail(w, r, err)
		return nil, ""
	}
	if s == nil {
		c.render(w, http.StatusUnauthorized, "message", page{T: t, Message: t.SignedOut, Link: signInURL(t.Lang)})
		return nil, ""
	}
	branch, ok := c.oversee(w, r, s)
	if !ok {
		return nil, ""
	}
	return s, branch
}

// watchingSupervisor is supervisor for the page's own requests (its live
// part, its stream): they read the session without extending it, so an
// unattended page still signs out SessionIdle after the supervisor's last
// request.
func (c *Console) watchingSupervisor(w http.ResponseWriter, r *http.Request) (*session, string) {
	s := c.live(w, r)
	if s == nil {
		return nil, ""
	}
	branch, ok := c.oversee(w, r, s)
	if !ok {
		return nil, ""
	}
	return s, branch
}

// oversee returns the request's branch (?branch=, the user's own by
// default) when the session's user may oversee it, else answers 403.
func (c *Console) oversee(w http.ResponseWriter, r *http.Request, s *session) (string, bool) {
	t := texts(r)
	branch := r.URL.Query().Get("branch")
	if branch == "" {
		branch = s.user.Branch
	}
	if !mayOversee(s.user, branch) {
		c.log.Warn("console supervisor page refused", "user", s.user.ID, "role", string(s.user.Role), "branch", s.user.Branch)
		c.render(w, http.StatusForbidden, "message", page{T: t, Message: superTexts(t).NotSupervisor, Link: homeURL(t.Lang)})
		return "", false
	}
	return branch, true
}

// mayOversee: a branch's supervisor oversees it, an administrator every
// branch, as the API's tokens do.
func mayOversee(u central.UserRecord, branch string) bool {
	switch u.Role {
	case central.RoleAdmin:
		return true
	case central.RoleSupervisor:
		return u.Branch == branch
	}
	return false
}

func (c *Console) supervisorPage(w http.ResponseWriter, r *http.Request) {
	s, branch := c.supervisor(w, r)
	if s == nil {
		return
	}
	c.superView(w, r, s, branch, "supervisor")
}

// supervisorPart is the page's live part alone, for its script to swap in.
func (c *Console) supervisorPart(w http.ResponseWriter, r *http.Request) {
	s, branch := c.watchingSupervisor(w, r)
	if s == nil {
		return
	}
	c.superView(w, r, s, branch, "supervisor-live")
}

// superView renders the branch's overview with the template of that name.
func (c *Console) superView(w http.ResponseWriter, r *http.Request, s *session, branch, name string) {
	t := texts(r)
	// The layout's header names the page: this one is the supervisor's.
	head := *t
	head.Title = superTexts(t).Title
	p := superPage{T: &head, W: superTexts(t), CSRF: s.csrf(), User: s.user, Role: t.role(s.user.Role), Here: "/console/supervisor",
		Enrol: c.enrol != nil, E: enrolTexts(t)}
	v, err := c.overview(r.Context(), p.W, t, branch)
	switch {
	case errors.Is(err, central.ErrNotFound):
		c.render(w, http.StatusNotFound, "message", page{T: t, Message: t.UnknownBranch, Link: homeURL(t.Lang)})
		return
	case err != nil:
		c.fail(w, r, err)
		return
	}
	p.V = v
	if r.URL.Query().Get("export") == "refused" {
		p.Message = p.W.ExportRefused
	}
	c.renderSuper(w, http.StatusOK, name, p)
}

func (c *Console) renderSuper(w http.ResponseWriter, status int, name string, p superPage) {
	// The console's policy, and the page's script may connect to the
	// console: its event stream and its live part, fetched again.
	w.Header().Set("Content-Security-Policy", superPolicy)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if err := c.pages.ExecuteTemplate(w, name, p); err != nil {
		c.log.Error("console template", "page", name, "err", err)
	}
}

// overview reads the branch and puts it in words.
func (c *Console) overview(ctx context.Context, sw *superWords, t *text, branch string) (*superView, error) {
	o, err := c.super.BranchOverview(ctx, branch)
	if err != nil {
		return nil, err
	}
	v := &superView{Branch: o.Branch, At: o.At.Format("15:04:05")}
	for _, q := range o.Queues {
		l := queueLine{Service: q.Service, Lane: t.lane(q.Lane), Waiting: q.Waiting, Parked: q.Parked, Longest: "—"}
		if q.Waiting > 0 {
			l.Longest = fmt.Sprintf(sw.Minutes, int(q.Longest.Minutes()))
		}
		v.Queues = append(v.Queues, l)
	}
	for _, p := range o.Parked {
		v.Parked = append(v.Parked, parkedLine{Number: p.Number, Window: p.Window, Login: cmpOr(p.Login, p.User),
			Since: hhmm(p.Since) + " (" + fmt.Sprintf(sw.Minutes, int(o.At.Sub(p.Since).Minutes())) + ")"})
	}
	for _, w := range o.Windows {
		v.Windows = append(v.Windows, windowLine{Window: w.Window, Login: w.Login, Role: t.role(w.Role), Seen: hhmm(w.SeenAt)})
	}
	for _, k := range o.Kiosks {
		v.Kiosks = append(v.Kiosks, kioskView(sw, o.At, k))
		l := v.Kiosks[len(v.Kiosks)-1]
		switch {
		case l.Offline:
			v.Alerts = append(v.Alerts, fmt.Sprintf(sw.IsOffline, k.ID))
		case l.PaperBad:
			v.Alerts = append(v.Alerts, fmt.Sprintf(sw.NeedsPaper, k.ID))
		case l.PaperWarn:
			v.Alerts = append(v.Alerts, fmt.Sprintf(sw.NeedsPaperSoon, k.ID))
		}
		if l.ScanBad && !l.Offline {
			v.Alerts = append(v.Alerts, fmt.Sprintf(sw.ScannerFailed, k.ID))
		}
		if u := k.Heartbeat.Update; l.UpdateBad && u != nil {
			v.Alerts = append(v.Alerts, fmt.Sprintf(sw.UpdateAlert, k.ID, u.Failed))
		}
	}
	es, err := c.super.AuditLog(ctx, central.AuditQuery{Branch: branch, Limit: superAudit})
	if err != nil {
		return nil, err
	}
	for _, e := range es {
		v.Audit = append(v.Audit, auditLine{When: e.At.Format("2006-01-02 15:04:05"), Login: cmpOr(e.Login, e.User),
			Action: sw.action(e.Action), Number: e.Number, Ticket: api.MaskID(e.Ticket)})
	}
	return v, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// kioskView puts a kiosk's state in words at now.
func kioskView(sw *superWords, now time.Time, k central.KioskState) kioskLine {
	hb := k.Heartbeat
	l := kioskLine{ID: k.ID, Version: cmpOr(hb.Version, "—"), Rejected: hb.OutboxRejected, Quarantine: hb.OutboxQuarantined}
	switch {
	case k.Seen.IsZero():
		l.State, l.Offline = sw.NeverSeen, true
	case !k.Online:
		at := k.Seen.Format("15:04")
		if k.Seen.YearDay() != now.YearDay() || k.Seen.Year() != now.Year() {
			at = k.Seen.Format("2006-01-02 15:04")
		}
		l.State, l.Offline = fmt.Sprintf(sw.OfflineSince, at), true
	default:
		l.State = sw.Online
	}
	switch hb.Paper {
	case "ok":
		l.Paper = sw.PaperOK
	case "low":
		l.Paper, l.PaperWarn = sw.PaperLow, true
	case "out":
		l.Paper, l.PaperBad = sw.PaperOut, true
	default:
		l.Paper = sw.Unknown
	}
	switch d := k.Device("scanner"); d.State {
	case "loaded":
		l.Scanner = sw.DeviceOK
	case "failed":
		l.Scanner, l.ScanBad = sw.DeviceFailed, true
	case "skipped":
		l.Scanner = sw.DeviceAbsent
	default:
		l.Scanner = sw.Unknown
	}
	switch {
	case k.Seen.IsZero():
		l.Outbox = "—"
	case hb.OutboxDepth == api.OutboxDepthUnknown:
		l.Outbox = sw.Unknown
	default:
		l.Outbox = strconv.Itoa(hb.OutboxDepth)
	}
	l.OutboxBad = hb.OutboxRejected > 0 || hb.OutboxQuarantined > 0
	l.Clock = "—"
	if c := hb.Clock; c != nil {
		l.Clock = fmt.Sprintf("%+.1f ± %.1f %s", float64(c.OffsetMs)/1000, float64(c.UncertaintyMs)/1000, sw.Seconds)
	}
	if u := hb.Update; u != nil {
		switch {
		case u.Failed != "":
			l.Update, l.UpdateBad = fmt.Sprintf(sw.UpdateFailed, u.Failed), true
		case u.Pending != "":
			l.Update = fmt.Sprintf(sw.UpdatePending, u.Pending)
		}
	}
	l.Alert = l.Offline || l.PaperBad || l.PaperWarn || l.ScanBad || l.OutboxBad || l.UpdateBad
	return l
}

// supervisorEvents streams the branch's events to the page, which reloads
// its parts on each: server-sent events, the kind only (the page reads
// the rest itself, under the same checks as any page).
func (c *Console) supervisorEvents(w http.ResponseWriter, r *http.Request) {
	s, branch := c.watchingSupervisor(w, r)
	if s == nil {
		return
	}
	events, st := c.watchStream(w, r, c.super.Watch, branch, http.StatusNotFound, homeURL(texts(r).Lang))
	if st == nil {
		return
	}
	defer st.end()
	if st.send(": subscribed\n\n") != nil {
		return
	}
	ping := time.NewTicker(superPing)
	defer ping.Stop()
	hash := central.HashSession(s.id)
	for {
		var err error
		select {
		case <-ping.C:
			// The stream reads the session without touching it: an open page
			// alone does not keep a session from idling out.
			rec, _, serr := c.users.Session(r.Context(), hash)
			if serr != nil || rec.Expired(c.now()) {
				return
			}
			err = st.send(": ping\n\n")
		case e, ok := <-events:
			if !ok {
				return
			}
			err = st.send(fmt.Sprintf("id: %d\nevent: change\ndata: %s\n\n", e.ID, e.Kind))
		}
		if err != nil {
			return
		}
	}
}

// exportAudit answers the branch's whole audit log as CSV, newest first,
// once the export itself is in the log.
func (c *Console) exportAudit(w http.ResponseWriter, r *http.Request, s *session) {
	branch, ok := c.oversee(w, r, s)
	if !ok {
		return
	}
	t := texts(r)
	ctx := r.Context()
	if err := c.super.RecordExport(ctx, s.user.ID, branch); err != nil {
		if errors.Is(err, central.ErrNotFound) {
			c.render(w, http.StatusNotFound, "message", page{T: t, Message: t.UnknownBranch, Link: homeURL(t.Lang)})
			return
		}
		c.log.Error("console audit export refused", "user", s.user.ID, "branch", branch, "err", err)
		http.Redirect(w, r, "/console/supervisor?export=refused&lang="+t.Lang, http.StatusSeeOther)
		return
	}
	c.log.Info("console audit export", "user", s.user.ID, "branch", branch)
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="audit-`+safeName(branch)+`-`+c.now().UTC().Format("20060102-150405")+`.csv"`)
	cw := csv.NewWriter(w)
	cw.Write([]string{"time", "user_id", "login", "action", "ticket", "number"})
	q := central.AuditQuery{Branch: branch, Limit: 1000}
	for {
		es, err := c.super.AuditLog(ctx, q)
		if err != nil {
			// The header is sent: the truncated file ends with a line that
			// says so rather than looking whole.
			c.log.Error("console audit export", "user", s.user.ID, "branch", branch, "err", err)
			cw.Write([]string{"# export failed; the file is incomplete"})
			break
		}
		for _, e := range es {
			cw.Write([]string{e.At.Format(time.RFC3339), cell(e.User), cell(e.Login), cell(e.Action), cell(e.Ticket), cell(e.Number)})
		}
		if len(es) < q.Limit {
			break
		}
		q.Before = es[len(es)-1]
	}
	cw.Flush()
}

// cell keeps a spreadsheet from reading a value as a formula.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// safeName keeps a branch id fit for a file name.
func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, s)
}
