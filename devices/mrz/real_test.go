package mrz_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/hcsc-kz/kiosk/devices/mrz"
)

// The MRZs below are how real scanners read real documents (digits in
// names, issuers' own check digit habits, documents that are not ICAO);
// every holder is fictitious.

func TestLetterFields(t *testing.T) {
	l1 := "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
	l2 := "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
	td1 := [3]string{"I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"}
	rus := td3("PNRUSIVANOV<<IVAN<IVANOVI3", "450123456", "RUS", "800101", "M", "<<<<<<", "9050412770007<")
	tests := []struct {
		name    string
		in      string
		valid   bool
		state   string // issuing state wanted
		nat     string // nationality wanted
		surname string
		given   string
		repairs []string
	}{
		{"digits in surname and given names repaired", strings.Replace(l1, "ERIKSSON<<ANNA<MARIA", "ERIK55ON<<ANNA<MAR1A", 1) + "\n" + l2,
			true, "UTO", "UTO", "ERIKSSON", "ANNA MARIA",
			[]string{"surname line 1 col 10: 5→S", "surname line 1 col 11: 5→S", "givenNames line 1 col 24: 1→I"}},
		{"every letter the table knows", strings.Replace(l1, "ERIKSSON<<ANNA<MARIA", "2E8R6<<0ANNA<<<<<<<<", 1) + "\n" + l2,
			true, "UTO", "UTO", "ZEBRG", "OANNA",
			[]string{"surname line 1 col 6: 2→Z", "surname line 1 col 8: 8→B", "surname line 1 col 10: 6→G", "givenNames line 1 col 13: 0→O"}},
		{"issuing state UT0", strings.Replace(l1, "UTO", "UT0", 1) + "\n" + l2,
			true, "UTO", "UTO", "ERIKSSON", "ANNA MARIA", []string{"issuingState line 1 col 5: 0→O"}},
		{"nationality UT0", l1 + "\n" + strings.Replace(l2, "UTO", "UT0", 1),
			true, "UTO", "UTO", "ERIKSSON", "ANNA MARIA", []string{"nationality line 2 col 13: 0→O"}},
		{"0<< is Germany's D", td3("P<0<<MUELLER<<HANS", "C01X00T47", "D<<", "640812", "M", "341231", ""),
			true, "D", "D", "MUELLER", "HANS", []string{"issuingState line 1 col 3: 0→D"}},
		{"a repaired state must be a known code", strings.Replace(l1, "UTO", "XY0", 1) + "\n" + l2,
			false, "XY0", "UTO", "ERIKSSON", "ANNA MARIA", nil},
		{"a digit no letter is confused with", strings.Replace(l1, "ERIKSSON", "ERIK7SON", 1) + "\n" + l2,
			false, "UTO", "UTO", "ERIK7SON", "ANNA MARIA", nil},
		{"an unknown but lettered state stays valid", strings.Replace(l1, "UTO", "QQQ", 1) + "\n" + l2,
			true, "QQQ", "UTO", "ERIKSSON", "ANNA MARIA", nil},
		{"TD1 name line and nationality", td1[0] + "\n" + strings.Replace(td1[1], "UTO", "UT0", 1) + "\n" + "ERIK55ON<<ANNA<MARIA<<<<<<<<<<",
			true, "UTO", "UTO", "ERIKSSON", "ANNA MARIA",
			[]string{"nationality line 2 col 18: 0→O", "surname line 3 col 5: 5→S", "surname line 3 col 6: 5→S"}},
		{"Russian internal passport names are digits by design", rus,
			true, "RUS", "RUS", "ИВАНОВ", "ИВАН ИВАНОВИЧ", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := mrz.Parse(tc.in, now)
			if err != nil {
				t.Fatal(err)
			}
			got := repairs(doc)
			if strings.Join(got, "; ") != strings.Join(tc.repairs, "; ") {
				t.Errorf("repairs = %q, want %q", got, tc.repairs)
			}
			if doc.Valid != tc.valid || doc.IssuingState != tc.state || doc.Nationality != tc.nat ||
				doc.Surname != tc.surname || doc.GivenNames != tc.given {
				t.Errorf("valid %v %q %q %q %q, want valid %v %q %q %q %q", doc.Valid, doc.IssuingState, doc.Nationality,
					doc.Surname, doc.GivenNames, tc.valid, tc.state, tc.nat, tc.surname, tc.given)
			}
			if doc.Valid && strings.ContainsAny(doc.Surname+doc.GivenNames+doc.IssuingState+doc.Nationality, "0123456789") {
				t.Errorf("valid document with digits in a letter field")
			}
		})
	}
}

func TestNumericRepairsMore(t *testing.T) {
	base := td3("P<UTOA<<B", "A00000001", "UTO", "660101", "F", "300606", "")
	tests := []struct {
		name, from, to string
		repairs        []string
	}{
		{"G for 6 in the birth date", "6601018", "G601018", []string{"birthDate line 2 col 14: G→6"}},
		{"Q for 0 in the expiry date", "3006069", "3Q06069", []string{"expiryDate line 2 col 23: Q→0"}},
		{"D for 0 in the birth date", "6601018", "66D1018", []string{"birthDate line 2 col 16: D→0"}},
		{"G and O in one date", "3006069", "3OOGO69", []string{"expiryDate line 2 col 23: O→0", "expiryDate line 2 col 24: O→0", "expiryDate line 2 col 25: G→6", "expiryDate line 2 col 26: O→0"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(base, tc.from) {
				t.Fatalf("%q not in %q", tc.from, base)
			}
			doc, err := mrz.Parse(strings.Replace(base, tc.from, tc.to, 1), now)
			if err != nil {
				t.Fatal(err)
			}
			got := repairs(doc)
			if strings.Join(got, "; ") != strings.Join(tc.repairs, "; ") || !doc.Valid {
				t.Errorf("repairs = %q valid %v, want %q valid true", got, doc.Valid, tc.repairs)
			}
			if doc.BirthDate.String() != "1966-01-01" || doc.ExpiryDate.String() != "2030-06-06" {
				t.Errorf("dates %s %s after repair", doc.BirthDate, doc.ExpiryDate)
			}
		})
	}
}

func TestLongNumberVariants(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		number   string
		valid    bool
		variants mrz.Variant
	}{
		// PRADO BEL-BO-03003: the check digit 3 is over "000590240<601",
		// filler included; ICAO's rule gives 1.
		{"Belgian card: check digit over the number with its filler",
			"IDBEL000590240<6013<<<<<<<<<<<\n8512017F1311048BEL851201002007\nREINARTZ<<ULRIKE<KATIA<E<<<<<<",
			"000590240601", true, mrz.LongNumberCheckWithFiller},
		{"ICAO's own rule needs no variant",
			"I<UTOD23145890<7349<<<<<<<<<<<\n3407127M9507122UTO<<<<<<<<<<<2\nSTEVENSON<<PETER<JOHN<<<<<<<<<",
			"D23145890734", true, 0},
		{"neither rule: invalid",
			"IDBEL000590240<6012<<<<<<<<<<<\n8512017F1311048BEL851201002007\nREINARTZ<<ULRIKE<KATIA<E<<<<<<",
			"000590240601", false, 0},
		{"TD2 with the filler rule",
			"I<UTOSTEVENSON<<PETER<JOHN<<<<<<<<<<\nD23145890<UTO3407127M9507122122<<<<8",
			"D2314589012", true, mrz.LongNumberCheckWithFiller},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := mrz.Parse(tc.in, now)
			if err != nil {
				t.Fatal(err)
			}
			if doc.DocumentNumber != tc.number || doc.Valid != tc.valid || doc.Variants != tc.variants {
				t.Errorf("number %q valid %v variants %v, want %q %v %v", doc.DocumentNumber, doc.Valid, doc.Variants,
					tc.number, tc.valid, tc.variants)
			}
			f := jsonFields(t, doc)
			want := "" // left out
			if tc.variants != 0 {
				want = `["longNumberCheckWithFiller"]`
			}
			if f["variants"] != want {
				t.Errorf("JSON variants = %s, want %s", f["variants"], want)
			}
		})
	}
}

func TestNotICAO(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want mrz.NonICAO
	}{
		{"French national ID card, 1988 model", "IDFRADUPONT<<<<<<<<<<<<<<<<<<<750123\n0512750123456JEAN<<PIERRE<<8800101M2",
			mrz.FrenchIDCard},
		{"driving licence, one line of 30", "D1FRA13AA000026181231MARTIN<<9", mrz.DrivingLicence},
		{"Swiss driving licence, 9+30+30", "AAA001D<<\nFACHE305142128097<<<<<<<<<<<<<\nROSSI<<MARIA<<<<<<<<<<<<<<<<<<",
			mrz.DrivingLicence},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := mrz.Parse(tc.in, now)
			var e *mrz.Error
			if doc != nil || !errors.Is(err, mrz.ErrNotICAO) || !errors.As(err, &e) || e.Document != tc.want {
				t.Fatalf("Parse = %v, %v; want an *Error of kind ErrNotICAO for %v", doc, err, tc.want)
			}
			if strings.Contains(err.Error(), "DUPONT") || strings.Contains(err.Error(), "MARTIN") || strings.Contains(err.Error(), "ROSSI") {
				t.Errorf("error %q quotes the document", err)
			}
		})
	}
	// A TD2 card of another state that starts "ID" is still ICAO.
	doc, err := mrz.Parse("IDUTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6", now)
	if err != nil || doc.Format != mrz.TD2 {
		t.Errorf("IDUTO TD2 = %v, %v; want TD2", doc, err)
	}
}
