package central

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strings"

	"github.com/hcsc-kz/kiosk/central/api"
)

// Role is what a principal may do. A token holds exactly one role.
type Role string

// The roles.
const (
	// RoleKiosk is one kiosk: it submits, checks in, reports and borrows
	// numbers for itself only. Known by its token or by its client
	// certificate, whose common name is the kiosk id.
	RoleKiosk Role = "kiosk"
	// RoleClerk calls and serves the visitors of one branch, and so sees
	// their applications.
	RoleClerk Role = "clerk"
	// RoleSupervisor does what a clerk does in one branch, and adds
	// bookings there.
	RoleSupervisor Role = "supervisor"
	// RoleAdmin does what a supervisor does, in every branch.
	RoleAdmin Role = "admin"
	// RoleDisplay reads the called numbers of one branch (the hall's screen).
	RoleDisplay Role = "display"
	// RoleBooking is the appointment system's feed: it adds bookings for
	// one branch.
	RoleBooking Role = "booking"
	// RolePublic in a Route's Allow makes the route public: no credential
	// is asked for and none is checked. No token holds it.
	RolePublic Role = "public"
)

// TokenRoles lists the roles a token may hold.
func TokenRoles() []Role {
	return []Role{RoleKiosk, RoleClerk, RoleSupervisor, RoleAdmin, RoleDisplay, RoleBooking}
}

// Principal is who sent a request.
type Principal struct {
	Role Role
	// Branch is the branch the principal acts for; "" for an admin, who
	// acts for all.
	Branch string
	// Kiosk is the kiosk's id, for RoleKiosk only.
	Kiosk string
	// TokenID names the token that authenticated the request (for the
	// log); "" when a client certificate did.
	TokenID string
}

// inBranch reports whether the principal acts for branch.
func (p Principal) inBranch(branch string) bool {
	return p.Role == RoleAdmin || (p.Branch != "" && p.Branch == branch)
}

type principalKey struct{}

// PrincipalFrom returns the principal of a request the server has
// authenticated; false for a public route's request.
func PrincipalFrom(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	return p, ok
}

// Own names the part of a request that must be the caller's own kiosk or
// branch. The server checks path and query parts before the operation
// runs; the operation checks bodies and tickets after reading them, before
// it changes or returns anything.
type Own int

// The parts a route's caller must own.
const (
	OwnNothing     Own = iota // public routes
	OwnKioskPath              // the {id} path value is the kiosk's own id
	OwnBranchPath             // the {branch} path value is the caller's branch
	OwnBranchQuery            // the branch query parameter is the caller's branch
	OwnBody                   // the body's kioskId and branchId (or branchId) are the caller's
	OwnTicket                 // the ticket named by {id} is in the caller's branch
)

// The roles of the routes, a fresh slice for each route.
func public() []Role      { return []Role{RolePublic} }
func kioskOnly() []Role   { return []Role{RoleKiosk} }
func clerks() []Role      { return []Role{RoleClerk, RoleSupervisor, RoleAdmin} }
func bookings() []Role    { return []Role{RoleBooking, RoleSupervisor, RoleAdmin} }
func displaying() []Role  { return []Role{RoleDisplay, RoleClerk, RoleSupervisor, RoleAdmin} }
func supervisors() []Role { return []Role{RoleSupervisor, RoleAdmin} }

// guard authenticates the request and checks the route's roles and the
// path and query parts the caller must own, before op runs.
func (s *Server) guard(rt Route, op opFunc) opFunc {
	if slices.Contains(rt.Allow, RolePublic) {
		return op
	}
	return func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		p, err := s.authenticate(r)
		if err != nil {
			if ae := (*authError)(nil); errors.As(err, &ae) {
				w.Header().Set("WWW-Authenticate", ae.challenge)
			}
			return 0, nil, err
		}
		if !slices.Contains(rt.Allow, p.Role) {
			return 0, nil, fail(http.StatusForbidden, api.CodeForbidden, "this operation is not for a "+string(p.Role)+" token")
		}
		switch rt.Own {
		case OwnKioskPath:
			if p.Role == RoleKiosk && r.PathValue("id") != p.Kiosk {
				return 0, nil, notOwnKiosk()
			}
		case OwnBranchPath:
			if !p.inBranch(r.PathValue("branch")) {
				return 0, nil, notOwnBranch()
			}
		case OwnBranchQuery:
			if !p.inBranch(r.URL.Query().Get("branch")) {
				return 0, nil, notOwnBranch()
			}
		}
		return op(w, r.WithContext(context.WithValue(r.Context(), principalKey{}, p)))
	}
}

// authenticate finds the request's principal: a bearer token when the
// request carries one, otherwise a verified client certificate that names
// a registered kiosk. Errors: 401, or 503 when the store cannot answer.
func (s *Server) authenticate(r *http.Request) (Principal, error) {
	if hs := r.Header.Values("Authorization"); len(hs) > 0 {
		scheme, token, ok := strings.Cut(hs[0], " ")
		if len(hs) > 1 || !ok || !strings.EqualFold(scheme, "Bearer") {
			return Principal{}, unauthorized(`Bearer realm="central", error="invalid_request"`)
		}
		p, err := s.tokens.verify(r.Context(), strings.TrimSpace(token))
		if err != nil {
			return Principal{}, err
		}
		return p, nil
	}
	if r.TLS != nil && len(r.TLS.VerifiedChains) > 0 {
		cn := r.TLS.PeerCertificates[0].Subject.CommonName
		if b := s.kiosks[cn]; b != nil {
			if err := s.kioskCertCurrent(r.Context(), r.TLS, cn); err != nil {
				return Principal{}, err
			}
			return Principal{Role: RoleKiosk, Branch: b.ID, Kiosk: cn}, nil
		}
	}
	return Principal{}, unauthorized(`Bearer realm="central"`)
}

// unauthorized is the one answer to a missing, unknown, revoked or
// malformed credential: it says nothing of which.
func unauthorized(challenge string) error {
	return &authError{fail(http.StatusUnauthorized, api.CodeUnauthorized,
		"send Authorization: Bearer with a valid token (central token add), or a kiosk's client certificate"), challenge}
}

// authError is a 401 with its WWW-Authenticate challenge.
type authError struct {
	*httpError
	challenge string
}

func (e *authError) Unwrap() error { return e.httpError }

func notOwnKiosk() *httpError {
	return fail(http.StatusForbidden, api.CodeForbidden, "a kiosk acts for itself only: the kiosk id is not this token's or certificate's")
}

func notOwnBranch() *httpError {
	return fail(http.StatusForbidden, api.CodeForbidden, "this token is for another branch")
}

// ownKiosk checks that the request comes from the kiosk kioskID, as its
// token or certificate says. Routes that only kiosks call use it on the
// kiosk id their body names.
func ownKiosk(r *http.Request, kioskID string) error {
	p, ok := PrincipalFrom(r.Context())
	if !ok || p.Role != RoleKiosk || p.Kiosk != kioskID {
		return notOwnKiosk()
	}
	return nil
}

// ownBranch checks that the request's principal acts for branch.
func ownBranch(r *http.Request, branch string) error {
	if p, ok := PrincipalFrom(r.Context()); !ok || !p.inBranch(branch) {
		return notOwnBranch()
	}
	return nil
}

// stillValid reports whether the request's credential still authenticates
// the principal the guard found when the request came. An answer that
// lasts (the display stream) asks at every keep-alive, through the token
// cache, so a revoked token loses it as it would a request: once the
// cache's time is over. A store that cannot answer counts as a refusal,
// as it does for a request.
func (s *Server) stillValid(r *http.Request) bool {
	was, ok := PrincipalFrom(r.Context())
	if !ok {
		return true // a public route's request has no credential to lose
	}
	p, err := s.authenticate(r)
	if r.Context().Err() != nil {
		return false // the client left
	}
	if err != nil || p != was {
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "credential no longer valid; answer ended",
			slog.String("role", string(was.Role)), slog.String("token", was.TokenID))
		return false
	}
	return true
}
