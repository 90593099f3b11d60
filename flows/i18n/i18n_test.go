package i18n_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/flows/i18n"
	"github.com/hcsc-kz/kiosk/flows/journey"
	"github.com/hcsc-kz/kiosk/flows/precheck"
)

func catalog(t testing.TB) *i18n.Catalog {
	t.Helper()
	c, err := i18n.New()
	if err != nil {
		t.Fatalf("New() error = %v", err)
	}
	return c
}

// allKeys is the union of the keys of every language.
func allKeys(c *i18n.Catalog) []string {
	set := map[string]bool{}
	var keys []string
	for _, l := range i18n.Languages() {
		for _, k := range c.Keys(l) {
			if !set[k] {
				set[k] = true
				keys = append(keys, k)
			}
		}
	}
	return keys
}

func TestEveryKeyInEveryLanguage(t *testing.T) {
	c := catalog(t)
	keys := allKeys(c)
	if len(keys) < 100 {
		t.Fatalf("catalogs hold %d keys, want the full set (100+)", len(keys))
	}
	for _, l := range i18n.Languages() {
		t.Run(string(l), func(t *testing.T) {
			for _, k := range keys {
				if !c.Has(l, k) {
					t.Errorf("Has(%s, %q) = false, want true", l, k)
				}
			}
		})
	}
}

func TestPlaceholdersMatch(t *testing.T) {
	c := catalog(t)
	for _, k := range allKeys(c) {
		t.Run(k, func(t *testing.T) {
			want, err := c.Placeholders(i18n.English, k)
			if err != nil {
				t.Fatalf("Placeholders(en, %q) error = %v", k, err)
			}
			ref := want["other"]
			for _, l := range i18n.Languages() {
				got, err := c.Placeholders(l, k)
				if err != nil {
					t.Errorf("Placeholders(%s, %q) error = %v", l, k, err)
					continue
				}
				for form, fields := range got {
					if !reflect.DeepEqual(fields, ref) {
						t.Errorf("Placeholders(%s, %q)[%s] = %v, want %v (as en other)", l, k, form, fields, ref)
					}
				}
			}
		})
	}
}

// pluralForms are the CLDR cardinal forms each language needs for integers.
func pluralForms(l i18n.Lang) []string {
	if l == i18n.Russian {
		return []string{"one", "few", "many", "other"}
	}
	return []string{"one", "other"}
}

func TestPluralForms(t *testing.T) {
	c := catalog(t)
	for _, k := range allKeys(c) {
		plural := false
		for _, l := range i18n.Languages() {
			if len(c.Forms(l, k)) > 1 {
				plural = true
			}
		}
		t.Run(k, func(t *testing.T) {
			for _, l := range i18n.Languages() {
				want := []string{"other"}
				if plural {
					want = pluralForms(l)
				}
				if got := c.Forms(l, k); !reflect.DeepEqual(got, want) {
					t.Errorf("Forms(%s, %q) = %v, want %v", l, k, got, want)
				}
			}
		})
	}
}

func TestPlurals(t *testing.T) {
	c := catalog(t)
	tests := []struct {
		lang i18n.Lang
		n    int
		want string
	}{
		{i18n.Russian, 1, "Перед вами 1 человек"},
		{i18n.Russian, 2, "Перед вами 2 человека"},
		{i18n.Russian, 4, "Перед вами 4 человека"},
		{i18n.Russian, 5, "Перед вами 5 человек"},
		{i18n.Russian, 11, "Перед вами 11 человек"},
		{i18n.Russian, 12, "Перед вами 12 человек"},
		{i18n.Russian, 21, "Перед вами 21 человек"},
		{i18n.Russian, 22, "Перед вами 22 человека"},
		{i18n.Russian, 25, "Перед вами 25 человек"},
		{i18n.Russian, 111, "Перед вами 111 человек"},
		{i18n.Russian, 1001, "Перед вами 1001 человек"},
		{i18n.Kazakh, 1, "Алдыңызда 1 адам бар"},
		{i18n.Kazakh, 5, "Алдыңызда 5 адам бар"},
		{i18n.English, 1, "1 person ahead of you"},
		{i18n.English, 2, "2 people ahead of you"},
		{i18n.English, 21, "21 people ahead of you"},
	}
	for _, tt := range tests {
		t.Run(string(tt.lang), func(t *testing.T) {
			m := i18n.Message{Key: "ticket.people_ahead", Args: i18n.Args{"Count": tt.n}}
			got, err := c.Localize(tt.lang, m)
			if err != nil || got != tt.want {
				t.Errorf("Localize(%s, people_ahead %d) = %q, %v, want %q", tt.lang, tt.n, got, err, tt.want)
			}
		})
	}
	seconds := []struct {
		n    int
		want string
	}{{1, "Через 1 секунду"}, {3, "Через 3 секунды"}, {20, "Через 20 секунд"}, {21, "Через 21 секунду"}}
	for _, tt := range seconds {
		m := i18n.Message{Key: "screen.still_there.countdown", Args: i18n.Args{"Count": tt.n}}
		if got := c.Format(i18n.Russian, m); !strings.HasPrefix(got, tt.want) {
			t.Errorf("Format(ru, countdown %d) = %q, want prefix %q", tt.n, got, tt.want)
		}
	}
}

// TestEveryMessageRuns fills every placeholder and runs every message in
// every language for counts that reach every plural form.
func TestEveryMessageRuns(t *testing.T) {
	c := catalog(t)
	for _, k := range allKeys(c) {
		ph, err := c.Placeholders(i18n.English, k)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range i18n.Languages() {
			for _, n := range []int{0, 1, 2, 5, 21} {
				args := i18n.Args{}
				for _, f := range ph["other"] {
					args[f] = "x"
				}
				if len(c.Forms(l, k)) > 1 {
					args["Count"] = n
				}
				got, err := c.Localize(l, i18n.Message{Key: k, Args: args})
				if err != nil || got == "" || strings.Contains(got, "<no value>") {
					t.Errorf("Localize(%s, %q, Count=%d) = %q, %v, want text", l, k, n, got, err)
				}
			}
		}
	}
}

// TestTranslated catches a string copied from English and never translated.
func TestTranslated(t *testing.T) {
	c := catalog(t)
	same := map[string]bool{"screen.phone.placeholder": true, "date.format": true} // ru and en both "26 …ber 2026"
	for _, k := range c.Keys(i18n.English) {
		en := c.Text(i18n.English, k)
		for _, l := range []i18n.Lang{i18n.Kazakh, i18n.Russian} {
			if got := c.Text(l, k); got == en && !same[k] {
				t.Errorf("Text(%s, %q) = %q, the English text, want a translation", l, k, got)
			}
		}
	}
	// Kazakh is written with its own letters.
	kk := strings.Join(func() []string {
		var s []string
		for _, k := range c.Keys(i18n.Kazakh) {
			s = append(s, c.Text(i18n.Kazakh, k))
		}
		return s
	}(), " ")
	for _, r := range "әғқңөұүі" {
		if !strings.ContainsRune(kk, r) {
			t.Errorf("Kazakh catalog has no %q, want Kazakh letters", r)
		}
	}
}

func TestDate(t *testing.T) {
	c := catalog(t)
	d := config.Day{Year: 2026, Month: time.November, Day: 26}
	tests := []struct {
		lang i18n.Lang
		want string
	}{
		{i18n.Kazakh, "2026 жылғы 26 қараша"},
		{i18n.Russian, "26 ноября 2026"}, // no "г.": issue 10
		{i18n.English, "26 November 2026"},
	}
	for _, tt := range tests {
		t.Run(string(tt.lang), func(t *testing.T) {
			if got := c.Date(tt.lang, d); got != tt.want {
				t.Errorf("Date(%s, %v) = %q, want %q", tt.lang, d, got, tt.want)
			}
			m := i18n.Message{Key: "notice.ready", Args: i18n.Args{"Date": d}}
			if got := c.Format(tt.lang, m); !strings.Contains(got, tt.want) {
				t.Errorf("Format(%s, notice.ready) = %q, want it to contain %q", tt.lang, got, tt.want)
			}
		})
	}
}

func TestParseLang(t *testing.T) {
	tests := []struct {
		in   string
		want i18n.Lang
		err  bool
	}{
		{"kk", i18n.Kazakh, false},
		{"KK", i18n.Kazakh, false},
		{"kk-KZ", i18n.Kazakh, false},
		{"ru_RU", i18n.Russian, false},
		{" en ", i18n.English, false},
		{"de", "", true},
		{"", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := i18n.ParseLang(tt.in)
			if got != tt.want || (err != nil) != tt.err {
				t.Errorf("ParseLang(%q) = %q, %v, want %q, error %v", tt.in, got, err, tt.want, tt.err)
			}
			if err != nil && !errors.Is(err, i18n.ErrLanguage) {
				t.Errorf("ParseLang(%q) error = %v, want ErrLanguage", tt.in, err)
			}
		})
	}
}

func TestMissing(t *testing.T) {
	c := catalog(t)
	if _, err := c.Localize(i18n.Russian, i18n.M("no.such.key")); !errors.Is(err, i18n.ErrMessage) {
		t.Errorf("Localize(ru, no.such.key) error = %v, want ErrMessage", err)
	}
	if got := c.Text(i18n.Russian, "no.such.key"); got != "no.such.key" {
		t.Errorf("Text(ru, no.such.key) = %q, want the key", got)
	}
	if _, err := c.Localize("de", i18n.M("button.back")); !errors.Is(err, i18n.ErrLanguage) {
		t.Errorf("Localize(de, button.back) error = %v, want ErrLanguage", err)
	}
}

func BenchmarkFormat(b *testing.B) {
	c := catalog(b)
	m := i18n.Message{Key: "ticket.people_ahead", Args: i18n.Args{"Count": 22}}
	for b.Loop() {
		c.Format(i18n.Russian, m)
	}
}

func TestCountry(t *testing.T) {
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		lang i18n.Lang
		code string
		want string
	}{
		{i18n.Kazakh, "CHN", "Қытай (CHN)"},
		{i18n.Russian, "D", "Германия (D)"},
		{i18n.English, "GBN", "United Kingdom (GBN)"},
		{i18n.Kazakh, "KAZ", "Қазақстан (KAZ)"},
		{i18n.English, "UTO", "UTO"},
		{i18n.Russian, "XXA", "XXA"},
		{i18n.English, "", ""},
	}
	for _, tc := range tests {
		if got := cat.Country(tc.lang, tc.code); got != tc.want {
			t.Errorf("Country(%s, %q) = %q, want %q", tc.lang, tc.code, got, tc.want)
		}
	}
}

// TestFlowKeysInCatalogs checks every key the flows hand to the screens and
// the ticket is in all three languages. (The screens' own keys are checked
// in kiosk/screen.)
func TestFlowKeysInCatalogs(t *testing.T) {
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	for pkg, keys := range map[string][]string{"journey": journey.Keys(), "precheck": precheck.Keys()} {
		if len(keys) == 0 {
			t.Errorf("%s.Keys() is empty", pkg)
		}
		for _, k := range keys {
			for _, l := range i18n.Languages() {
				if !cat.Has(l, k) {
					t.Errorf("%s key %q is not in the %s catalog", pkg, k, l)
				}
			}
		}
	}
}
