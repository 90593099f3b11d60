package precheck_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/devices/mrz"
	"github.com/hcsc-kz/kiosk/devices/mrz/mrztest"
	"github.com/hcsc-kz/kiosk/flows/i18n"
	"github.com/hcsc-kz/kiosk/flows/precheck"
	"github.com/hcsc-kz/kiosk/flows/workday"
)

// at is the reference application time: a Wednesday morning in Almaty.
var at = time.Date(2026, 11, 25, 10, 0, 0, 0, time.FixedZone("+05", 5*3600))

// pad fills s with '<' to n characters.

// passport builds a TD3 MRZ with correct check digits. names is
// "SURNAME<<GIVEN<NAMES"; dates are YYMMDD.
func passport(code, state, names, number, nat, birth, sex, expiry, personal string) string {
	return mrztest.TD3{Code: code, State: state, Names: names, Number: number, Nationality: nat,
		Birth: birth, Sex: sex, Expiry: expiry, Personal: personal}.String()
}

// p is an ordinary passport of state with the given expiry.
func p(state, expiry string) string {
	return passport("P", state, "DOE<<ALEX", "AB1234567", state, "900215", "M", expiry, "")
}

// rusInternal builds a Russian internal passport MRZ: series and number
// "4501 234567", the given birth and issue dates.
func rusInternal(birth, issued string) string {
	return passport("PN", "RUS", "IVANOV<<IVAN<IVANOVI3", "450234567", "RUS", birth, "M", "<<<<<<", "1"+issued+"770001")
}

// Public ICAO Doc 9303 specimens of documents that are not passports.
const (
	td1Card = "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<"
	td2Card = "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6"
	visa    = "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL8988901C4XXX4009078F96121096ZE184226B<<<<<<"
	icaoTD3 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
)

// corrupt changes one digit of the birth date, so its check digit fails.
func corrupt(m string) string {
	i := strings.Index(m, "\n") + 1 + 13
	b := []byte(m)
	b[i] = '0' + (b[i]-'0'+1)%10
	return string(b)
}

func checker(t testing.TB, mod func(*config.Flow)) *precheck.Checker {
	t.Helper()
	flow := config.DefaultFlow()
	if mod != nil {
		mod(&flow)
	}
	c, err := precheck.ForBranch(flow, "Asia/Almaty")
	if err != nil {
		t.Fatalf("New() error = %v", err)
	}
	return c
}

const (
	passportKey  = "precheck.item.passport"
	principalKey = "precheck.item.principal_passport"
	translKey    = "precheck.item.notarized_translation"
	translIfKey  = "precheck.item.translation_if"
	poaKey       = "precheck.item.poa"
	repIDKey     = "precheck.item.rep_id"
	legalPoAKey  = "precheck.item.legalisation_poa"
	legalTrKey   = "precheck.item.legalisation_translation"
	legalIfKey   = "precheck.item.legalisation_if_abroad"
	legalIfTrKey = "precheck.item.legalisation_abroad.translation_only"
	legalIfPoA   = "precheck.item.legalisation_abroad.poa_only"
	expiringKey  = "precheck.item.expiring"
	birthKey     = "precheck.item.birth_date_missing"
)

type testCase struct {
	name        string
	mrz         string // "" for a scan that gave nothing
	in          precheck.Input
	noRep       bool // the branch has switched the representative path off
	decision    precheck.Decision
	source      precheck.Source
	translation bool
	items       []string // item keys, in order
	reason      string   // the first item's reason key, when it matters
	ready       string
}

func rep(from string) precheck.Input {
	return precheck.Input{Applicant: precheck.Representative, PowerOfAttorneyFrom: from}
}

func cases() []testCase {
	ok, needs, cannot := precheck.OK, precheck.NeedsDocuments, precheck.CannotApply
	policy, viz, visitor, none := precheck.SourcePolicy, precheck.SourceVIZ, precheck.SourceVisitor, precheck.SourceNone
	return []testCase{
		// States and the policy table.
		{name: "Russia", mrz: p("RUS", "300101"), decision: ok, source: policy, items: []string{passportKey}, ready: "2026-11-26"},
		{name: "Belarus", mrz: p("BLR", "310101"), decision: ok, source: policy, items: []string{passportKey}, ready: "2026-11-26"},
		{name: "Ukraine", mrz: p("UKR", "290630"), decision: ok, source: policy, items: []string{passportKey}},
		{name: "Uzbekistan", mrz: p("UZB", "280101"), decision: ok, source: policy, items: []string{passportKey}},
		{name: "Kyrgyzstan", mrz: p("KGZ", "280101"), decision: ok, source: policy, items: []string{passportKey}},
		{name: "Tajikistan", mrz: p("TJK", "280101"), decision: ok, source: policy, items: []string{passportKey}},
		{name: "Turkey", mrz: p("TUR", "330101"), decision: ok, source: policy, items: []string{passportKey}},
		{name: "Germany D", mrz: passport("P", "D", "MUELLER<<HANS", "C01X00T47", "D", "640812", "M", "341231", ""), decision: ok, source: policy, items: []string{passportKey}},
		{name: "Mongolia", mrz: p("MNG", "300101"), decision: ok, source: policy, items: []string{passportKey}},
		{name: "Japan", mrz: p("JPN", "300101"), decision: ok, source: policy, items: []string{passportKey}},
		{name: "China", mrz: p("CHN", "300101"), decision: needs, source: policy, translation: true, items: []string{passportKey, translKey, legalIfTrKey}, reason: "precheck.reason.passport"},
		{name: "Korea", mrz: p("KOR", "300101"), decision: needs, source: policy, translation: true, items: []string{passportKey, translKey, legalIfTrKey}},
		{name: "Georgia", mrz: p("GEO", "300101"), decision: needs, source: policy, translation: true, items: []string{passportKey, translKey, legalIfTrKey}},
		{name: "Armenia", mrz: p("ARM", "300101"), decision: needs, source: policy, translation: true, items: []string{passportKey, translKey, legalIfTrKey}},
		{name: "Iran", mrz: p("IRN", "300101"), decision: needs, source: policy, translation: true, items: []string{passportKey, translKey, legalIfTrKey}},
		{name: "Greece", mrz: p("GRC", "300101"), decision: needs, source: policy, translation: true, items: []string{passportKey, translKey, legalIfTrKey}},
		{name: "China translated in Kazakhstan", mrz: p("CHN", "300101"), in: precheck.Input{TranslationFrom: "KAZ"}, decision: needs, source: policy, translation: true, items: []string{passportKey, translKey}},
		{name: "China translated in China", mrz: p("CHN", "300101"), in: precheck.Input{TranslationFrom: "CHN"}, decision: needs, source: policy, translation: true, items: []string{passportKey, translKey, legalTrKey}},
		{name: "Georgia translated in Georgia (Minsk convention)", mrz: p("GEO", "300101"), in: precheck.Input{TranslationFrom: "GEO"}, decision: needs, source: policy, translation: true, items: []string{passportKey, translKey}},
		// Scripts from the visual zone win over the policy.
		{name: "Uzbekistan VIZ Cyrillic and Latin", mrz: p("UZB", "300101"), in: precheck.Input{VIZ: precheck.VIZ{Text: "ИВАНОВ / IVANOV, Тошкент"}}, decision: ok, source: viz, items: []string{passportKey}},
		{name: "Afghanistan VIZ Arabic and Latin, fields unknown: asks", mrz: p("AFG", "300101"), in: precheck.Input{VIZ: precheck.VIZ{Text: "DOE / دو"}}, decision: needs, source: none, items: []string{passportKey, translIfKey}},
		{name: "Afghanistan VIZ Arabic only", mrz: p("AFG", "300101"), in: precheck.Input{VIZ: precheck.VIZ{Text: "دو"}}, decision: needs, source: viz, translation: true, items: []string{passportKey, translKey, legalIfTrKey}},
		{name: "China VIZ Latin only", mrz: p("CHN", "300101"), in: precheck.Input{VIZ: precheck.VIZ{Text: "ZHANG WEI, BEIJING"}}, decision: ok, source: viz, items: []string{passportKey}},
		{name: "Russia VIZ with Georgian: policy", mrz: p("RUS", "300101"), in: precheck.Input{VIZ: precheck.VIZ{Text: "Иванов თბილისი"}}, decision: ok, source: policy, items: []string{passportKey}},
		{name: "Vietnam VIZ Latin with diacritics", mrz: p("VNM", "300101"), in: precheck.Input{VIZ: precheck.VIZ{Text: "NGUYỄN VĂN AN, Hà Nội"}}, decision: ok, source: viz, items: []string{passportKey}},
		{name: "VIZ digits only fall back to policy", mrz: p("CHN", "300101"), in: precheck.Input{VIZ: precheck.VIZ{Text: "12.03.1990 / 0123"}}, decision: needs, source: policy, translation: true, items: []string{passportKey, translKey, legalIfTrKey}},
		{name: "USA scripts Latn", mrz: p("USA", "300101"), in: precheck.Input{VIZ: precheck.VIZ{Scripts: []string{"Latn"}}}, decision: ok, source: viz, items: []string{passportKey}},
		{name: "Georgia scripts Latn Geor: policy", mrz: p("GEO", "300101"), in: precheck.Input{VIZ: precheck.VIZ{Scripts: []string{"Latn", "Geor"}}}, decision: needs, source: policy, translation: true, items: []string{passportKey, translKey, legalIfTrKey}},
		{name: "Israel scripts hebr lower case", mrz: p("ISR", "300101"), in: precheck.Input{VIZ: precheck.VIZ{Scripts: []string{"hebr"}}}, decision: needs, source: viz, translation: true, items: []string{passportKey, translKey, legalIfTrKey}},
		{name: "Japan scripts Zyyy only fall back to policy", mrz: p("JPN", "300101"), in: precheck.Input{VIZ: precheck.VIZ{Scripts: []string{"Zyyy", "bogus!"}}}, decision: ok, source: policy, items: []string{passportKey}},
		// The visitor decides when nothing else can.
		{name: "India unanswered", mrz: p("IND", "300101"), decision: needs, source: none, items: []string{passportKey, translIfKey}},
		{name: "India yes", mrz: p("IND", "300101"), in: precheck.Input{NonLatin: precheck.Yes}, decision: needs, source: visitor, translation: true, items: []string{passportKey, translKey, legalIfTrKey}},
		{name: "India no", mrz: p("IND", "300101"), in: precheck.Input{NonLatin: precheck.No}, decision: ok, source: visitor, items: []string{passportKey}},
		{name: "Brazil (not in the table) unanswered", mrz: p("BRA", "300101"), decision: needs, source: none, items: []string{passportKey, translIfKey}},
		{name: "Brazil no", mrz: p("BRA", "300101"), in: precheck.Input{NonLatin: precheck.No}, decision: ok, source: visitor, items: []string{passportKey}},
		{name: "ICAO Utopia specimen renewed, yes", mrz: p("UTO", "300101"), in: precheck.Input{NonLatin: precheck.Yes, TranslationFrom: "KAZ"}, decision: needs, source: visitor, translation: true, items: []string{passportKey, translKey}},
		// Representatives.
		{name: "representative, power of attorney from Russia", mrz: p("RUS", "300101"), in: rep("RUS"), decision: needs, source: policy, items: []string{principalKey, poaKey, repIDKey}},
		{name: "representative, power of attorney from Kazakhstan", mrz: p("TUR", "300101"), in: rep("KAZ"), decision: needs, source: policy, items: []string{principalKey, poaKey, repIDKey}},
		{name: "representative, power of attorney from Germany", mrz: p("DEU", "300101"), in: rep("DEU"), decision: needs, source: policy, items: []string{principalKey, poaKey, legalPoAKey, repIDKey}},
		{name: "representative, power of attorney from Ukraine (no convention)", mrz: p("UKR", "300101"), in: rep("UKR"), decision: needs, source: policy, items: []string{principalKey, poaKey, legalPoAKey, repIDKey}},
		{name: "representative, power of attorney origin unknown", mrz: p("RUS", "300101"), in: rep(""), decision: needs, source: policy, items: []string{principalKey, poaKey, repIDKey, legalIfPoA}},
		{name: "representative, translation and power of attorney origins unknown", mrz: p("CHN", "300101"), in: rep(""), decision: needs, source: policy, translation: true, items: []string{principalKey, translKey, poaKey, repIDKey, legalIfKey}},
		{name: "representative for a Chinese citizen", mrz: p("CHN", "300101"), in: precheck.Input{Applicant: precheck.Representative, PowerOfAttorneyFrom: "CHN", TranslationFrom: "KAZ"}, decision: needs, source: policy, translation: true, items: []string{principalKey, translKey, poaKey, legalPoAKey, repIDKey}},
		{name: "representative path switched off", mrz: p("RUS", "300101"), in: rep("RUS"), noRep: true, decision: cannot, items: []string{"precheck.item.representative_off"}},
		{name: "in person while representatives are off", mrz: p("RUS", "300101"), noRep: true, decision: ok, source: policy, items: []string{passportKey}},
		// Documents that are not passports, and citizens.
		{name: "ID card TD1", mrz: td1Card, decision: cannot, items: []string{"precheck.item.not_passport"}, reason: "precheck.reason.not_passport"},
		{name: "ID card TD2", mrz: td2Card, decision: cannot, items: []string{"precheck.item.not_passport"}},
		{name: "visa", mrz: visa, decision: cannot, items: []string{"precheck.item.not_passport"}},
		{name: "TD3 that is not a passport", mrz: passport("AC", "UTO", "DOE<<ALEX", "AB1234567", "UTO", "900215", "M", "300101", ""), decision: cannot, items: []string{"precheck.item.not_passport"}},
		{name: "diplomatic passport", mrz: passport("PD", "FRA", "DUPONT<<MARIE", "12AB34567", "FRA", "850101", "F", "300101", ""), decision: ok, source: policy, items: []string{passportKey}},
		{name: "Kazakhstan citizen", mrz: p("KAZ", "300101"), decision: cannot, items: []string{"precheck.item.kz_citizen"}},
		{name: "stateless person's travel document from Kazakhstan", mrz: passport("P", "KAZ", "DOE<<ALEX", "N12345678", "XXA", "900215", "M", "300101", ""), in: precheck.Input{NonLatin: precheck.No}, decision: ok, source: visitor, items: []string{passportKey}},
		// Expiry.
		{name: "ICAO specimen expired 2012", mrz: icaoTD3, decision: cannot, items: []string{"precheck.item.expired"}, reason: "precheck.reason.expired"},
		{name: "expired yesterday", mrz: p("RUS", "261124"), decision: cannot, items: []string{"precheck.item.expired"}},
		{name: "expires today", mrz: p("RUS", "261125"), decision: ok, source: policy, items: []string{passportKey, expiringKey}},
		{name: "expires in 30 days", mrz: p("RUS", "261225"), decision: ok, source: policy, items: []string{passportKey, expiringKey}},
		{name: "expires in 31 days", mrz: p("RUS", "261226"), decision: ok, source: policy, items: []string{passportKey}},
		// Bad scans.
		{name: "nothing readable", mrz: "", decision: precheck.Rescan, items: []string{"precheck.item.rescan"}, reason: "precheck.reason.unreadable"},
		{name: "French ID card (not ICAO)", in: precheck.Input{NotICAO: mrz.FrenchIDCard}, decision: cannot, items: []string{"precheck.item.french_id_card"}, reason: "precheck.reason.not_icao"},
		{name: "driving licence (not ICAO)", in: precheck.Input{NotICAO: mrz.DrivingLicence, PreviousFailures: 5}, decision: cannot, items: []string{"precheck.item.driving_licence"}, reason: "precheck.reason.not_icao"},
		{name: "check digit failure", mrz: corrupt(p("RUS", "300101")), decision: precheck.Rescan, items: []string{"precheck.item.rescan"}, reason: "precheck.reason.check_digits"},
		{name: "second check digit failure", mrz: corrupt(p("RUS", "300101")), in: precheck.Input{PreviousFailures: 1}, decision: precheck.SeeClerk, items: []string{"precheck.item.see_clerk"}, reason: "precheck.reason.scan_failures"},
		{name: "birth date 990231", mrz: passport("P", "RUS", "DOE<<ALEX", "AB1234567", "RUS", "990231", "M", "300101", ""), decision: precheck.Rescan, items: []string{"precheck.item.rescan"}, reason: "precheck.reason.bad_birth_date"},
		{name: "expiry 301332", mrz: passport("P", "RUS", "DOE<<ALEX", "AB1234567", "RUS", "900101", "M", "301332", ""), decision: precheck.Rescan, items: []string{"precheck.item.rescan"}, reason: "precheck.reason.bad_expiry_date"},
		{name: "no surname", mrz: passport("P", "RUS", "", "AB1234567", "RUS", "900101", "M", "300101", ""), decision: precheck.Rescan, items: []string{"precheck.item.rescan"}, reason: "precheck.reason.missing_surname"},
		{name: "birth date unknown", mrz: passport("P", "SOM", "DOE<<ALEX", "AB1234567", "SOM", "<<<<<<", "M", "300101", ""), in: precheck.Input{NonLatin: precheck.No}, decision: ok, source: visitor, items: []string{passportKey, birthKey}},
		// The Russian internal passport.
		{name: "Russian internal, age 36, issued at 20", mrz: rusInternal("900101", "100115"), decision: ok, source: policy, items: []string{passportKey}},
		{name: "Russian internal, 45 reached, not replaced", mrz: rusInternal("800101", "000215"), decision: cannot, items: []string{"precheck.item.expired"}, reason: "precheck.reason.expired_age"},
		{name: "Russian internal, 45 reached, within 90 days", mrz: rusInternal("810920", "011015"), decision: ok, source: policy, items: []string{passportKey, expiringKey}},
		{name: "Russian internal, replaced at 45", mrz: rusInternal("800101", "250110"), decision: ok, source: policy, items: []string{passportKey}},
		// The ready date.
		{name: "after closing", mrz: p("RUS", "300101"), in: precheck.Input{At: time.Date(2026, 11, 25, 18, 30, 0, 0, time.FixedZone("+05", 5*3600))}, decision: ok, source: policy, items: []string{passportKey}, ready: "2026-11-27"},
		{name: "on Saturday", mrz: p("RUS", "300101"), in: precheck.Input{At: time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)}, decision: ok, source: policy, items: []string{passportKey}, ready: "2026-12-01"},
		{name: "before Independence Day", mrz: p("RUS", "300101"), in: precheck.Input{At: time.Date(2026, 12, 15, 9, 0, 0, 0, time.UTC)}, decision: ok, source: policy, items: []string{passportKey}, ready: "2026-12-17"},
		{name: "Friday before Nauryz", mrz: p("RUS", "300101"), in: precheck.Input{At: time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC)}, decision: ok, source: policy, items: []string{passportKey}, ready: "2026-03-26"},
	}
}

func TestCheck(t *testing.T) {
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	// The table runs with the representative path on (the default is
	// off: see the switched-off cases) and with a branch's policy that
	// marks some states "required", to test how the entries are used; the
	// shipped table is TestDefaultPolicy's.
	def := checker(t, func(f *config.Flow) {
		f.RepresentativeAllowed = true
		for _, s := range []string{"CHN", "KOR", "GEO", "ARM", "IRN", "GRC"} {
			f.TranslationPolicy[s] = config.TranslationRequired
		}
		f.TranslationPolicy["JPN"] = config.TranslationNotRequired
	})
	noRep := checker(t, nil)
	tests := cases()
	if len(tests) < 40 {
		t.Fatalf("%d passports in the table, want at least 40", len(tests))
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			if in.At.IsZero() {
				in.At = at
			}
			if tt.mrz != "" {
				doc, err := mrz.Parse(tt.mrz, at)
				if err != nil {
					t.Fatalf("mrz.Parse error = %v", err)
				}
				in.Doc = doc
			}
			c := def
			if tt.noRep {
				c = noRep
			}
			r := c.Check(in)
			var keys []string
			for _, it := range r.Items {
				keys = append(keys, it.Text.Key)
			}
			if r.Decision != tt.decision || r.TranslationSource != tt.source || r.TranslationRequired != tt.translation || !reflect.DeepEqual(keys, tt.items) {
				t.Errorf("Check(%s) = %v %v translation=%v %v, want %v %v translation=%v %v",
					tt.name, r.Decision, r.TranslationSource, r.TranslationRequired, keys, tt.decision, tt.source, tt.translation, tt.items)
			}
			if tt.reason != "" && len(r.Items) > 0 && r.Items[0].Reason.Key != tt.reason {
				t.Errorf("Check(%s) first reason = %s, want %s", tt.name, r.Items[0].Reason.Key, tt.reason)
			}
			canApply := r.Decision == precheck.OK || r.Decision == precheck.NeedsDocuments
			if tt.ready != "" && r.ReadyDate.String() != tt.ready {
				t.Errorf("Check(%s) ReadyDate = %s, want %s", tt.name, r.ReadyDate, tt.ready)
			}
			if canApply != (len(r.Notices) > 0) || canApply != (r.ReadyDate != config.Day{}) {
				t.Errorf("Check(%s) = %v with %d notices, ready %v; want notices and a date exactly when one can apply", tt.name, r.Decision, len(r.Notices), r.ReadyDate)
			}
			if (r.Ask == precheck.AskNonLatin) != (tt.source == precheck.SourceNone && canApply) {
				t.Errorf("Check(%s) Ask = %v, want a question exactly when the visitor must decide", tt.name, r.Ask)
			}
			// Every text and reason reads in every language.
			for _, l := range i18n.Languages() {
				for _, it := range r.Items {
					for _, m := range []i18n.Message{it.Text, it.Reason} {
						if s, err := cat.Localize(l, m); err != nil || strings.Contains(s, "<no value>") {
							t.Errorf("Localize(%s, %s) = %q, %v, want text", l, m.Key, s, err)
						}
					}
				}
				for _, m := range r.Notices {
					if s, err := cat.Localize(l, m); err != nil || strings.Contains(s, "<no value>") {
						t.Errorf("Localize(%s, %s) = %q, %v, want text", l, m.Key, s, err)
					}
				}
			}
		})
	}
}

func TestNew(t *testing.T) {
	data, _ := config.KazakhstanCalendar()
	cal, _ := workday.New(data)
	loc := time.UTC
	bad := func(mod func(*config.Flow)) config.Flow { f := config.DefaultFlow(); mod(&f); return f }
	tests := []struct {
		name string
		flow config.Flow
		cal  *workday.Calendar
		loc  *time.Location
	}{
		{"no calendar", config.DefaultFlow(), nil, loc},
		{"no zone", config.DefaultFlow(), cal, nil},
		{"opening hours", bad(func(f *config.Flow) { f.Hours.Sat = "13:00-09:00" }), cal, loc},
		{"scan failures", bad(func(f *config.Flow) { f.MaxScanFailures = 0 }), cal, loc},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := precheck.New(tt.flow, tt.cal, tt.loc); err == nil {
				t.Errorf("New(%s) error = nil, want an error", tt.name)
			}
		})
	}
	if err := config.DefaultFlow().Validate(); err != nil {
		t.Errorf("DefaultFlow().Validate() = %v, want nil", err)
	}
}

func TestDecisionNames(t *testing.T) {
	tests := []struct {
		d    precheck.Decision
		want string
	}{{precheck.OK, "ok"}, {precheck.NeedsDocuments, "needs-documents"}, {precheck.CannotApply, "cannot-apply"}, {precheck.Rescan, "rescan"}, {precheck.SeeClerk, "see-clerk"}, {precheck.Decision(9), "Decision(9)"}}
	for _, tt := range tests {
		if got := tt.d.String(); got != tt.want {
			t.Errorf("Decision(%d).String() = %q, want %q", tt.d, got, tt.want)
		}
	}
	srcs := []struct {
		s    precheck.Source
		want string
	}{{precheck.SourceNone, "none"}, {precheck.SourceVIZ, "viz"}, {precheck.SourcePolicy, "policy"}, {precheck.SourceVisitor, "visitor"}}
	for _, tt := range srcs {
		if got := tt.s.String(); got != tt.want {
			t.Errorf("Source(%d).String() = %q, want %q", tt.s, got, tt.want)
		}
	}
}

// BenchmarkPrecheck is the whole precheck of one application: parse the
// MRZ, check it, and compute the ready date.
func BenchmarkPrecheck(b *testing.B) {
	c := checker(b, nil)
	text := p("CHN", "300101")
	in := precheck.Input{Applicant: precheck.Representative, VIZ: precheck.VIZ{Text: "ZHANG WEI 张伟"}, At: at}
	for b.Loop() {
		doc, err := mrz.Parse(text, at)
		if err != nil {
			b.Fatal(err)
		}
		in.Doc = doc
		c.Check(in)
	}
}

// BenchmarkPrecheckLocalized adds turning the checklist into Russian text,
// as `kiosk precheck` and the result screen do.
func BenchmarkPrecheckLocalized(b *testing.B) {
	c := checker(b, nil)
	cat, err := i18n.New()
	if err != nil {
		b.Fatal(err)
	}
	text := p("CHN", "300101")
	in := precheck.Input{Applicant: precheck.Representative, VIZ: precheck.VIZ{Text: "ZHANG WEI 张伟"}, At: at}
	for b.Loop() {
		doc, _ := mrz.Parse(text, at)
		in.Doc = doc
		r := c.Check(in)
		for _, it := range r.Items {
			cat.Format(i18n.Russian, it.Text)
			cat.Format(i18n.Russian, it.Reason)
		}
	}
}
