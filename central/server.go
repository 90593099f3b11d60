package central

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/config/zone"
	"github.com/hcsc-kz/kiosk/flows/workday"
)

// Options configure a Server.
type Options struct {
	// Store keeps the tickets (package central/store/sqlite or postgres).
	Store Store
	// Registry lists the branches, kiosks and services.
	Registry Registry
	// Key is the 32-byte AES-256 key that seals applications at rest.
	Key []byte
	// Now is the clock; nil means time.Now. Tests pass their own.
	Now func() time.Time
	// Logger gets one line per request, never personal data; nil discards.
	Logger *slog.Logger
	// KeepAlive is the interval of comment lines on display streams, at
	// each of which the stream's token is checked again; 0 means
	// DefaultKeepAlive.
	KeepAlive time.Duration
	// TokenCache is how long a verified bearer token is trusted before the
	// store is asked again, and so the longest a revoked token keeps
	// working; 0 means DefaultTokenCache, negative asks every time.
	TokenCache time.Duration
	// EventRecheck is how often a server whose store hears of other
	// processes' events (an EventNotifier: PostgreSQL) reads the branches
	// it follows even without a notice, so that notices lost on a
	// listening connection that died without a word delay events by this
	// much at most; 0 means DefaultEventRecheck.
	EventRecheck time.Duration
	// KioskCA signs the certificates of kiosks that enrol (POST
	// /v1/enrol); nil leaves enrolment off. The server then accepts a
	// certificate it signed only while it is its kiosk's current one.
	KioskCA *KioskCA
}

// DefaultEventRecheck is Options.EventRecheck unless set.
const DefaultEventRecheck = 15 * time.Second

// DefaultKeepAlive is the interval of keep-alive lines on display streams
// unless Options.KeepAlive says otherwise. A revoked token's stream ends at
// the first keep-alive after the token cache lets the revocation through:
// within DefaultTokenCache + DefaultKeepAlive.
const DefaultKeepAlive = 15 * time.Second

// Server is the central backend's HTTP handler. It is safe for concurrent
// use; several servers may share one PostgreSQL store.
type Server struct {
	store     Store
	seal      *sealer
	now       func() time.Time
	log       *slog.Logger
	keepAlive time.Duration
	branches  map[string]*branchInfo
	kiosks    map[string]*branchInfo // kiosk id → its branch
	services  map[string]Service
	hub       *hub
	mux       *http.ServeMux
	valid     *validator
	tokens    *verifier
	enrol     *enroller
}

var _ http.Handler = (*Server)(nil)

// NewServer checks the options and returns a server ready to serve.
func NewServer(opts Options) (*Server, error) {
	if opts.Store == nil {
		return nil, errors.New("central: Options.Store is nil; open one with sqlite.Open or postgres.Open")
	}
	if err := opts.Registry.Validate(); err != nil {
		return nil, err
	}
	seal, err := newSealer(opts.Key)
	if err != nil {
		return nil, err
	}
	valid, err := newValidator(context.Background())
	if err != nil {
		return nil, err
	}
	s := &Server{
		store: opts.Store, seal: seal, now: opts.Now, log: opts.Logger, keepAlive: opts.KeepAlive,
		branches: map[string]*branchInfo{}, kiosks: map[string]*branchInfo{}, services: map[string]Service{},
		mux: http.NewServeMux(), valid: valid,
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.keepAlive <= 0 {
		s.keepAlive = DefaultKeepAlive
	}
	s.hub = newHub(s.store, s.log)
	if opts.TokenCache == 0 {
		opts.TokenCache = DefaultTokenCache
	}
	s.tokens = newVerifier(opts.Store, s.now, opts.TokenCache)
	s.enrol = newEnroller(opts.KioskCA, opts.Key, opts.TokenCache)
	for _, sv := range opts.Registry.Services {
		s.services[sv.ID] = sv
	}
	cal, err := workday.Kazakhstan()
	if err != nil {
		return nil, fmt.Errorf("central: calendar: %w", err)
	}
	for _, b := range opts.Registry.Branches {
		bi := &branchInfo{Branch: b, kiosks: map[string]Kiosk{}, serviceTime: 6 * time.Minute}
		bi.loc, _ = zone.Load(b.Zone) // checked by Validate; Kazakh zones built in, not the image's
		if err := bi.setHours(cal); err != nil {
			return nil, err
		}
		if b.ServiceTime != "" {
			bi.serviceTime, _ = time.ParseDuration(b.ServiceTime)
		}
		if bi.Windows <= 0 {
			bi.Windows = 1
		}
		if bi.PriorityRatio <= 0 {
			bi.PriorityRatio = 1
		}
		for _, k := range b.Kiosks {
			bi.kiosks[k.ID] = k
			s.kiosks[k.ID] = bi
		}
		s.branches[b.ID] = bi
	}
	for _, r := range Routes() {
		s.mux.HandleFunc(r.Method+" "+r.Pattern, s.handler(r))
	}
	if err := s.keyBodyHashes(); err != nil {
		return nil, err
	}
	if n, ok := s.store.(EventNotifier); ok {
		every := opts.EventRecheck
		if every <= 0 {
			every = DefaultEventRecheck
		}
		s.hub.listen(n, every) // until Close
	}
	return s, nil
}

// Route is one operation the server serves, in OpenAPI terms, with who
// may call it.
type Route struct {
	Method, Pattern string // "POST", "/v1/applications/{id}"
	Name            string // the OpenAPI operationId
	// Allow lists the roles that may call the route ([RolePublic]: anyone,
	// no credential checked). The server refuses every other caller before
	// the operation runs: 401 without a valid credential, 403 for a role
	// not listed.
	Allow []Role
	// Own is what of the request must be the caller's own kiosk or branch.
	Own Own
}

// Routes lists every operation the server serves. A test checks it against
// the OpenAPI document (paths, operation ids, security and x-principals),
// so the two cannot drift apart.
func Routes() []Route {
	return []Route{
		{"POST", "/v1/applications", "submitApplication", kioskOnly(), OwnBody},
		// The ticket's QR: the answer has no personal data and the id is
		// a random UUID, so it is public.
		{"GET", "/v1/applications/{id}", "getApplication", public(), OwnNothing},
		{"POST", "/v1/applications/{id}/recall", "recall", clerks(), OwnTicket},
		{"POST", "/v1/applications/{id}/complete", "complete", clerks(), OwnTicket},
		{"POST", "/v1/applications/{id}/no-show", "noShow", clerks(), OwnTicket},
		{"POST", "/v1/applications/{id}/redirect", "redirect", clerks(), OwnTicket},
		{"POST", "/v1/bookings", "addBooking", bookings(), OwnBody},
		{"POST", "/v1/bookings/check-in", "checkIn", kioskOnly(), OwnBody},
		{"POST", "/v1/kiosks/{id}/heartbeat", "heartbeat", kioskOnly(), OwnKioskPath},
		{"POST", "/v1/kiosks/{id}/events", "events", kioskOnly(), OwnKioskPath},
		{"POST", "/v1/kiosks/{id}/number-blocks", "lendNumbers", kioskOnly(), OwnKioskPath},
		{"POST", "/v1/branches/{branch}/windows/{window}/call-next", "callNext", clerks(), OwnBranchPath},
		{"GET", "/v1/display", "display", displaying(), OwnBranchQuery},
		{"GET", "/v1/branches/{branch}/held", "listHeld", supervisors(), OwnBranchPath},
		{"GET", "/openapi.json", "openapi", public(), OwnNothing},
		// The one-time code in the body is the credential.
		{"POST", "/v1/enrol", "enrol", public(), OwnNothing},
	}
}

// ServeHTTP serves the protocol. Every answer's Date header is the server's
// clock, the one it judges offline tickets by: kiosks measure their offset
// from it.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Date", s.now().UTC().Format(http.TimeFormat))
	s.mux.ServeHTTP(w, r)
}

// Close ends the display streams so that http.Server.Shutdown can finish.
// It does not close the Store, which the caller opened.
func (s *Server) Close() { s.hub.close() }

// httpError is an answer other than success, with the cause for the log.
type httpError struct {
	status int
	body   api.Error
	cause  error
}

func (e *httpError) Error() string { return e.body.Code + ": " + e.body.Message }
func (e *httpError) Unwrap() error { return e.cause }

func fail(status int, code, msg string) *httpError {
	return &httpError{status: status, body: api.Error{Code: code, Message: msg}}
}

// fromStore maps a store error to an answer.
func fromStore(err error) *httpError {
	var he *httpError
	switch {
	case errors.As(err, &he):
		return he
	case errors.Is(err, ErrNotFound):
		return &httpError{http.StatusNotFound, api.Error{Code: api.CodeNotFound, Message: "no such ticket or booking"}, err}
	case errors.Is(err, ErrConflict):
		return &httpError{http.StatusConflict, api.Error{Code: api.CodeConflict, Message: "this id is already stored with a different body; make a new id for a new application"}, err}
	case errors.Is(err, ErrNumberTaken):
		return &httpError{http.StatusConflict, api.Error{Code: api.CodeNumberTaken, Message: "the offline number is taken or was not lent to this kiosk"}, err}
	case errors.Is(err, ErrBadState):
		return &httpError{http.StatusConflict, api.Error{Code: api.CodeBadState, Message: "the action does not fit the ticket's state"}, err}
	case errors.Is(err, ErrClosed), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return &httpError{http.StatusServiceUnavailable, api.Error{Code: api.CodeUnavailable, Message: "the server is busy or shutting down; retry"}, err}
	default:
		return &httpError{http.StatusInternalServerError, api.Error{Code: api.CodeInternal, Message: "internal error; retry later"}, err}
	}
}

type opFunc func(w http.ResponseWriter, r *http.Request) (status int, body any, err error)

// handler wraps an operation with its guard (who may call), the
// validation against the OpenAPI document, decoding of errors, the answer
// and the log. The guard comes first: a caller with no right to the
// operation learns nothing of what it would accept.
func (s *Server) handler(rt Route) http.HandlerFunc {
	name := rt.Name
	op := s.guard(rt, s.validated(name, s.ops()[name]))
	return func(w http.ResponseWriter, r *http.Request) {
		start := s.now()
		status, body, err := op(w, r)
		if status == -1 { // streamed
			return
		}
		if err != nil {
			he := fromStore(err)
			status, body = he.status, he.body
			if status >= 500 {
				s.log.LogAttrs(r.Context(), slog.LevelError, "request failed", slog.String("op", name), slog.Int("status", status), slog.Any("err", err))
			}
		}
		writeJSON(w, status, body)
		s.log.LogAttrs(r.Context(), slog.LevelDebug, "request", slog.String("op", name), slog.Int("status", status),
			slog.Duration("took", s.now().Sub(start)))
	}
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	if body == nil {
		w.WriteHeader(status)
		return
	}
	b, err := json.Marshal(body)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"code":"internal","message":"encoding failed"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)+1))
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

// decode reads exactly one JSON value of at most api.MaxBodyBytes, refusing
// unknown fields, so a typo in a kiosk build shows at once.
func decode(w http.ResponseWriter, r *http.Request, v any) error {
	r.Body = http.MaxBytesReader(w, r.Body, api.MaxBodyBytes)
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil && dec.More() {
		err = errors.New("more than one JSON value")
	}
	if err == nil {
		_, err = io.Copy(io.Discard, r.Body)
	}
	var tooBig *http.MaxBytesError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &tooBig):
		return fail(http.StatusRequestEntityTooLarge, api.CodeTooLarge, fmt.Sprintf("body over %d bytes", api.MaxBodyBytes))
	case errors.Is(err, io.EOF):
		return fail(http.StatusBadRequest, api.CodeMalformed, "empty body; send a JSON object")
	default:
		// The decoder's message names the field or the offset, never a value.
		return fail(http.StatusBadRequest, api.CodeMalformed, "not a valid JSON body: "+jsonReason(err))
	}
}

// jsonReason keeps the decoder's reason without echoing content.
func jsonReason(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return "syntax error at offset " + strconv.FormatInt(se.Offset, 10)
	case errors.As(err, &te):
		return "field " + te.Field + " has the wrong type"
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		return strings.TrimPrefix(err.Error(), "json: ")
	}
	return "unreadable"
}

func malformed(format string, a ...any) *httpError {
	return fail(http.StatusBadRequest, api.CodeMalformed, fmt.Sprintf(format, a...))
}

// kiosk checks that the request comes from the kiosk, that the kiosk is
// registered in the branch (its token's too), and that a client
// certificate, when there is one, names this kiosk.
func (s *Server) kiosk(r *http.Request, kioskID, branchID string) (*branchInfo, Kiosk, error) {
	if err := ownKiosk(r, kioskID); err != nil {
		return nil, Kiosk{}, err
	}
	b := s.kiosks[kioskID]
	if b == nil || (branchID != "" && b.ID != branchID) || ownBranch(r, b.ID) != nil {
		return nil, Kiosk{}, fail(http.StatusForbidden, api.CodeUnknownKiosk, "kiosk not registered in this branch; add it to the registry")
	}
	if r.TLS != nil && len(r.TLS.PeerCertificates) > 0 && r.TLS.PeerCertificates[0].Subject.CommonName != kioskID {
		return nil, Kiosk{}, fail(http.StatusForbidden, api.CodeForbidden, "the client certificate names another kiosk")
	}
	return b, b.kiosks[kioskID], nil
}

func (s *Server) day(b *branchInfo, t time.Time) string { return t.In(b.loc).Format(time.DateOnly) }

func (s *Server) ops() map[string]opFunc {
	return map[string]opFunc{
		"submitApplication": s.submit,
		"getApplication":    s.get,
		"recall":            s.action(ActionRecall),
		"complete":          s.action(ActionComplete),
		"noShow":            s.action(ActionNoShow),
		"redirect":          s.action(ActionRedirect),
		"addBooking":        s.addBooking,
		"checkIn":           s.checkIn,
		"heartbeat":         s.heartbeat,
		"events":            s.events,
		"lendNumbers":       s.lend,
		"callNext":          s.callNext,
		"display":           s.display,
		"listHeld":          s.listHeld,
		"enrol":             s.enrolKiosk,
		"openapi": func(w http.ResponseWriter, r *http.Request) (int, any, error) {
			w.Header().Set("Content-Type", "application/json")
			w.Write(api.OpenAPI())
			return -1, nil, nil
		},
	}
}

// bodyHash identifies an application's content apart from the offline
// ticket, which a retry may add after the first attempt timed out. It is
// a plain digest: stored only keyed (sealer.bodyMAC).
func bodyHash(a api.Application) []byte {
	a.Offline = nil
	b, _ := json.Marshal(a)
	h := sha256.Sum256(b)
	return h[:]
}

func (s *Server) submit(w http.ResponseWriter, r *http.Request) (int, any, error) {
	var a api.Application
	if err := decode(w, r, &a); err != nil {
		return 0, nil, err
	}
	b, k, err := s.kiosk(r, a.KioskID, a.BranchID)
	if err != nil {
		return 0, nil, err
	}
	if err := s.checkApplication(&a); err != nil {
		return 0, nil, err
	}
	if a.CheckInID != "" {
		return s.attach(r.Context(), b, a)
	}
	plain, _ := json.Marshal(a)
	now := s.now()
	rec := Record{
		ID: a.ID, Branch: b.ID, Kiosk: a.KioskID, Service: a.Service, Lane: a.Lane,
		IssuedAt: now, BodyHash: s.seal.bodyMAC(bodyHash(a)), Payload: s.seal.seal(a.ID, plain),
	}
	req := IssueRequest{Record: rec, Prefix: s.prefix(a.Service, a.Lane)}
	req.Record.Day = b.queueDay(now)
	if o := a.Offline; o != nil {
		if o.IssuedAt.IsZero() {
			return 0, nil, malformed("offline.issuedAt is missing")
		}
		if err := s.placeOffline(r.Context(), b, k, a, &req, now); err != nil {
			return 0, nil, err
		}
	}
	// The issued event is stored with the ticket (emit's work in the same
	// write), so the kiosk waits for one write.
	req.Event = &api.BranchEvent{Kind: api.ChangeIssued, Branch: b.ID, At: now}
	got, created, err := s.store.Issue(r.Context(), req)
	if err != nil {
		return 0, nil, err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
		s.hub.poke(got.Branch)
	}
	return status, s.ticket(got), nil
}

// attach gives a booked visit's check-in ticket the visitor's application
// instead of issuing a number: the booked number is already in the queue
// and is the one called at the slot. The ticket answers as any submission
// does: 201 when attached now, 200 for a retry of the same application.
func (s *Server) attach(ctx context.Context, b *branchInfo, a api.Application) (int, any, error) {
	// The check-in's number stands, so an offline number the kiosk printed
	// meanwhile means nothing here; dropping it keeps the stored
	// application the same whichever attempt got through first.
	a.Offline = nil
	plain, _ := json.Marshal(a)
	// Sealed under the ticket's id, not the application's, because the
	// payload is read back by the ticket (call-next).
	rec, attached, err := s.store.Attach(ctx, AttachRequest{ID: a.CheckInID, Branch: b.ID, Payload: s.seal.seal(a.CheckInID, plain)})
	if errors.Is(err, ErrNotFound) {
		return 0, nil, &httpError{http.StatusNotFound, api.Error{Code: api.CodeNotFound,
			Message: "no booked check-in with this checkInId at this branch; check the visit in again"}, err}
	}
	if err != nil {
		return 0, nil, err
	}
	if attached {
		return http.StatusCreated, s.ticket(rec), nil
	}
	stored, err := s.seal.open(rec.ID, rec.Payload)
	if err != nil {
		return 0, nil, err
	}
	var prev api.Application
	if err := json.Unmarshal(stored, &prev); err != nil {
		return 0, nil, fmt.Errorf("central: stored application %s: %w", api.MaskID(rec.ID), err)
	}
	if !bytes.Equal(bodyHash(prev), bodyHash(a)) {
		return 0, nil, &httpError{http.StatusConflict, api.Error{Code: api.CodeConflict,
			Message: "this check-in already carries another application; the clerk has that one"}, ErrConflict}
	}
	return http.StatusOK, s.ticket(rec), nil
}

// checkApplication checks what the OpenAPI document cannot say; the
// validator has checked the rest (validate.go).
func (s *Server) checkApplication(a *api.Application) error {
	switch {
	case s.services[a.Service].ID == "":
		return malformed("unknown service %q", a.Service)
	case a.CheckInID != "" && a.Lane != api.LaneBooked:
		return malformed("an application with checkInId must have lane \"booked\"")
	case a.CheckInID == "" && a.Lane == api.LaneBooked:
		return malformed("lane \"booked\" needs the checkInId of the visit's check-in")
	}
	return nil
}

// prefix is the number prefix of a service's lane: "A", "AP", "AB".
func (s *Server) prefix(service string, lane api.Lane) string {
	p := s.services[service].Prefix
	switch lane {
	case api.LanePriority:
		return p + "P"
	case api.LaneBooked:
		return p + "B"
	}
	return p
}

func (s *Server) ticket(rec Record) api.Ticket {
	t := api.Ticket{
		ApplicationID: rec.ID, Number: rec.Number, BranchID: rec.Branch, Service: rec.Service,
		Lane: rec.Lane, IssuedAt: rec.IssuedAt, PeopleAhead: rec.PeopleAhead, Offline: rec.Offline,
	}
	if b := s.branches[rec.Branch]; b != nil {
		t.IssuedAt = t.IssuedAt.In(b.loc)
		t.EstimatedWaitSeconds = int((time.Duration(rec.PeopleAhead) * b.serviceTime / time.Duration(b.Windows)).Seconds())
	}
	if !rec.SlotAt.IsZero() {
		slot := rec.SlotAt
		if b := s.branches[rec.Branch]; b != nil {
			slot = slot.In(b.loc)
		}
		t.SlotAt = &slot
	}
	return t
}

func (s *Server) status(rec Record) api.Status {
	st := api.Status{Ticket: s.ticket(rec), State: rec.State, Window: rec.Window}
	if !rec.CalledAt.IsZero() {
		c := rec.CalledAt
		if b := s.branches[rec.Branch]; b != nil {
			c = c.In(b.loc)
		}
		st.CalledAt = &c
	}
	if rec.Printed != PrintUnknown {
		p := rec.Printed == PrintOK
		st.Printed = &p
	}
	return st
}

func (s *Server) get(w http.ResponseWriter, r *http.Request) (int, any, error) {
	id := r.PathValue("id")
	rec, err := s.store.Get(r.Context(), id)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, s.status(rec), nil
}

func (s *Server) action(a Action) opFunc {
	return func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		id := r.PathValue("id")
		// The ticket's branch never changes, so it is checked before the
		// action without a race.
		if rec, err := s.store.Get(r.Context(), id); err != nil {
			return 0, nil, err
		} else if err := ownBranch(r, rec.Branch); err != nil {
			return 0, nil, err
		}
		req := TransitionRequest{ID: id, Action: a, Now: s.now()}
		if a == ActionRedirect {
			var rd api.Redirect
			if err := decode(w, r, &rd); err != nil {
				return 0, nil, err
			}
			if s.services[rd.Service].ID == "" {
				return 0, nil, malformed("unknown service %q", rd.Service)
			}
			req.Service = rd.Service
		}
		st, err := s.transition(r.Context(), req)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, st, nil
	}
}

func (s *Server) addBooking(w http.ResponseWriter, r *http.Request) (int, any, error) {
	var bk api.Booking
	if err := decode(w, r, &bk); err != nil {
		return 0, nil, err
	}
	switch {
	case s.branches[bk.BranchID] == nil:
		return 0, nil, malformed("unknown branch %q", bk.BranchID)
	case s.services[bk.Service].ID == "":
		return 0, nil, malformed("unknown service %q", bk.Service)
	}
	if err := ownBranch(r, bk.BranchID); err != nil {
		return 0, nil, err
	}
	b := s.branches[bk.BranchID]
	rec := BookingRecord{CodeMAC: s.seal.codeMAC(bk.Code), Branch: b.ID, Service: bk.Service, Day: s.day(b, bk.SlotAt), SlotAt: bk.SlotAt}
	if bk.DocumentNumber != "" {
		rec.DocMAC = s.seal.docMAC(bk.DocumentNumber)
	}
	if err := s.store.AddBooking(r.Context(), rec); err != nil {
		return 0, nil, err
	}
	return http.StatusNoContent, nil, nil
}

func (s *Server) checkIn(w http.ResponseWriter, r *http.Request) (int, any, error) {
	var c api.CheckIn
	if err := decode(w, r, &c); err != nil {
		return 0, nil, err
	}
	b, _, err := s.kiosk(r, c.KioskID, c.BranchID)
	if err != nil {
		return 0, nil, err
	}
	if (c.BookingCode == "") == (c.DocumentNumber == "") {
		return 0, nil, malformed("give exactly one of bookingCode and documentNumber")
	}
	now := s.now()
	h := sha256.Sum256([]byte(c.ID + "\x00" + c.BookingCode + "\x00" + c.DocumentNumber))
	req := CheckInRequest{
		Record: Record{ID: c.ID, Branch: b.ID, Kiosk: c.KioskID, Lane: api.LaneBooked, Day: s.day(b, now), IssuedAt: now, BodyHash: s.seal.bodyMAC(h[:])},
		Prefix: func(service string) string { return s.prefix(service, api.LaneBooked) },
	}
	if c.BookingCode != "" {
		req.CodeMAC = s.seal.codeMAC(c.BookingCode)
	}
	if c.DocumentNumber != "" {
		req.DocMAC = s.seal.docMAC(c.DocumentNumber)
	}
	rec, created, err := s.store.CheckIn(r.Context(), req)
	if err != nil {
		return 0, nil, err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
		s.emit(r.Context(), api.BranchEvent{Kind: api.ChangeIssued, Branch: rec.Branch, Number: rec.Number, Service: rec.Service, Kiosk: rec.Kiosk, At: s.now()})
	}
	return status, s.ticket(rec), nil
}

func (s *Server) heartbeat(w http.ResponseWriter, r *http.Request) (int, any, error) {
	var hb api.Heartbeat
	if err := decode(w, r, &hb); err != nil {
		return 0, nil, err
	}
	id := r.PathValue("id")
	if _, _, err := s.kiosk(r, id, ""); err != nil {
		return 0, nil, err
	}
	body, _ := json.Marshal(hb)
	now := s.now()
	if err := s.store.SaveHeartbeat(r.Context(), id, now, body); err != nil {
		return 0, nil, err
	}
	if err := s.noteContact(r.Context(), id, hb, now); err != nil {
		return 0, nil, err
	}
	s.emit(r.Context(), api.BranchEvent{Kind: api.ChangeKiosk, Branch: s.kiosks[id].ID, Kiosk: id, At: now})
	s.log.LogAttrs(r.Context(), slog.LevelDebug, "heartbeat", slog.String("kiosk", id), slog.String("paper", hb.Paper), slog.Int("outbox", hb.OutboxDepth))
	return http.StatusNoContent, nil, nil
}

func (s *Server) events(w http.ResponseWriter, r *http.Request) (int, any, error) {
	var ev api.Events
	if err := decode(w, r, &ev); err != nil {
		return 0, nil, err
	}
	id := r.PathValue("id")
	if _, _, err := s.kiosk(r, id, ""); err != nil {
		return 0, nil, err
	}
	recs := make([]EventRecord, 0, len(ev.Events))
	for _, e := range ev.Events {
		recs = append(recs, EventRecord{Kiosk: id, Event: e})
	}
	if err := s.store.AddEvents(r.Context(), recs); err != nil {
		return 0, nil, err
	}
	// A print report moves a ticket between waiting and not printed: the
	// desks' waiting lists mark it, so they hear of it.
	for _, e := range ev.Events {
		if e.ApplicationID != "" && (e.Kind == api.EventPrinted || e.Kind == api.EventPrintFailed) {
			s.emit(r.Context(), api.BranchEvent{Kind: api.ChangePrinted, Branch: s.kiosks[id].ID, Kiosk: id, At: s.now()})
			break
		}
	}
	return http.StatusNoContent, nil, nil
}

func (s *Server) lend(w http.ResponseWriter, r *http.Request) (int, any, error) {
	var br api.BlockRequest
	if err := decode(w, r, &br); err != nil {
		return 0, nil, err
	}
	id := r.PathValue("id")
	b, k, err := s.kiosk(r, id, br.BranchID)
	if err != nil {
		return 0, nil, err
	}
	if s.services[br.Service].ID == "" {
		return 0, nil, malformed("unknown service %q", br.Service)
	}
	if br.Size < 0 {
		return 0, nil, malformed("size must be 0 (the offline prefix only) or more")
	}
	now := s.now()
	// The numbers of the day an application made now counts for: after
	// closing, the next opening day's, which a kiosk with the same hours
	// uses for what it prints from now on (a ticket printed after closing
	// with a number lent before it is refused, never queued under a day
	// whose numbers it does not belong to).
	day := b.queueDay(now)
	if br.Size == 0 {
		return http.StatusOK, api.Block{BranchID: b.ID, Service: br.Service, Day: day, Numbers: []string{},
			OfflinePrefix: k.OfflinePrefix, NumberWidth: NumberWidth}, nil
	}
	first, n, err := s.store.Lend(r.Context(), LendRequest{Kiosk: id, Branch: b.ID, Service: br.Service, Day: day,
		Size: min(br.Size, MaxBlock), Max: MaxOutstanding, Now: now})
	if err != nil {
		return 0, nil, err
	}
	if n == 0 {
		return 0, nil, lendLimit()
	}
	blk := api.Block{BranchID: b.ID, Service: br.Service, Day: day, Numbers: make([]string, n),
		OfflinePrefix: k.OfflinePrefix, NumberWidth: NumberWidth}
	for i := range blk.Numbers {
		blk.Numbers[i] = FormatNumber(s.prefix(br.Service, api.LaneOrdinary), first+i)
	}
	return http.StatusCreated, blk, nil
}

// FormatNumber writes a ticket number: the prefix and at least NumberWidth
// digits. ParseNumber reads it back and nothing else.
func FormatNumber(prefix string, seq int) string {
	return fmt.Sprintf("%s%0*d", prefix, NumberWidth, seq)
}

func (s *Server) callNext(w http.ResponseWriter, r *http.Request) (int, any, error) {
	b := s.branches[r.PathValue("branch")]
	if b == nil {
		return 0, nil, fail(http.StatusNotFound, api.CodeNotFound, "no such branch")
	}
	window := r.PathValue("window")
	var cn api.CallNext
	if r.ContentLength != 0 {
		if err := decode(w, r, &cn); err != nil {
			return 0, nil, err
		}
	}
	call, err := s.callAt(r.Context(), b, window, cn.Service)
	if errors.Is(err, ErrEmpty) {
		return http.StatusNoContent, nil, nil
	}
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, call, nil
}

func (s *Server) display(w http.ResponseWriter, r *http.Request) (int, any, error) {
	b := s.branches[r.URL.Query().Get("branch")]
	if b == nil {
		return 0, nil, fail(http.StatusNotFound, api.CodeNotFound, "no such branch; add ?branch=ID")
	}
	fl, ok := w.(http.Flusher)
	if !ok {
		return 0, nil, errors.New("central: response writer cannot flush")
	}
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	// A display that lost its stream resumes after the last event it
	// saw; a new one hears new calls only.
	after := int64(-1)
	if n, err := strconv.ParseInt(r.Header.Get("Last-Event-ID"), 10, 64); err == nil && n >= 0 {
		after = n
	}
	events, err := s.Watch(ctx, b.ID, after)
	if err != nil {
		return 0, nil, err
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	io.WriteString(w, ": subscribed\n\n") // a client may treat this as "ready"
	fl.Flush()
	tick := time.NewTicker(s.keepAlive)
	defer tick.Stop()
	var buf bytes.Buffer
	for {
		select {
		case <-tick.C:
			if !s.stillValid(r) {
				return -1, nil, nil // a revoked token's stream ends as its requests are refused
			}
			io.WriteString(w, ": keep-alive\n\n")
		case e, ok := <-events:
			if !ok {
				return -1, nil, nil
			}
			if e.Kind != api.ChangeCalled && e.Kind != api.ChangeRecalled {
				continue
			}
			buf.Reset()
			fmt.Fprintf(&buf, "id: %d\nevent: called\ndata: ", e.ID)
			json.NewEncoder(&buf).Encode(api.Called{Number: e.Number, Window: e.Window, At: e.At, Recall: e.Kind == api.ChangeRecalled}) // ends with '\n'
			buf.WriteString("\n")
			w.Write(buf.Bytes())
		}
		fl.Flush()
	}
}
