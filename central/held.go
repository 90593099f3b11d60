package central

import (
	"net/http"

	"github.com/hcsc-kz/kiosk/central/api"
)

// listHeld answers a branch's held offline tickets (Store.Held) with why
// and on what evidence, to the branch's supervisor or an admin. A clerk is
// not asked: a held ticket is never called, and placing it is the
// supervisor's decision. No personal data: the applications stay sealed.
func (s *Server) listHeld(w http.ResponseWriter, r *http.Request) (int, any, error) {
	b := s.branches[r.PathValue("branch")]
	if b == nil {
		return 0, nil, fail(http.StatusNotFound, api.CodeNotFound, "no such branch")
	}
	held, err := s.store.Held(r.Context(), b.ID)
	if err != nil {
		return 0, nil, err
	}
	out := api.HeldList{Held: make([]api.HeldTicket, 0, len(held))}
	for _, h := range held {
		rec := h.Record
		out.Held = append(out.Held, api.HeldTicket{
			ApplicationID: rec.ID, Number: rec.Number, KioskID: rec.Kiosk, Service: rec.Service, Lane: rec.Lane, Day: rec.Day,
			Reason: string(h.Hold.Reason), ClaimedAt: h.Hold.Claimed, Clock: h.Hold.Clock,
			IssuedAt: rec.IssuedAt.In(b.loc), HeldAt: h.Hold.At.In(b.loc),
		})
	}
	return http.StatusOK, out, nil
}
