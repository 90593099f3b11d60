package api

import _ "embed"

// openapiJSON is a string, not a []byte, so the embedded document cannot be
// changed at run time.
//
//go:embed openapi.json
var openapiJSON string

// OpenAPI returns the protocol's OpenAPI 3 document (JSON). The server serves
// it at /openapi.json; each call returns a fresh copy the caller may keep.
func OpenAPI() []byte { return []byte(openapiJSON) }
