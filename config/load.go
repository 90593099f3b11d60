package config

import (
	"bytes"
	"encoding"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
)

// Load reads the TOML file at path over Default and validates the result.
//
// A key the file does not set keeps its default, so a branch file names only
// what differs from the demo. A table of free-form keys (such as
// flow.translation_policy) is the exception: when the file has it, it
// replaces the default table whole, so that an entry can be removed.
//
// On a bad file Load returns a nil Config and an *Error listing every
// problem, each with its key and line. A file that cannot be read gives the
// os error, wrapped, so errors.Is(err, fs.ErrNotExist) holds.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return Parse(path, data)
}

// Parse is Load for a document already in memory. Name stands for the file
// in messages.
func Parse(name string, data []byte) (*Config, error) {
	// Syntax errors and duplicate keys: the decoder's own checks, which stop
	// at the first one because nothing after it can be trusted.
	var generic map[string]any
	syntaxErr := toml.Unmarshal(data, &generic)
	w := newWalker(data, reflect.TypeFor[Config]())
	walkErr := w.walk()
	switch {
	case syntaxErr != nil:
		p := decodeProblem(syntaxErr)
		if p.Key == "" && walkErr == nil {
			// Some errors (an integer out of range) come with a line only.
			p.Key = w.keyAt(p.Line)
		}
		return nil, &Error{File: name, Problems: []Problem{p}}
	case walkErr != nil:
		return nil, &Error{File: name, Problems: []Problem{{Msg: walkErr.Error()}}}
	}

	c := Default()
	resetMaps(reflect.ValueOf(c).Elem(), "", w.lines)
	// The walker has checked every key and type; a decode error now is one
	// it did not foresee (an integer out of range), so it is reported as it
	// comes. Unknown keys were reported with better context by the walker.
	err := toml.NewDecoder(bytes.NewReader(w.decodable())).DisallowUnknownFields().Decode(c)
	var missing *toml.StrictMissingError
	switch {
	case errors.As(err, &missing):
		if len(w.probs) == 0 {
			for _, de := range missing.Errors {
				w.probs = append(w.probs, decodeProblem(&de))
			}
		}
	case err != nil:
		probs := append(w.probs, decodeProblem(err))
		return nil, &Error{File: name, Problems: sortProblems(probs)}
	}

	enrolledIdentity(c, w.lines)
	probs := w.probs
	for _, p := range c.check(w.lines) {
		if !w.covers(p.Key) {
			probs = append(probs, p)
		}
	}
	if len(probs) > 0 {
		return nil, &Error{File: name, Problems: sortProblems(probs)}
	}
	c.Notices = w.notes
	return c, nil
}

// decodeProblem turns an error from go-toml into a Problem, keeping its key
// and line when it has them.
func decodeProblem(err error) Problem {
	var de *toml.DecodeError
	if !errors.As(err, &de) {
		return Problem{Msg: err.Error()}
	}
	line, _ := de.Position()
	return Problem{
		Key:  joinKey("", de.Key()...),
		Line: line,
		Msg:  strings.TrimPrefix(de.Error(), "toml: "),
	}
}

// span is a byte range of the document, [from, to).
type span struct{ from, to int }

// walker goes through a TOML document expression by expression, against
// the Go type it will be decoded into. It records the line of every key
// (for messages), reports every unknown key and wrong type at once (the
// decoder stops at the first wrong type), and notes which expressions must
// be blanked before decoding so the rest of the file still decodes.
type walker struct {
	p      unstable.Parser
	data   []byte
	root   reflect.Type
	lines  map[string]int // key path → line of its first appearance
	probs  []Problem
	notes  []Problem      // obsolete keys: ignored, but said
	inline int            // depth of inline tables being checked
	cut    []span         // expressions with a wrong type, blanked before decoding
	elems  map[string]int // array-of-tables path → elements seen so far
}

// scope is the table that key/value lines apply to: its key path and Go
// type. A nil type means the table itself is unknown (already reported), so
// its lines are skipped.
type scope struct {
	path string
	t    reflect.Type
}

func newWalker(data []byte, root reflect.Type) *walker {
	w := &walker{data: data, root: root, lines: map[string]int{}, elems: map[string]int{}}
	w.p.Reset(data)
	return w
}

// walk checks the whole document; it returns an error only for a syntax
// error, which the decoder has normally caught before.
func (w *walker) walk() error {
	cur := scope{t: w.root}
	headerBad := -1 // start of a header whose whole table must be blanked
	for w.p.NextExpression() {
		e := w.p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			keys := keyNodes(e.Key())
			start := w.lineStart(int(keys[0].Raw.Offset))
			if headerBad >= 0 {
				w.cut = append(w.cut, span{headerBad, start})
				headerBad = -1
			}
			var ok bool
			cur, ok = w.header(keys, e.Kind == unstable.ArrayTable)
			if !ok {
				headerBad = start
			}
		case unstable.KeyValue:
			if cur.t == nil {
				continue
			}
			if !w.keyValue(cur, e) {
				w.cut = append(w.cut, span{int(e.Raw.Offset), int(e.Raw.Offset + e.Raw.Length)})
			}
		}
	}
	if headerBad >= 0 {
		w.cut = append(w.cut, span{headerBad, len(w.data)})
	}
	return w.p.Error()
}

// header enters the table named by a [header] or [[header]]. It reports
// false when the header names something that is not a table, so the table's
// lines must not reach the decoder.
func (w *walker) header(keys []*unstable.Node, array bool) (scope, bool) {
	path, t := "", w.root
	for i, k := range keys {
		name := string(k.Data)
		line := w.line(k)
		next, ok := child(t, name)
		if !ok {
			w.unknown(path, t, name, line)
			return scope{}, true
		}
		path = joinKey(path, name)
		w.mark(path, line)
		t = deref(next)
		last := i == len(keys)-1
		switch {
		case last && array:
			if !isTableArray(t) {
				w.problem(path, line, "want %s, got an array of tables ([[%s]])", describe(t), path)
				return scope{}, false
			}
			n := w.elems[path]
			w.elems[path] = n + 1
			path = fmt.Sprintf("%s[%d]", path, n)
			w.mark(path, line)
			t = deref(t.Elem())
		case isTableArray(t):
			// [a.b] after [[a]] continues a's last element.
			n := w.elems[path]
			if n == 0 {
				w.problem(path, line, "want an array of tables ([[%s]]), got a table", path)
				return scope{}, false
			}
			path = fmt.Sprintf("%s[%d]", path, n-1)
			t = deref(t.Elem())
		case !isTable(t):
			w.problem(path, line, "want %s, got a table", describe(t))
			return scope{}, false
		}
	}
	return scope{path, t}, true
}

// keyValue checks one key = value line (or one entry of an inline table)
// within sc. It reports false when the value has a wrong type.
func (w *walker) keyValue(sc scope, kv *unstable.Node) bool {
	keys := keyNodes(kv.Key())
	path, t := sc.path, sc.t
	for i, k := range keys {
		name := string(k.Data)
		line := w.line(k)
		next, ok := child(t, name)
		if !ok {
			// In an inline table the key cannot be blanked alone (the whole
			// table would go), so there it stays a problem to mend.
			if why := obsolete(joinKey(path, name)); why != "" && isTable(t) && w.inline == 0 {
				// Read by older firmware and harmless now: a notice, and
				// the line is blanked so the decoder does not refuse it.
				// Refusing it would stop an upgraded kiosk at start.
				w.notes = append(w.notes, Problem{Key: joinKey(path, name), Line: line,
					Msg: "obsolete key, ignored: " + why + "; delete the line"})
				return false
			}
			w.unknown(path, t, name, line)
			return true
		}
		path = joinKey(path, name)
		w.mark(path, line)
		t = deref(next)
		if i < len(keys)-1 && !isTable(t) {
			w.problem(path, line, "want %s, got a table (a dotted key goes into it)", describe(t))
			return false
		}
	}
	return w.value(path, t, kv.Value())
}

// value checks that v can be decoded into a Go value of type t.
func (w *walker) value(path string, t reflect.Type, v *unstable.Node) bool {
	line := w.line(v)
	bad := func() bool {
		w.problem(path, line, "want %s, got %s", describe(t), w.describeNode(v))
		return false
	}
	if isText(t) {
		if v.Kind != unstable.String {
			return bad()
		}
		u := reflect.New(t).Interface().(encoding.TextUnmarshaler)
		if err := u.UnmarshalText(v.Data); err != nil {
			w.problem(path, line, "%v", err)
			return false
		}
		return true
	}
	switch t.Kind() {
	case reflect.String:
		return v.Kind == unstable.String || bad()
	case reflect.Bool:
		return v.Kind == unstable.Bool || bad()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return v.Kind == unstable.Integer || bad()
	case reflect.Float32, reflect.Float64:
		return v.Kind == unstable.Float || v.Kind == unstable.Integer || bad()
	case reflect.Interface:
		return true
	case reflect.Slice, reflect.Array:
		if v.Kind != unstable.Array {
			return bad()
		}
		ok := true
		it := v.Children()
		for i := 0; it.Next(); i++ {
			el := fmt.Sprintf("%s[%d]", path, i)
			w.mark(el, w.line(it.Node()))
			ok = w.value(el, deref(t.Elem()), it.Node()) && ok
		}
		return ok
	case reflect.Map, reflect.Struct:
		if v.Kind != unstable.InlineTable || !isTable(t) {
			return bad()
		}
		ok := true
		it := v.Children()
		w.inline++
		for it.Next() {
			ok = w.keyValue(scope{path, t}, it.Node()) && ok
		}
		w.inline--
		return ok
	}
	return bad()
}

// unknown reports name as an unknown key under path, suggesting the
// nearest known key: most unknown keys are typos.
func (w *walker) unknown(path string, t reflect.Type, name string, line int) {
	key := joinKey(path, name)
	if !isTable(t) {
		w.problem(path, line, "want %s, got a table (key %q is under it)", describe(t), name)
		return
	}
	if why := obsolete(key); why != "" {
		w.problem(key, line, "obsolete key: %s; delete it", why)
		return
	}
	msg := "unknown key"
	if s := suggest(name, fieldNames(t)); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", joinKey(path, s))
	} else if t.Kind() == reflect.Struct {
		msg += fmt.Sprintf("; %s has: %s", tableName(path), strings.Join(fieldNames(t), ", "))
	}
	w.problem(key, line, "%s", msg)
}

// obsolete says why a key that older kiosks read is gone, so that an old
// file is told what changed rather than that it has a typo; "" for a key
// that never was.
func obsolete(key string) string {
	switch key {
	case "flow.closing_time":
		return "the opening hours are now per weekday in [flow.hours] (e.g. fri = \"09:00-20:00\")"
	case "backend.offline_prefix":
		return "the kiosk's offline prefix now comes from the backend's registry (offlinePrefix), with its numbers, so the two cannot disagree; the kiosk keeps what the backend said in its outbox and \"kiosk doctor\" shows it"
	}
	return ""
}

func tableName(path string) string {
	if path == "" {
		return "the top level"
	}
	return "[" + path + "]"
}

func (w *walker) problem(key string, line int, format string, a ...any) {
	w.probs = append(w.probs, Problem{Key: key, Line: line, Msg: fmt.Sprintf(format, a...)})
}

// mark records the first line where key appears.
func (w *walker) mark(key string, line int) {
	if _, ok := w.lines[key]; !ok {
		w.lines[key] = line
	}
}

// keyAt is the one key path that starts at line, the deepest if a table
// and its key share it; "" when keys of different tables share the line.
func (w *walker) keyAt(line int) string {
	found := ""
	for k, l := range w.lines {
		switch {
		case l != line:
		case found == "" || strings.HasPrefix(k, found+".") || strings.HasPrefix(k, found+"["):
			found = k
		case strings.HasPrefix(found, k+".") || strings.HasPrefix(found, k+"["):
		default:
			return ""
		}
	}
	return found
}

// covers reports whether key is, or is below, a key the walker already
// found a problem with: a check of its value would only repeat the news,
// or judge the default that stood in for it.
func (w *walker) covers(key string) bool {
	for _, p := range w.probs {
		if key == p.Key || strings.HasPrefix(key, p.Key+".") || strings.HasPrefix(key, p.Key+"[") {
			return true
		}
	}
	return false
}

// decodable is the document with the wrongly typed expressions blanked out.
// Newlines stay, so the decoder's line numbers stay right.
func (w *walker) decodable() []byte {
	if len(w.cut) == 0 {
		return w.data
	}
	out := bytes.Clone(w.data)
	for _, s := range w.cut {
		for i := s.from; i < s.to; i++ {
			if out[i] != '\n' {
				out[i] = ' '
			}
		}
	}
	return out
}

func (w *walker) line(n *unstable.Node) int {
	return w.p.Shape(n.Raw).Start.Line
}

// lineStart is the offset of the first byte of the line holding off.
func (w *walker) lineStart(off int) int {
	return bytes.LastIndexByte(w.data[:off], '\n') + 1
}

// describeNode names a TOML value's type and shows it as written.
func (w *walker) describeNode(v *unstable.Node) string {
	var kind string
	switch v.Kind {
	case unstable.String:
		kind = "a string"
	case unstable.Integer:
		kind = "an integer"
	case unstable.Float:
		kind = "a float"
	case unstable.Bool:
		kind = "a boolean"
	case unstable.Array:
		return "an array"
	case unstable.InlineTable:
		return "a table"
	default:
		kind = "a date or time"
	}
	raw := string(w.p.Raw(v.Raw))
	if len(raw) > 40 {
		raw = raw[:37] + "..."
	}
	return kind + " (" + raw + ")"
}

func keyNodes(it unstable.Iterator) []*unstable.Node {
	var keys []*unstable.Node
	for it.Next() {
		keys = append(keys, it.Node())
	}
	return keys
}

// child is the type of the entry called name in a table of type t: a
// struct field by its toml tag (exactly; the decoder would also take other
// letter cases, which hides typos), or a map's element.
func child(t reflect.Type, name string) (reflect.Type, bool) {
	t = deref(t)
	switch t.Kind() {
	case reflect.Map:
		if t.Key().Kind() == reflect.String {
			return t.Elem(), true
		}
	case reflect.Struct:
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			tag, ok := tagName(f)
			switch {
			case !ok && f.Anonymous && deref(f.Type).Kind() == reflect.Struct:
				if ct, found := child(f.Type, name); found {
					return ct, true
				}
			case ok && tag == name:
				return f.Type, true
			}
		}
	}
	return nil, false
}

// fieldNames lists the keys a struct table accepts, in declaration order.
func fieldNames(t reflect.Type) []string {
	t = deref(t)
	if t.Kind() != reflect.Struct {
		return nil
	}
	var names []string
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag, ok := tagName(f)
		switch {
		case !ok && f.Anonymous && deref(f.Type).Kind() == reflect.Struct:
			names = append(names, fieldNames(f.Type)...)
		case ok:
			names = append(names, tag)
		}
	}
	return names
}

// tagName is the TOML key of a struct field; false for an embedded struct
// without a tag (its fields are promoted) and for a field tagged "-".
func tagName(f reflect.StructField) (string, bool) {
	tag, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
	switch {
	case tag == "-":
		return "", false
	case tag != "":
		return tag, true
	case f.Anonymous:
		return "", false
	}
	return f.Name, true
}

func deref(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// isText reports whether values of t are written as strings and parsed by
// their own UnmarshalText (Duration).
func isText(t reflect.Type) bool {
	return reflect.PointerTo(t).Implements(reflect.TypeFor[encoding.TextUnmarshaler]())
}

func isTable(t reflect.Type) bool {
	t = deref(t)
	if isText(t) {
		return false
	}
	return t.Kind() == reflect.Struct || (t.Kind() == reflect.Map && t.Key().Kind() == reflect.String)
}

func isTableArray(t reflect.Type) bool {
	t = deref(t)
	return (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) && isTable(t.Elem())
}

// describe names the TOML type a Go type wants, for "want …" messages.
func describe(t reflect.Type) string {
	t = deref(t)
	if t == reflect.TypeFor[Duration]() {
		return `a duration string such as "30s" or "2m"`
	}
	if isText(t) {
		return "a string"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean (true or false)"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		if isTable(t.Elem()) {
			return "an array of tables"
		}
		return "an array of " + strings.TrimPrefix(strings.TrimPrefix(describe(t.Elem()), "a "), "an ") + "s"
	case reflect.Map, reflect.Struct:
		return "a table"
	}
	return t.String()
}

// resetMaps empties every map field whose key the document sets, so the
// document's table replaces the default one instead of merging into it.
func resetMaps(v reflect.Value, path string, lines map[string]int) {
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag, ok := tagName(f)
		fv := v.Field(i)
		switch {
		case !ok && f.Anonymous && f.Type.Kind() == reflect.Struct:
			resetMaps(fv, path, lines)
		case !ok:
		case f.Type.Kind() == reflect.Map:
			if _, set := lines[joinKey(path, tag)]; set {
				fv.SetZero()
			}
		case f.Type.Kind() == reflect.Struct && !isText(f.Type):
			resetMaps(fv, joinKey(path, tag), lines)
		}
	}
}

// joinKey appends keys to a dotted key path, quoting any key that is not a
// bare TOML key, so the path can be pasted back into a file.
func joinKey(path string, keys ...string) string {
	for _, k := range keys {
		if !isBareKey(k) {
			k = fmt.Sprintf("%q", k)
		}
		if path == "" {
			path = k
		} else {
			path += "." + k
		}
	}
	return path
}

func isBareKey(k string) bool {
	if k == "" {
		return false
	}
	for _, r := range k {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// suggest is the candidate closest to name, if it is close enough to be
// a likely typo (at most a third of the letters differ).
func suggest(name string, candidates []string) string {
	best, bestD := "", len(name)/3+1
	lower := strings.ToLower(name)
	for _, c := range candidates {
		if d := editDistance(lower, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// editDistance is the Damerau–Levenshtein distance (optimal string
// alignment), so a swap of two letters counts as one edit.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
