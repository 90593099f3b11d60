package central

import "net/http"

// Mount serves h at pattern (an http.ServeMux pattern such as "/console/")
// beside the protocol's routes, with the server's Date header. Call it
// before serving. What h authenticates is its own affair: the protocol's
// routes still take only tokens and client certificates.
func (s *Server) Mount(pattern string, h http.Handler) { s.mux.Handle(pattern, h) }
