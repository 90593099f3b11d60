package mrz_test

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/devices/mrz"
	"github.com/hcsc-kz/kiosk/devices/mrz/mrztest"
)

// now is the reference date for the century rule in every test.
var now = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

// td3 builds a TD3-layout MRZ (also the Russian internal passport's) with
// correct check digits from its fields.
func td3(line1, docNum, nat, birth, sex, expiry, opt string) string {
	return mrztest.TD3{Code: line1[0:2], State: line1[2:5], Names: line1[5:], Number: docNum, Nationality: nat,
		Birth: birth, Sex: sex, Expiry: expiry, Personal: opt}.String()
}

func TestSpecimens(t *testing.T) {
	raw, err := os.ReadFile("../../../shared/testdata/mrz/icao9303-specimens.json")
	if err != nil {
		t.Skipf("shared test data not beside the repo: %v", err)
	}
	var file struct {
		Specimens []struct {
			ID     string         `json:"id"`
			Lines  []string       `json:"lines"`
			Expect map[string]any `json:"expect"`
		} `json:"specimens"`
	}
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	if len(file.Specimens) == 0 {
		t.Fatal("no specimens in the shared file")
	}
	for _, sp := range file.Specimens {
		t.Run(sp.ID, func(t *testing.T) {
			doc, err := mrz.Parse(strings.Join(sp.Lines, "\n"), now)
			if err != nil {
				t.Fatalf("Parse = %v", err)
			}
			out, err := json.Marshal(doc)
			if err != nil {
				t.Fatal(err)
			}
			var got map[string]any
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatal(err)
			}
			for k, want := range sp.Expect {
				if got[k] != want {
					t.Errorf("%s = %#v, want %#v", k, got[k], want)
				}
			}
		})
	}
}

func TestParseFields(t *testing.T) {
	rus := td3("PNRUSIVANOV<<IVAN<IVANOVI3", "450123456", "RUS", "800101", "M", "<<<<<<", "9050412770007<")
	tests := []struct {
		name string
		in   string
		want map[string]string // JSON field → value as printed by %v
	}{
		{
			name: "TD3 with lowercase, spaces and CRLF",
			in:   "  p<utoeriksson<<anna<maria<<<<<<<<<<<<<<<<<<<  \r\n\tL898902C36UTO7408122F1204159ZE184226B<<<<<10\r\n\r\n",
			want: map[string]string{"format": "TD3", "valid": "true", "surname": "ERIKSSON", "givenNames": "ANNA MARIA"},
		},
		{
			name: "TD3 CR only",
			in:   "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\rL898902C36UTO7408122F1204159ZE184226B<<<<<10",
			want: map[string]string{"format": "TD3", "valid": "true", "documentNumber": "L898902C3"},
		},
		{
			name: "no given names",
			in:   td3("P<UTOSMITH", "X12345678", "UTO", "900101", "<", "300101", ""),
			want: map[string]string{"surname": "SMITH", "givenNames": "", "sex": "X", "valid": "true", "optionalData": ""},
		},
		{
			name: "D<< nationality and surname with inner filler",
			in:   td3("P<D<<MUELLER<SCHMIDT<<HANS", "C01X00T47", "D<<", "640812", "M", "341231", ""),
			want: map[string]string{"issuingState": "D", "nationality": "D", "surname": "MUELLER SCHMIDT", "givenNames": "HANS", "valid": "true"},
		},
		{
			name: "century: birth year 26 is 2026, 27 is 1927; expiry always 20YY",
			in:   td3("P<UTOA<<B", "A00000001", "UTO", "260101", "F", "990101", ""),
			want: map[string]string{"birthDate": "2026-01-01", "expiryDate": "2099-01-01"},
		},
		{
			name: "century: 27 is 1927",
			in:   td3("P<UTOA<<B", "A00000001", "UTO", "270101", "F", "300101", ""),
			want: map[string]string{"birthDate": "1927-01-01"},
		},
		{
			name: "unknown day of birth is null, still valid",
			in:   td3("P<UTOA<<B", "A00000001", "UTO", "6501<<", "M", "300101", ""),
			want: map[string]string{"birthDate": "<nil>", "valid": "true"},
		},
		{
			name: "a date that does not exist",
			in:   td3("P<UTOA<<B", "A00000001", "UTO", "990231", "M", "300101", ""),
			want: map[string]string{"birthDate": "<nil>", "valid": "true"},
		},
		{
			name: "Russian internal passport",
			in:   rus,
			want: map[string]string{
				"format": "RUS_INTERNAL", "documentCode": "PN", "surname": "ИВАНОВ", "givenNames": "ИВАН ИВАНОВИЧ",
				"documentNumber": "4509123456", "issueDate": "2005-04-12", "departmentCode": "770-007",
				"expiryDate": "<nil>", "birthDate": "1980-01-01", "valid": "true",
			},
		},
		{
			name: "TD2 long document number overflows into optional data",
			in:   "I<UTOSTEVENSON<<PETER<JOHN<<<<<<<<<<\nD23145890<UTO3407127M95071227349<<<8",
			want: map[string]string{"format": "TD2", "documentNumber": "D23145890734", "optionalData": "", "valid": "true"},
		},
		{
			name: "TD1 long document number overflows into optional data",
			in:   "I<UTOD23145890<7349<<<<<<<<<<<\n3407127M9507122UTO<<<<<<<<<<<2\nSTEVENSON<<PETER<JOHN<<<<<<<<<",
			want: map[string]string{"format": "TD1", "documentNumber": "D23145890734", "optionalData": "", "optionalData2": "", "valid": "true"},
		},
		{
			name: "failed document number check digit",
			in:   "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C37UTO7408122F1204159ZE184226B<<<<<10",
			want: map[string]string{"valid": "false"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := mrz.Parse(tc.in, now)
			if err != nil {
				t.Fatalf("Parse = %v", err)
			}
			got := jsonFields(t, doc)
			for k, want := range tc.want {
				if got[k] != want {
					t.Errorf("%s = %q, want %q", k, got[k], want)
				}
			}
		})
	}
}

func jsonFields(t *testing.T, doc *mrz.Document) map[string]string {
	t.Helper()
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(out, &m); err != nil {
		t.Fatal(err)
	}
	s := make(map[string]string, len(m))
	for k, v := range m {
		s[k] = strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(fmtAny(v), "\n", ""), "  ", ""))
	}
	return s
}

func fmtAny(v any) string {
	if v == nil {
		return "<nil>"
	}
	b, _ := json.Marshal(v)
	var s string
	if json.Unmarshal(b, &s) == nil {
		return s
	}
	return string(b)
}

func TestChecksReportedSeparately(t *testing.T) {
	// Birth date check digit wrong (2 → 3); the composite, computed over
	// the same characters, fails with it. The other checks still pass.
	doc, err := mrz.Parse("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408123F1204159ZE184226B<<<<<10", now)
	if err != nil {
		t.Fatal(err)
	}
	want := mrz.Checks{DocumentNumber: mrz.CheckPassed, BirthDate: mrz.CheckFailed, ExpiryDate: mrz.CheckPassed,
		OptionalData: mrz.CheckPassed, Composite: mrz.CheckFailed, Letters: mrz.CheckPassed}
	if doc.Checks != want || doc.Valid {
		t.Errorf("Checks = %+v valid %v, want %+v valid false", doc.Checks, doc.Valid, want)
	}
}

func TestRepairs(t *testing.T) {
	good := "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
	tests := []struct {
		name    string
		in      string
		repairs []string
		valid   bool
	}{
		{"O for 0 in the birth date", strings.Replace(good, "7408122", "74O8122", 1), []string{"birthDate line 2 col 16: O→0"}, true},
		{"Z for 2 in the birth date check digit", strings.Replace(good, "7408122", "740812Z", 1), []string{"birthDate line 2 col 20: Z→2"}, true},
		{"I and O in the expiry date", strings.Replace(good, "1204159", "I2O4I59", 1), []string{"expiryDate line 2 col 22: I→1", "expiryDate line 2 col 24: O→0", "expiryDate line 2 col 26: I→1"}, true},
		{"O for 0 in the composite digit", good[:len(good)-1] + "O", []string{"composite line 2 col 44: O→0"}, true},
		// The document number is alphanumeric: an O there is never changed.
		{"no repair in the alphanumeric document number", strings.Replace(good, "L898902C3", "L8989O2C3", 1), nil, false},
		// A repair that does not make the check pass is not made.
		{"no repair when the check still fails", strings.Replace(good, "7408122", "74O8123", 1), nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := mrz.Parse(tc.in, now)
			if err != nil {
				t.Fatal(err)
			}
			got := repairs(doc)
			if strings.Join(got, "; ") != strings.Join(tc.repairs, "; ") || doc.Valid != tc.valid {
				t.Errorf("repairs = %q valid %v, want %q valid %v", got, doc.Valid, tc.repairs, tc.valid)
			}
			if tc.valid && doc.BirthDate.String() != "1974-08-12" {
				t.Errorf("birth date = %q after repair, want 1974-08-12", doc.BirthDate)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	l1 := "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
	l2 := "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
	tests := []struct {
		name string
		in   string
		kind error
		want string
	}{
		{"empty", "", mrz.ErrEmpty, "mrz: no MRZ lines"},
		{"blank lines only", " \n\r\n\t\n", mrz.ErrEmpty, "mrz: no MRZ lines"},
		{"one line", l1, mrz.ErrLineCount, "mrz: wrong number of lines: 1 line; an MRZ has 2 or 3"},
		{"four lines", l1 + "\n" + l2 + "\n" + l2 + "\n" + l2, mrz.ErrLineCount, "mrz: wrong number of lines: more than 3 lines; an MRZ has 2 or 3"},
		{"mixed lengths", l1 + "\n" + l2[:36], mrz.ErrLineLength, "mrz: wrong line length: line 2: mixed lengths: line 1 has 44 characters, line 2 has 36"},
		{"two lines of 30", l1[:30] + "\n" + l2[:30], mrz.ErrLineLength, "mrz: wrong line length: line 1: 30 characters; a 2-line MRZ has 36 (TD2, MRV-B) or 44 (TD3, MRV-A)"},
		{"three lines of 44", l1 + "\n" + l2 + "\n" + l2, mrz.ErrLineLength, "mrz: wrong line length: line 1: 44 characters; a 3-line MRZ (TD1) has 30"},
		{"bad character", l1 + "\n" + strings.Replace(l2, "UTO", "U#O", 1), mrz.ErrCharacter, "mrz: character outside the MRZ alphabet: line 2 column 12: '#'"},
		{"Cyrillic letter", "P<UTOИВАНОВ\n" + l2, mrz.ErrCharacter, "mrz: character outside the MRZ alphabet: line 1 column 6: 'И'"},
		{"space inside", l1 + "\n" + strings.Replace(l2, "UTO", "U O", 1), mrz.ErrCharacter, "mrz: character outside the MRZ alphabet: line 2 column 12: ' '"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := mrz.Parse(tc.in, now)
			if doc != nil || !errors.Is(err, tc.kind) || err.Error() != tc.want {
				t.Errorf("Parse(%q) = %v, %v; want nil, %q", tc.in, doc, err, tc.want)
			}
			var e *mrz.Error
			if !errors.As(err, &e) {
				t.Errorf("error %T is not *mrz.Error", err)
			}
		})
	}
}

func TestParseLinesMatchesParse(t *testing.T) {
	lines := []string{"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\r", "", " L898902C36UTO7408122F1204159ZE184226B<<<<<10 "}
	a, err := mrz.ParseLines(lines, now)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := mrz.Parse(strings.Join(lines, "\n"), now)
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if string(ja) != string(jb) {
		t.Errorf("ParseLines = %s, Parse = %s", ja, jb)
	}
}

func FuzzParse(f *testing.F) {
	f.Add("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10")
	f.Add("I<UTOD23145890<7349<<<<<<<<<<<\n3407127M9507122UTO<<<<<<<<<<<2\nSTEVENSON<<PETER<JOHN<<<<<<<<<")
	f.Add("I<UTOSTEVENSON<<PETER<JOHN<<<<<<<<<<\nD23145890<UTO3407127M95071227349<<<8")
	f.Add(td3("PNRUSIVANOV<<IVAN<IVANOVI3", "450123456", "RUS", "800101", "M", "<<<<<<", "9050412770007<"))
	f.Add("V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nL8988901C4XXX4009078F9612109<<<<<<<<")
	f.Add("IDBEL000590240<6013<<<<<<<<<<<\n8512017F1311048BEL851201002007\nREINARTZ<<ULRIKE<KATIA<E<<<<<<")
	f.Add("IDFRADUPONT<<<<<<<<<<<<<<<<<<<750123\n0512750123456JEAN<<PIERRE<<8800101M2")
	f.Add("P<UT0ERIK55ON<<ANNA<MAR1A<<<<<<<<<<<<<<<<<<<\nL898902C36UT07408122F1204159ZE184226B<<<<<10")
	f.Add("")
	f.Fuzz(func(t *testing.T, in string) {
		doc, err := mrz.Parse(in, now)
		if (doc == nil) == (err == nil) {
			t.Fatalf("Parse = %v, %v: exactly one must be set", doc, err)
		}
		if err != nil {
			var e *mrz.Error
			if !errors.As(err, &e) || e.Kind == nil {
				t.Fatalf("error %v is not a typed *mrz.Error", err)
			}
			return
		}
		if doc.Format == mrz.FormatUnknown {
			t.Fatal("document with unknown format")
		}
		if doc.Valid != doc.Checks.AllPassed() {
			t.Fatalf("Valid %v but checks %+v", doc.Valid, doc.Checks)
		}
		if _, err := json.Marshal(doc); err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		letters := doc.IssuingState + doc.Nationality
		if doc.Format != mrz.RUSInternal {
			letters += doc.Surname + doc.GivenNames
		}
		if doc.Valid && strings.ContainsAny(letters, "0123456789") {
			t.Fatalf("valid document with a digit in a name or state: %q", letters)
		}
	})
}

func BenchmarkParseTD3(b *testing.B) {
	in := "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
	b.ReportAllocs()
	for b.Loop() {
		if _, err := mrz.Parse(in, now); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "MRZ/s")
}

// repairs lists a document's repairs as they read in a report.
func repairs(doc *mrz.Document) []string {
	var out []string
	for _, r := range doc.Repairs {
		out = append(out, r.String())
	}
	return out
}
