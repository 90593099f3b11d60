package central

import "net/http"

// Authenticate exposes the server's token check to the benchmarks of
// package central_test, which can run the real store.
func (s *Server) Authenticate(r *http.Request) (Principal, error) { return s.authenticate(r) }
