package config

import (
	"reflect"
	"strings"
	"testing"
)

// tableArrayDoc is a document type with an array of tables, which Config
// does not have yet, to test the walker on one.
type tableArrayDoc struct {
	Name    string `toml:"name"`
	Devices []struct {
		Kind string         `toml:"kind"`
		Pins map[string]int `toml:"pins"`
		Wait Duration       `toml:"wait"`
	} `toml:"devices"`
}

func TestWalkTableArrays(t *testing.T) {
	tests := map[string]struct {
		doc   string
		probs []Problem
		lines map[string]int
	}{
		"elements are numbered": {
			doc:   "[[devices]]\nkind = \"a\"\n[[devices]]\nkind = \"b\"\n",
			lines: map[string]int{"devices": 1, "devices[0]": 1, "devices[0].kind": 2, "devices[1]": 3, "devices[1].kind": 4},
		},
		"unknown key in an element": {
			doc:   "[[devices]]\nkind = \"a\"\n[[devices]]\nknid = \"b\"\n",
			probs: []Problem{{Key: "devices[1].knid", Line: 4, Msg: `unknown key; did you mean "devices[1].kind"?`}},
		},
		"sub-table of the last element": {
			doc:   "[[devices]]\n[[devices]]\n[devices.pins]\nP1 = 17\n",
			lines: map[string]int{"devices[1].pins": 3, "devices[1].pins.P1": 4},
		},
		"sub-table before any element": {
			doc:   "[devices.pins]\nP1 = 17\n",
			probs: []Problem{{Key: "devices", Line: 1, Msg: "want an array of tables ([[devices]]), got a table"}},
		},
		"inline array of tables": {
			doc:   "devices = [{ kind = \"a\" }, { kind = 1 }]\n",
			probs: []Problem{{Key: "devices[1].kind", Line: 1, Msg: "want a string, got an integer (1)"}},
		},
		"wrong type in an element": {
			doc:   "[[devices]]\nwait = 5\n",
			probs: []Problem{{Key: "devices[0].wait", Line: 2, Msg: `want a duration string such as "30s" or "2m", got an integer (5)`}},
		},
		"array of tables for a value": {
			doc:   "[[name]]\nx = 1\n",
			probs: []Problem{{Key: "name", Line: 1, Msg: "want a string, got an array of tables ([[name]])"}},
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			w := newWalker([]byte(tt.doc), reflect.TypeFor[tableArrayDoc]())
			if err := w.walk(); err != nil {
				t.Fatalf("walk(%q) error = %v", tt.doc, err)
			}
			if !reflect.DeepEqual(w.probs, tt.probs) {
				t.Errorf("walk(%q) problems = %+v, want %+v", tt.doc, w.probs, tt.probs)
			}
			for k, l := range tt.lines {
				if got, ok := w.lines[k]; !ok || got != l {
					t.Errorf("walk(%q) line of %s = %d (present %v), want %d", tt.doc, k, got, ok, l)
				}
			}
		})
	}
}

// TestBlankedDocumentDecodes checks that blanking wrongly typed
// expressions keeps the rest of the file, and its line numbers, intact.
func TestBlankedDocumentDecodes(t *testing.T) {
	doc := "[kiosk.id]\nx = 1\n[scanner]\nbaud = \"fast\"\nport = \"/dev/ttyACM0\"\nlanguages = 1\n"
	w := newWalker([]byte(doc), reflect.TypeFor[Config]())
	if err := w.walk(); err != nil {
		t.Fatal(err)
	}
	got := string(w.decodable())
	want := "          \n     \n[scanner]\n             \nport = \"/dev/ttyACM0\"\nlanguages = 1\n"
	if got != want {
		t.Errorf("decodable(%q) =\n%q\nwant\n%q", doc, got, want)
	}
}

// TestProblemKeysAreRealKeys breaks every rule it can and checks that each
// problem names a key that exists, so a message never sends a technician
// looking for a key the file cannot have.
func TestProblemKeysAreRealKeys(t *testing.T) {
	c := &Config{}
	c.Kiosk.Languages = []string{"xx", "xx"}
	c.Kiosk.TimeZone = "Nowhere/Land"
	c.Scanner.Prefix, c.Scanner.Suffix = "#", "#"
	c.Scanner.ReopenMin, c.Scanner.ReopenMax = 2, 1
	c.Scanner.MaxLine, c.Scanner.FrameGap = 1, -1
	c.Printer.Transport = "serial"
	c.Printer.PaperNearEndPin, c.Printer.CoverOpenPin = "P", "P"
	c.Flow.BookingEnabled = true
	c.Flow.TranslationPolicy = map[string]string{"x": "y"}
	c.Flow.ConventionStates = []string{"x", "RUS", "RUS"}
	c.Backend.ClientKey = "k"
	c.Backend.TokenFile = " t"
	c.Technician.PINHash = "1234"
	probs := c.check(nil)
	if len(probs) < 30 {
		t.Errorf("check(broken) = %d problems, want at least 30", len(probs))
	}
	for _, p := range probs {
		if !isRealKey(reflect.TypeFor[Config](), p.Key) {
			t.Errorf("check(broken) problem key %q (%s) is not a key of Config", p.Key, p.Msg)
		}
	}
}

// isRealKey resolves a dotted key path, with [i] indexes, through t.
func isRealKey(t reflect.Type, key string) bool {
	for _, part := range strings.Split(key, ".") {
		name, _, indexed := strings.Cut(part, "[")
		next, ok := child(t, name)
		if !ok {
			return false
		}
		t = deref(next)
		if indexed {
			if t.Kind() != reflect.Slice {
				return false
			}
			t = deref(t.Elem())
		}
	}
	return true
}

func TestSuggest(t *testing.T) {
	keys := []string{"port", "baud", "data_bits", "parity", "stop_bits", "dedupe_window"}
	tests := map[string]string{
		"buad":         "baud",
		"BAUD":         "baud",
		"databits":     "data_bits",
		"stopbits":     "stop_bits",
		"dedup_window": "dedupe_window",
		"speed":        "",
		"x":            "",
	}
	for in, want := range tests {
		if got := suggest(in, keys); got != want {
			t.Errorf("suggest(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestJoinKey(t *testing.T) {
	tests := []struct {
		path string
		keys []string
		want string
	}{
		{"", []string{"scanner"}, "scanner"},
		{"scanner", []string{"baud"}, "scanner.baud"},
		{"flow", []string{"translation_policy", "CHN"}, "flow.translation_policy.CHN"},
		{"a", []string{"b c"}, `a."b c"`},
		{"a", []string{""}, `a.""`},
	}
	for _, tt := range tests {
		if got := joinKey(tt.path, tt.keys...); got != tt.want {
			t.Errorf("joinKey(%q, %q) = %q, want %q", tt.path, tt.keys, got, tt.want)
		}
	}
}
