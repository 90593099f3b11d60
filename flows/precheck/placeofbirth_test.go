package precheck_test

import (
	"strings"
	"testing"

	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/devices/mrz"
	"github.com/hcsc-kz/kiosk/flows/i18n"
	"github.com/hcsc-kz/kiosk/flows/precheck"
)

// TestTranslationRule walks each way the translation rule can be decided
// (shared/CONTEXT.md, "2026 changes"): a translation is required only when
// the surname, the given names or the place of birth is not given in Latin
// or Cyrillic letters. The visual zone decides field by field, then the
// whole page's scripts, then the state's entry about the place of birth,
// then the visitor.
func TestTranslationRule(t *testing.T) {
	c := checker(t, func(f *config.Flow) {
		f.TranslationPolicy = map[string]string{
			"RUS": config.TranslationNotRequired,
			"CHN": config.TranslationNotRequired,
			"SAU": config.TranslationRequired,
			"IND": config.TranslationAsk,
		}
	})
	const (
		field   = "precheck.reason.field_not_latin."
		page    = "precheck.reason.translation_viz"
		policyR = "precheck.reason.translation_policy"
		visitR  = "precheck.reason.translation_visitor"
		askR    = "precheck.reason.translation_ask"
	)
	fields := func(kv ...string) precheck.VIZ {
		v := precheck.VIZ{Fields: map[precheck.Field]string{}}
		for i := 0; i+1 < len(kv); i += 2 {
			f, err := precheck.ParseField(kv[i])
			if err != nil {
				t.Fatal(err)
			}
			v.Fields[f] = kv[i+1]
		}
		return v
	}
	none, viz, policy, visitor := precheck.SourceNone, precheck.SourceVIZ, precheck.SourcePolicy, precheck.SourceVisitor
	tests := []struct {
		name     string
		state    string
		in       precheck.Input
		required bool
		source   precheck.Source
		reason   string // the translation item's reason; "" when there is none
		ask      bool
	}{
		// The visual zone, field by field.
		{name: "place of birth in Arabic only", state: "IND", in: precheck.Input{VIZ: fields("placeOfBirth", "القاهرة")},
			required: true, source: viz, reason: field + "place_of_birth"},
		{name: "place of birth in Arabic and Latin", state: "SAU", in: precheck.Input{VIZ: fields("placeOfBirth", "القاهرة / CAIRO")},
			source: viz},
		{name: "place of birth in Georgian and Cyrillic", state: "SAU", in: precheck.Input{VIZ: fields("placeOfBirth", "თბილისი ТБИЛИСИ")},
			source: viz},
		{name: "surname in Chinese only", state: "CHN", in: precheck.Input{VIZ: fields("surname", "张", "placeOfBirth", "BEIJING")},
			required: true, source: viz, reason: field + "surname"},
		{name: "given names in Hebrew only", state: "RUS", in: precheck.Input{VIZ: fields("givenNames", "דוד")},
			required: true, source: viz, reason: field + "given_names"},
		{name: "names in two scripts, place of birth in Latin", state: "SAU", in: precheck.Input{VIZ: fields("surname", "ZHANG 张", "givenNames", "WEI 伟", "placeOfBirth", "GUANGDONG 广东")},
			source: viz},
		{name: "names read, place of birth not: the state decides", state: "SAU", in: precheck.Input{VIZ: fields("surname", "DOE", "givenNames", "ALEX")},
			required: true, source: policy, reason: policyR},
		{name: "place of birth without letters: the state decides", state: "RUS", in: precheck.Input{VIZ: fields("placeOfBirth", "12-3")},
			source: policy},
		{name: "a field wins over the page's text", state: "SAU", in: precheck.Input{VIZ: precheck.VIZ{
			Fields: map[precheck.Field]string{precheck.PlaceOfBirth: "MAKKAH مكة"}, Text: "مكة"}},
			source: viz},
		// The whole page's scripts, when the scanner cannot say which field is which.
		{name: "page only in Arabic script", state: "IND", in: precheck.Input{VIZ: precheck.VIZ{Scripts: []string{"Arab"}}},
			required: true, source: viz, reason: page},
		{name: "page only Latin and Cyrillic", state: "SAU", in: precheck.Input{VIZ: precheck.VIZ{Scripts: []string{"Latn", "Cyrl"}}},
			source: viz},
		{name: "page mixes Latin and Georgian: the state decides", state: "SAU", in: precheck.Input{VIZ: precheck.VIZ{Scripts: []string{"Latn", "Geor"}}},
			required: true, source: policy, reason: policyR},
		{name: "page mixes Latin and Georgian, state unknown: the visitor", state: "GEO", in: precheck.Input{VIZ: precheck.VIZ{Scripts: []string{"Latn", "Geor"}}},
			source: none, reason: askR, ask: true},
		{name: "page text mixes Cyrillic and Georgian: the state decides", state: "RUS", in: precheck.Input{VIZ: precheck.VIZ{Text: "Иванов თბილისი"}},
			source: policy},
		{name: "page text only Hebrew", state: "RUS", in: precheck.Input{VIZ: precheck.VIZ{Text: "דוד"}},
			required: true, source: viz, reason: page},
		// The state's entry about the place of birth.
		{name: "state prints it in Latin or Cyrillic", state: "CHN", source: policy},
		{name: "state does not", state: "SAU", required: true, source: policy, reason: policyR},
		// The visitor, for "ask" and for states not listed.
		{name: "state says ask, not yet asked", state: "IND", source: none, reason: askR, ask: true},
		{name: "state not listed, not yet asked", state: "BRA", source: none, reason: askR, ask: true},
		{name: "visitor: only in other letters", state: "IND", in: precheck.Input{NonLatin: precheck.Yes},
			required: true, source: visitor, reason: visitR},
		{name: "visitor: in Latin or Cyrillic too", state: "BRA", in: precheck.Input{NonLatin: precheck.No}, source: visitor},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			in.At = at
			doc, err := mrz.Parse(p(tt.state, "300101"), at)
			if err != nil {
				t.Fatal(err)
			}
			in.Doc = doc
			r := c.Check(in)
			reason := ""
			for _, it := range r.Items {
				if it.Text.Key == translKey || it.Text.Key == translIfKey {
					reason = it.Reason.Key
				}
			}
			if r.TranslationRequired != tt.required || r.TranslationSource != tt.source || reason != tt.reason ||
				(r.Ask == precheck.AskNonLatin) != tt.ask {
				t.Errorf("Check(%s) = required %v, source %v, reason %q, ask %v; want %v, %v, %q, %v", tt.name,
					r.TranslationRequired, r.TranslationSource, reason, r.Ask == precheck.AskNonLatin,
					tt.required, tt.source, tt.reason, tt.ask)
			}
		})
	}
}

// TestParseField reads the names `kiosk precheck --viz` takes.
func TestParseField(t *testing.T) {
	for _, f := range []precheck.Field{precheck.Surname, precheck.GivenNames, precheck.PlaceOfBirth} {
		got, err := precheck.ParseField(f.String())
		if err != nil || got != f {
			t.Errorf("ParseField(%q) = %v, %v, want %v", f.String(), got, err, f)
		}
	}
	for _, s := range []string{"", "place_of_birth", "name", "Surname "} {
		if _, err := precheck.ParseField(s); err == nil {
			t.Errorf("ParseField(%q) error = nil, want an error", s)
		}
	}
}

// TestDefaultPolicy checks the shipped table answers the real question:
// every entry has a source or says it is assumed, and a state not listed
// is asked about.
func TestDefaultPolicy(t *testing.T) {
	entries := config.PlaceOfBirthPolicy()
	if len(entries) == 0 {
		t.Fatal("PlaceOfBirthPolicy() is empty")
	}
	flow := config.DefaultFlow()
	for _, e := range entries {
		if e.Source == "" {
			t.Errorf("%s: no source; give one or say it is assumed", e.State)
		}
		if e.Assumed && e.Policy == config.TranslationRequired {
			t.Errorf("%s: an assumed entry must not demand a translation; make it %q", e.State, config.TranslationAsk)
		}
		if flow.TranslationPolicy[e.State] != e.Policy {
			t.Errorf("DefaultFlow().TranslationPolicy[%s] = %q, want %q from the table", e.State, flow.TranslationPolicy[e.State], e.Policy)
		}
	}
	c := checker(t, nil)
	for _, state := range []string{"BRA", "CHN"} {
		doc, err := mrz.Parse(p(state, "300101"), at)
		if err != nil {
			t.Fatal(err)
		}
		if r := c.Check(precheck.Input{Doc: doc, At: at}); r.Ask != precheck.AskNonLatin || r.TranslationRequired {
			t.Errorf("Check(%s) with the default table = ask %v, required %v; want the visitor asked", state, r.Ask, r.TranslationRequired)
		}
	}
}

// TestTranslationReasonsNameTheField checks the translation's reasons say
// which field is not in Latin or Cyrillic, in every language: the old text
// ("personal data are also written in another script") stated the wrong
// rule.
func TestTranslationReasonsNameTheField(t *testing.T) {
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	place := map[i18n.Lang]string{i18n.Kazakh: "туған жер", i18n.Russian: "место рождения", i18n.English: "place of birth"}
	keys := map[string]map[i18n.Lang]string{
		"precheck.reason.translation_policy":             place,
		"precheck.reason.translation_visitor":            place,
		"precheck.reason.translation_ask":                place,
		"precheck.item.translation_if":                   place,
		"screen.script.question":                         place,
		"precheck.reason.field_not_latin.place_of_birth": place,
		"precheck.reason.field_not_latin.surname":        {i18n.Kazakh: "тегі", i18n.Russian: "фамили", i18n.English: "surname"},
		"precheck.reason.field_not_latin.given_names":    {i18n.Kazakh: "аты", i18n.Russian: "имя", i18n.English: "given names"},
	}
	for key, words := range keys {
		for _, l := range i18n.Languages() {
			if s := cat.Text(l, key); !strings.Contains(strings.ToLower(s), words[l]) {
				t.Errorf("%s %s = %q, want it to name the field (%q)", l, key, s, words[l])
			}
		}
	}
}
