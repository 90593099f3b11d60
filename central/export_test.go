package central

import (
	"net/http"
	"time"
)

// Authenticate exposes the server's token check to the benchmarks of
// package central_test, which can run the real store.
func (s *Server) Authenticate(r *http.Request) (Principal, error) { return s.authenticate(r) }

// BranchZone exposes the zone the server reads a branch's days in, for the
// zone tests of package central_test; nil for an unknown branch.
func (s *Server) BranchZone(id string) *time.Location {
	if b, ok := s.branches[id]; ok {
		return b.loc
	}
	return nil
}
