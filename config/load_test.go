package config_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pelletier/go-toml/v2"

	"github.com/hcsc-kz/kiosk/config"
)

// problems parses doc and returns its problems; a doc that parses gives
// none.
func problems(t *testing.T, doc string) []config.Problem {
	t.Helper()
	_, err := config.Parse("kiosk.toml", []byte(doc))
	if err == nil {
		return nil
	}
	var ce *config.Error
	if !errors.As(err, &ce) {
		t.Fatalf("Parse(%q) error = %T %v, want *config.Error", doc, err, err)
	}
	return ce.Problems
}

// want is one expected problem: its key, line, and a part of its message.
type want struct {
	key  string
	line int
	msg  string
}

// checkProblems compares got with ws in order.
func checkProblems(t *testing.T, doc string, got []config.Problem, ws []want) {
	t.Helper()
	if len(got) != len(ws) {
		t.Fatalf("Parse(%q) problems = %d %+v, want %d %+v", doc, len(got), got, len(ws), ws)
	}
	for i, w := range ws {
		g := got[i]
		if g.Key != w.key || g.Line != w.line || !strings.Contains(g.Msg, w.msg) {
			t.Errorf("Parse(%q) problem %d = %s:%d %q, want %s:%d containing %q", doc, i, g.Key, g.Line, g.Msg, w.key, w.line, w.msg)
		}
	}
}

func TestDefaultIsValid(t *testing.T) {
	if err := config.Default().Validate(); err != nil {
		t.Errorf("Default().Validate() = %v, want nil", err)
	}
}

func TestDefaultReturnsFreshCopies(t *testing.T) {
	a := config.Default()
	a.Kiosk.Languages[0] = "xx"
	a.Flow.TranslationPolicy["CHN"] = "xx"
	a.Flow.ConventionStates[0] = "xx"
	b := config.Default()
	if b.Kiosk.Languages[0] != "kk" || b.Flow.TranslationPolicy["CHN"] != config.DefaultFlow().TranslationPolicy["CHN"] || b.Flow.ConventionStates[0] != "ARM" {
		t.Errorf("Default() after changing an earlier result = %v, %v, %v; want the defaults untouched",
			b.Kiosk.Languages, b.Flow.TranslationPolicy["CHN"], b.Flow.ConventionStates)
	}
}

func TestDefaultSettings(t *testing.T) {
	c := config.Default()
	tests := map[string]struct{ got, want any }{
		"kiosk.id":                   {c.Kiosk.ID, "K-01"},
		"kiosk.branch":               {c.Kiosk.Branch, "ALA-01"},
		"kiosk.languages":            {c.Kiosk.Languages, []string{"kk", "ru", "en"}},
		"kiosk.time_zone":            {c.Kiosk.TimeZone, "Asia/Almaty"},
		"kiosk.state_dir":            {c.Kiosk.StateDir, "./var"},
		"scanner.port":               {c.Scanner.Port, ""},
		"scanner 8N1":                {[]any{c.Scanner.Baud, c.Scanner.DataBits, c.Scanner.Parity, c.Scanner.StopBits}, []any{9600, 8, "none", "1"}},
		"scanner.dedupe_window":      {c.Scanner.DedupeWindow.D(), 3 * time.Second},
		"scanner.reopen":             {[]time.Duration{c.Scanner.ReopenMin.D(), c.Scanner.ReopenMax.D()}, []time.Duration{250 * time.Millisecond, 5 * time.Second}},
		"printer.transport":          {c.Printer.Transport, "file"},
		"printer.path":               {c.Printer.Path, ""},
		"printer.profile":            {c.Printer.Profile, "generic-58"},
		"printer.status_timeout":     {c.Printer.StatusTimeout.D(), 500 * time.Millisecond},
		"flow":                       {c.Flow, config.DefaultFlow()},
		"flow.still_there_countdown": {c.Flow.StillThereCountdown.D() >= 20*time.Second, true},
		"backend.url":                {c.Backend.URL, "http://127.0.0.1:8080"},
		"backend.timeout":            {c.Backend.Timeout.D(), 10 * time.Second},
		"technician.pin_hash":        {c.Technician.PINHash, ""},
	}
	for name, tt := range tests {
		if !reflect.DeepEqual(tt.got, tt.want) {
			t.Errorf("Default() %s = %v, want %v", name, tt.got, tt.want)
		}
	}
}

func TestParseEmptyGivesDefaults(t *testing.T) {
	for name, doc := range map[string]string{
		"empty":         "",
		"comments only": "# nothing here\n\n",
		"empty tables":  "[kiosk]\n[scanner]\n",
	} {
		t.Run(name, func(t *testing.T) {
			got, err := config.Parse("kiosk.toml", []byte(doc))
			if err != nil {
				t.Fatalf("Parse(%q) error = %v", doc, err)
			}
			if !reflect.DeepEqual(got, config.Default()) {
				t.Errorf("Parse(%q) = %+v, want Default()", doc, got)
			}
		})
	}
}

func TestParseOverridesOnlyWhatIsSet(t *testing.T) {
	doc := `
[kiosk]
id = "K-07"
languages = ["kk", "ru"]

[scanner]
port = "/dev/ttyACM0"
baud = 115200
dedupe_window = "5s"

[flow.translation_policy]
CHN = "required"
`
	got, err := config.Parse("kiosk.toml", []byte(doc))
	if err != nil {
		t.Fatalf("Parse() error = %v", err)
	}
	want := config.Default()
	want.Kiosk.ID = "K-07"
	want.Kiosk.Languages = []string{"kk", "ru"}
	want.Scanner.Port = "/dev/ttyACM0"
	want.Scanner.Baud = 115200
	want.Scanner.DedupeWindow = config.Duration(5 * time.Second)
	// A table in the file replaces the default table whole.
	want.Flow.TranslationPolicy = map[string]string{"CHN": "required"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Parse(%q) =\n%+v\nwant\n%+v", doc, got, want)
	}
}

func TestParseUnknownKeys(t *testing.T) {
	tests := map[string]struct {
		doc  string
		want []want
	}{
		"top level": {
			"name = \"K-01\"\n",
			[]want{{"name", 1, "unknown key; the top level has: kiosk, scanner"}},
		},
		"top-level table": {
			"[kiosk]\nid = \"K-01\"\n\n[scaner]\nbaud = 9600\nport = \"x\"\n",
			[]want{{"scaner", 4, `did you mean "scanner"?`}},
		},
		"nested typo": {
			"[scanner]\nport = \"/dev/ttyACM0\"\nbuad = 9600\n",
			[]want{{"scanner.buad", 3, `did you mean "scanner.baud"?`}},
		},
		"wrong letter case": {
			"[scanner]\nBaud = 9600\n",
			[]want{{"scanner.Baud", 2, `did you mean "scanner.baud"?`}},
		},
		"dotted key": {
			"scanner.parity_bits = \"none\"\n",
			[]want{{"scanner.parity_bits", 1, "unknown key"}},
		},
		"inline table": {
			"scanner = { baud = 9600, stopbits = \"1\" }\n",
			[]want{{"scanner.stopbits", 1, `did you mean "scanner.stop_bits"?`}},
		},
		"sub-table": {
			"[printer.sensors]\npaper = \"GPIO17\"\n",
			[]want{{"printer.sensors", 1, "unknown key; [printer] has: transport, path"}},
		},
		"table array": {
			"[kiosk]\nid = \"K-01\"\n[[kiosk.screens]]\nname = \"a\"\n[[kiosk.screens]]\nname = \"b\"\n",
			[]want{{"kiosk.screens", 3, "unknown key"}, {"kiosk.screens", 5, "unknown key"}},
		},
		"several": {
			"[kiosk]\nidd = \"x\"\n[flow]\nidle = \"1m\"\n[backend]\nurl = \"http://127.0.0.1:8080\"\ntimout = \"1s\"\n",
			[]want{{"kiosk.idd", 2, `"kiosk.id"`}, {"flow.idle", 4, "unknown key"}, {"backend.timout", 7, `"backend.timeout"`}},
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			checkProblems(t, tt.doc, problems(t, tt.doc), tt.want)
		})
	}
}

func TestParseTypeErrors(t *testing.T) {
	tests := map[string]struct {
		doc  string
		want []want
	}{
		"string for integer": {
			"[scanner]\nbaud = \"9600\"\n",
			[]want{{"scanner.baud", 2, `want an integer, got a string ("9600")`}},
		},
		"float for integer": {
			"[scanner]\nbaud = 9600.0\n",
			[]want{{"scanner.baud", 2, "want an integer, got a float"}},
		},
		"integer for string": {
			"[scanner]\nstop_bits = 1\n",
			[]want{{"scanner.stop_bits", 2, "want a string, got an integer (1)"}},
		},
		"string for boolean": {
			"[flow]\nrepresentative_allowed = \"yes\"\n",
			[]want{{"flow.representative_allowed", 2, "want a boolean"}},
		},
		"integer for duration": {
			"[flow]\nidle_timeout = 60\n",
			[]want{{"flow.idle_timeout", 2, `want a duration string such as "30s"`}},
		},
		"bad duration": {
			"[flow]\nidle_timeout = \"1 minute\"\n",
			[]want{{"flow.idle_timeout", 2, "not a duration"}},
		},
		"string for array": {
			"[kiosk]\nlanguages = \"kk\"\n",
			[]want{{"kiosk.languages", 2, "want an array of strings, got a string"}},
		},
		"array element": {
			"[kiosk]\nlanguages = [\n  \"kk\",\n  1,\n]\n",
			[]want{{"kiosk.languages[1]", 4, "want a string, got an integer"}},
		},
		"map value": {
			"[flow.translation_policy]\nCHN = true\n",
			[]want{{"flow.translation_policy.CHN", 2, "want a string, got a boolean"}},
		},
		"value for table": {
			"scanner = 9600\n",
			[]want{{"scanner", 1, "want a table, got an integer"}},
		},
		"table for value": {
			"[kiosk.id]\nvalue = \"K-01\"\n[flow]\nmax_scan_failures = 3\n",
			[]want{{"kiosk.id", 1, "want a string, got a table"}},
		},
		"table array for array": {
			"[[flow.convention_states]]\ncode = \"RUS\"\n",
			[]want{{"flow.convention_states", 1, "want an array of strings, got an array of tables"}},
		},
		"dotted key through a value": {
			"kiosk.id.value = \"K-01\"\n",
			[]want{{"kiosk.id", 1, "want a string, got a table"}},
		},
		"inline table entry": {
			"scanner = { baud = \"fast\", data_bits = 8 }\n",
			[]want{{"scanner.baud", 1, "want an integer, got a string"}},
		},
		"integer too large": {
			"[scanner]\nbaud = 99999999999999999999\n",
			[]want{{"scanner.baud", 2, "too large"}},
		},
		"several": {
			"[scanner]\nbaud = \"9600\"\ndata_bits = \"8\"\n[flow]\nidle_timeout = 60\n",
			[]want{
				{"scanner.baud", 2, "want an integer"},
				{"scanner.data_bits", 3, "want an integer"},
				{"flow.idle_timeout", 5, "want a duration"},
			},
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			checkProblems(t, tt.doc, problems(t, tt.doc), tt.want)
		})
	}
}

func TestParseSyntaxErrors(t *testing.T) {
	tests := map[string]struct {
		doc  string
		want []want
	}{
		"missing value":  {"[kiosk]\nid = \n", []want{{"", 2, ""}}},
		"unclosed table": {"[kiosk\nid = \"K-01\"\n", []want{{"", 1, ""}}},
		"duplicate key":  {"[kiosk]\nid = \"a\"\nid = \"b\"\n", []want{{"id", 3, "already defined"}}},
		"bare string":    {"[kiosk]\nid = K-01\n", []want{{"", 2, ""}}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			checkProblems(t, tt.doc, problems(t, tt.doc), tt.want)
		})
	}
}

// TestParseReportsEverything checks that unknown keys, wrong types and bad
// values come back together, in file order, and that a key with a wrong
// type is not also judged by its default.
func TestParseReportsEverything(t *testing.T) {
	doc := `[kiosk]
id = "K-07"
languages = ["ru", "kk"]

[scanner]
buad = 9600
data_bits = "8"
parity = "N"

[printer]
transport = "serial"

[flow]
still_there_countdown = "10s"
`
	got := problems(t, doc)
	checkProblems(t, doc, got, []want{
		{"kiosk.languages", 3, `start the list with "kk"`},
		{"scanner.buad", 6, "unknown key"},
		{"scanner.data_bits", 7, "want an integer"},
		{"scanner.parity", 8, `"N": use "none"`},
		{"printer.path", 11, `transport "serial" needs the serial port`},
		{"flow.still_there_countdown", 14, "at least 20s"},
	})
	_, err := config.Parse("kiosk.toml", []byte(doc))
	wantText := `kiosk.toml:3: kiosk.languages: Kazakh, the state language, must come first: start the list with "kk"
kiosk.toml:6: scanner.buad: unknown key; did you mean "scanner.baud"?
kiosk.toml:7: scanner.data_bits: want an integer, got a string ("8")
kiosk.toml:8: scanner.parity: "N": use "none", "even", "odd", "mark" or "space"
kiosk.toml:11: printer.path: empty: transport "serial" needs the serial port, e.g. "/dev/ttyS1"
kiosk.toml:14: flow.still_there_countdown: 10s: must be at least 20s, so a slow visitor can answer before the reset`
	if err.Error() != wantText {
		t.Errorf("Parse().Error() =\n%s\nwant\n%s", err, wantText)
	}
}

func TestErrorText(t *testing.T) {
	tests := map[string]struct {
		err  *config.Error
		want string
	}{
		"file and line": {
			&config.Error{File: "kiosk.toml", Problems: []config.Problem{{Key: "scanner.baud", Line: 12, Msg: "bad"}}},
			"kiosk.toml:12: scanner.baud: bad",
		},
		"no line": {
			&config.Error{File: "kiosk.toml", Problems: []config.Problem{{Key: "kiosk.id", Msg: "bad"}}},
			"kiosk.toml: kiosk.id: bad",
		},
		"no file": {
			&config.Error{Problems: []config.Problem{{Key: "kiosk.id", Msg: "bad"}}},
			"config: kiosk.id: bad",
		},
		"no key": {
			&config.Error{File: "a.toml", Problems: []config.Problem{{Line: 3, Msg: "syntax"}}},
			"a.toml:3: syntax",
		},
		"two": {
			&config.Error{File: "a.toml", Problems: []config.Problem{{Key: "a", Line: 1, Msg: "x"}, {Key: "b", Line: 2, Msg: "y"}}},
			"a.toml:1: a: x\na.toml:2: b: y",
		},
	}
	for name, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("%s: Error() = %q, want %q", name, got, tt.want)
		}
	}
}

func TestLoad(t *testing.T) {
	t.Run("missing file", func(t *testing.T) {
		_, err := config.Load(filepath.Join(t.TempDir(), "none.toml"))
		if !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Load(missing) error = %v, want fs.ErrNotExist", err)
		}
	})
	t.Run("file name in problems", func(t *testing.T) {
		_, err := config.Load("testdata/broken.toml")
		var ce *config.Error
		if !errors.As(err, &ce) || ce.File != "testdata/broken.toml" {
			t.Fatalf("Load(testdata/broken.toml) error = %v, want *config.Error for the file", err)
		}
		if !strings.HasPrefix(err.Error(), "testdata/broken.toml:") {
			t.Errorf("Load(testdata/broken.toml) error = %q, want it to start with the file name", err)
		}
	})
	t.Run("branch file", func(t *testing.T) {
		c, err := config.Load("testdata/branch.toml")
		if err != nil {
			t.Fatalf("Load(testdata/branch.toml) error = %v", err)
		}
		if c.Printer.Transport != "serial" || c.Backend.URL != "https://kiosk-gw.example.kz" || c.Scanner.DedupeWindow != config.Duration(3*time.Second) {
			t.Errorf("Load(testdata/branch.toml) = %+v, want its settings over the defaults", c)
		}
	})
}

func TestExampleFile(t *testing.T) {
	const path = "kiosk.example.toml"
	c, err := config.Load(path)
	if err != nil {
		t.Fatalf("Load(%s) error = %v", path, err)
	}
	t.Run("documents the defaults", func(t *testing.T) {
		if !reflect.DeepEqual(c, config.Default()) {
			t.Errorf("Load(%s) = %+v, want Default(): the example must show the defaults", path, c)
		}
	})
	t.Run("lists every key", func(t *testing.T) {
		var example, all map[string]any
		data, err := toml.Marshal(config.Default())
		if err != nil {
			t.Fatal(err)
		}
		if err := toml.Unmarshal(data, &all); err != nil {
			t.Fatal(err)
		}
		if err := toml.Unmarshal(mustRead(t, path), &example); err != nil {
			t.Fatal(err)
		}
		for _, k := range missingKeys(all, example, "") {
			t.Errorf("%s lacks key %s", path, k)
		}
	})
	t.Run("round-trips", func(t *testing.T) {
		out, err := toml.Marshal(c)
		if err != nil {
			t.Fatalf("Marshal() error = %v", err)
		}
		again, err := config.Parse("marshalled", out)
		if err != nil {
			t.Fatalf("Parse(Marshal(Load(%s))) error = %v\n%s", path, err, out)
		}
		if !reflect.DeepEqual(again, c) {
			t.Errorf("Parse(Marshal(c)) = %+v, want %+v", again, c)
		}
	})
}

// missingKeys lists the keys of want that got lacks, as dotted paths. The
// translation policy's states are data, not keys, and are not compared.
func missingKeys(want, got map[string]any, prefix string) []string {
	var missing []string
	for k, v := range want {
		path := prefix + k
		g, ok := got[k]
		if !ok {
			missing = append(missing, path)
			continue
		}
		if sub, isMap := v.(map[string]any); isMap && path != "flow.translation_policy" {
			gsub, _ := g.(map[string]any)
			missing = append(missing, missingKeys(sub, gsub, path+".")...)
		}
	}
	return missing
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestObsoleteKeys: a key older firmware read is said, with its line, but
// does not stop the kiosk: an upgrade must not turn a working file into a
// restart loop. The other keys of the file still count.
func TestObsoleteKeys(t *testing.T) {
	tests := map[string]struct {
		doc  string
		line int
	}{
		"in its table": {"[backend]\noffline_prefix = \"K\"\nlend_size = 7\n", 2},
		"dotted":       {"backend.offline_prefix = \"K\"\nbackend.lend_size = 7\n", 1},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			c, err := config.Parse("kiosk.toml", []byte(tt.doc))
			if err != nil {
				t.Fatalf("Parse: %v, want the obsolete key ignored", err)
			}
			if c.Backend.LendSize != 7 {
				t.Errorf("lend_size = %d, want 7: the rest of the file was lost", c.Backend.LendSize)
			}
			if len(c.Notices) != 1 {
				t.Fatalf("notices = %v, want one", c.Notices)
			}
			n := c.Notices[0]
			if n.Key != "backend.offline_prefix" || n.Line != tt.line || !strings.Contains(n.Msg, "comes from the backend") {
				t.Errorf("notice = %+v, want backend.offline_prefix at line %d saying where the prefix comes from", n, tt.line)
			}
		})
	}
	// In an inline table the key cannot be ignored alone: the table's other
	// keys would go with it, so it is a problem to mend.
	if got := problems(t, "backend = { offline_prefix = \"K\", lend_size = 7 }\n"); len(got) != 1 || got[0].Key != "backend.offline_prefix" || !strings.Contains(got[0].Msg, "obsolete key") {
		t.Errorf("obsolete key in an inline table: problems = %v, want it named as obsolete", got)
	}
	// An obsolete key does not hide a real problem.
	got := problems(t, "[backend]\noffline_prefix = \"K\"\nlend_size = -1\n")
	if len(got) != 1 || got[0].Key != "backend.lend_size" {
		t.Errorf("problems = %v, want only backend.lend_size", got)
	}
}
