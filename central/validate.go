package central

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/hcsc-kz/kiosk/central/api"
)

// validator checks each request against the OpenAPI document the server
// serves (package central/api), before the operation runs: what the document
// says is what the server accepts. The operations keep only the checks a
// schema cannot say (a known service, a kiosk of the branch).
//
// Its answers name the field and the rule, never the value: a refused value
// may be a passport number.
type validator struct {
	routes map[string]*routers.Route // by operationId
	opts   *openapi3filter.Options
}

// newValidator loads and checks the embedded document once; every route in
// Routes must be in it.
func newValidator(ctx context.Context) (*validator, error) {
	doc, err := openapi3.NewLoader().LoadFromData(api.OpenAPI())
	if err != nil {
		return nil, fmt.Errorf("central: openapi.json: %w", err)
	}
	if err := doc.Validate(ctx, openapi3.EnableSchemaFormatValidation()); err != nil {
		return nil, fmt.Errorf("central: openapi.json: %w", err)
	}
	// Ids are made by api.NewID: a UUID in canonical lower case, the one
	// spelling the store keys on.
	doc.SetStringFormatValidator("uuid", openapi3.NewCallbackValidator(func(s string) error {
		if !api.ValidID(s) {
			return errors.New("not a lower-case UUID")
		}
		return nil
	}))
	v := &validator{
		routes: map[string]*routers.Route{},
		opts: &openapi3filter.Options{
			// Who may call is the server's business, not the validator's.
			AuthenticationFunc:      openapi3filter.NoopAuthenticationFunc,
			SkipSettingDefaults:     true,
			SchemaValidationOptions: doc.GetSchemaValidationOptions(),
		},
	}
	// openapi3filter checks a 3.1 document's requests with its JSON Schema
	// 2020-12 engine, which compiles the operation's schema again for every
	// request: 2.7 ms and 12,600 allocations per application, against
	// 0.05 ms and 145 for the library's own validator over the schemas as
	// loaded (BenchmarkValidate; TestValidateAllocs keeps it so).
	// The document uses no keyword only that engine knows (a type list
	// with "null" is read by both, and the bad-input suite runs through
	// this validator), so the routes carry a copy of the document that
	// the filter takes for 3.0; the document served is the same.
	spec := *doc
	spec.OpenAPI = "3.0.3"
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			v.routes[op.OperationID] = &routers.Route{Spec: &spec, Path: path, PathItem: item, Method: method, Operation: op}
		}
	}
	for _, r := range Routes() {
		if v.routes[r.Name] == nil {
			return nil, fmt.Errorf("central: openapi.json has no operation %s", r.Name)
		}
	}
	return v, nil
}

// validated runs op only for a request the document allows.
func (s *Server) validated(name string, op opFunc) opFunc {
	route := s.valid.routes[name]
	return func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		if err := s.valid.check(w, r, route); err != nil {
			return 0, nil, err
		}
		return op(w, r)
	}
}

// check validates the request's parameters and body. The body is read here,
// at most api.MaxBodyBytes of it, and left in r.Body for the operation.
func (v *validator) check(w http.ResponseWriter, r *http.Request, route *routers.Route) error {
	if route.Operation.RequestBody != nil && r.Body != nil && r.Body != http.NoBody {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, api.MaxBodyBytes))
		var tooBig *http.MaxBytesError
		switch {
		case errors.As(err, &tooBig):
			return fail(http.StatusRequestEntityTooLarge, api.CodeTooLarge, fmt.Sprintf("body over %d bytes", api.MaxBodyBytes))
		case err != nil:
			return &httpError{http.StatusBadRequest, api.Error{Code: api.CodeMalformed, Message: "the body could not be read (sent too slowly or cut off)"}, err}
		case !utf8.Valid(body):
			// encoding/json would quietly turn each bad byte into U+FFFD,
			// storing a name nobody wrote.
			return malformed("the body is not valid UTF-8")
		case loneSurrogate(body):
			// The same U+FFFD, by the escape: "\ud800" is half a
			// character, and encoding/json decodes it to the replacement.
			return malformed("the body escapes a lone surrogate (a \\u escape from \\uD800 to \\uDFFF without its pair); send the character itself in UTF-8")
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	}
	params := map[string]string{}
	for _, p := range route.Operation.Parameters {
		if p.Value != nil && p.Value.In == openapi3.ParameterInPath {
			params[p.Value.Name] = r.PathValue(p.Value.Name)
		}
	}
	err := openapi3filter.ValidateRequest(r.Context(), &openapi3filter.RequestValidationInput{
		Request: r, PathParams: params, Route: route, Options: v.opts,
	})
	if err != nil {
		return &httpError{http.StatusBadRequest, api.Error{Code: api.CodeMalformed, Message: describe(err)}, err}
	}
	return nil
}

// describe says what is wrong with a request, from the validator's error,
// without the offending value.
func describe(err error) string {
	// Only a MultiError at the top lists several requests' faults; one
	// deeper down (a schema's own) belongs to the RequestError around it.
	if me, ok := err.(openapi3.MultiError); ok && len(me) > 0 {
		err = me[0]
	}
	var re *openapi3filter.RequestError
	if !errors.As(err, &re) {
		return "the request does not fit the OpenAPI document"
	}
	where := "body"
	if p := re.Parameter; p != nil {
		where = p.In + " parameter " + p.Name
	}
	var se *openapi3.SchemaError
	switch {
	case errors.As(re.Err, &se):
		return fieldOf(where, se) + ": " + rule(se)
	case errors.Is(re.Err, openapi3filter.ErrInvalidRequired):
		if re.Parameter != nil {
			return where + " is required"
		}
		return "a JSON body is required"
	case errors.Is(re.Err, openapi3filter.ErrInvalidEmptyValue):
		return where + " must not be empty"
	case re.RequestBody != nil && re.Err == nil:
		return "Content-Type must be application/json"
	case re.RequestBody != nil && errors.Is(re.Err, io.ErrUnexpectedEOF):
		return "not a valid JSON body: it ends before the value does"
	case re.RequestBody != nil:
		return "not a valid JSON body: " + jsonReason(re.Err)
	}
	return where + " is not readable"
}

// fieldOf names the value a schema error is about: "applicant.sex",
// "events[3].reason", or the parameter.
func fieldOf(where string, se *openapi3.SchemaError) string {
	path := se.JSONPointer()
	if len(path) == 0 {
		return where
	}
	var b strings.Builder
	for _, p := range path {
		if _, err := strconv.Atoi(p); err == nil {
			b.WriteString("[" + p + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	return b.String()
}

// rule states the rule a value broke, from the schema alone.
func rule(se *openapi3.SchemaError) string {
	s := se.Schema
	if s == nil {
		return "breaks the schema"
	}
	switch se.SchemaField {
	case "type":
		if t := s.Type.Slice(); len(t) > 0 {
			return "must be " + article(t[0])
		}
	case "enum":
		vals := make([]string, len(s.Enum))
		for i, e := range s.Enum {
			b, _ := json.Marshal(e)
			vals[i] = string(b)
		}
		return "must be one of " + strings.Join(vals, ", ")
	case "maxLength":
		if s.MaxLength != nil {
			return fmt.Sprintf("must be at most %d characters", *s.MaxLength)
		}
	case "minLength":
		if s.MinLength == 1 {
			return "must not be empty"
		}
		return fmt.Sprintf("must be at least %d characters", s.MinLength)
	case "pattern":
		if s.Pattern == noControl {
			return "must not contain control characters (C0, C1, line and paragraph separators, bidirectional controls)"
		}
		return "must match the pattern " + strconv.QuoteToASCII(s.Pattern)
	case "format":
		switch s.Format {
		case "date":
			return "must be a date, YYYY-MM-DD"
		case "date-time":
			return "must be a date and time as in RFC 3339, like 2025-09-24T09:15:00+05:00"
		case "uuid":
			return "must be a UUID in lower case"
		case "int32":
			return "must be an integer from -2147483648 to 2147483647"
		}
		return "must be in the format " + strconv.Quote(s.Format)
	case "maxItems":
		if s.MaxItems != nil {
			return fmt.Sprintf("must have at most %d items", *s.MaxItems)
		}
	case "minimum":
		if s.Min != nil {
			return fmt.Sprintf("must be at least %v", *s.Min)
		}
	case "maximum":
		if s.Max != nil {
			return fmt.Sprintf("must be at most %v", *s.Max)
		}
	case "required":
		return "is required"
	case "properties", "additionalProperties":
		// The reason names the property: the client's own key, quoted by
		// the library. It is kept when short; a value it is not.
		if name, ok := strings.CutSuffix(strings.TrimPrefix(se.Reason, "property "), " is unsupported"); ok && len(name) <= 40 {
			return "has no property " + name
		}
		return "has a property the document does not define"
	case "anyOf", "oneOf":
		if s.Description != "" {
			return "must be " + s.Description
		}
		return "matches none of the allowed forms"
	case "nullable":
		return "must not be null"
	}
	return "breaks the schema's " + strconv.Quote(se.SchemaField) + " rule"
}

// noControl is the pattern of free text in the document: no control
// characters, C0 (U+0000–U+001F, U+007F) or C1 (U+0080–U+009F), no line
// or paragraph separator (U+2028, U+2029) and none of the bidirectional
// controls (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069). Each
// would reach the clerk's screen as it is: a C1 CSI starts a terminal
// sequence, an override shows a name reversed. No name, number or reason
// needs one.
const noControl = "^[^\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]*$"

// loneSurrogate reports whether a JSON text has a \u escape of a UTF-16
// surrogate that is not half of a pair: a high one (\uD800–\uDBFF) not
// followed at once by a low one's escape (\uDC00–\uDFFF), or a low one
// not preceded by a high one. Escapes are read in order, each backslash
// with the character after it, so "\\ud800" is an escaped backslash and
// the text "ud800". A backslash outside a string is not JSON and fails the
// decoding anyway.
func loneSurrogate(b []byte) bool {
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' {
			continue
		}
		r, ok := uEscape(b, i)
		if !ok {
			i++ // a one-character escape (\\, \", \n…), or not JSON
			continue
		}
		i += 5
		switch {
		case 0xDC00 <= r && r <= 0xDFFF:
			return true
		case 0xD800 <= r && r <= 0xDBFF:
			low, ok := uEscape(b, i+1)
			if !ok || low < 0xDC00 || low > 0xDFFF {
				return true
			}
			i += 6
		}
	}
	return false
}

// uEscape reads the escape \uXXXX at b[i:], if there is one.
func uEscape(b []byte, i int) (rune, bool) {
	if i+6 > len(b) || b[i] != '\\' || b[i+1] != 'u' {
		return 0, false
	}
	var r rune
	for _, c := range b[i+2 : i+6] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

func article(t string) string {
	switch t {
	case "integer", "array", "object":
		return "an " + t
	}
	return "a " + t
}
