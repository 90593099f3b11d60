package mrz_test

import (
	"encoding/json"
	"testing"

	"github.com/hcsc-kz/kiosk/devices/mrz"
)

// TestRussianLatin checks that the Russian internal passport's Latin names
// are the ICAO Doc 9303 transliteration of the restored Cyrillic names,
// never the MRZ's letter-and-digit code (IVANOVI3).
func TestRussianLatin(t *testing.T) {
	tests := []struct {
		names                string // the MRZ's name field, letter code
		surname, given       string // restored Cyrillic
		latinSur, latinGiven string // ICAO transliteration
	}{
		{"IVANOV<<IVAN<IVANOVI3", "ИВАНОВ", "ИВАН ИВАНОВИЧ", "IVANOV", "IVAN IVANOVICH"},
		{"HRUW2V<<NIKITA<SERGEEVI3", "ХРУЩЁВ", "НИКИТА СЕРГЕЕВИЧ", "KHRUSHCHEV", "NIKITA SERGEEVICH"},
		{"COQ<<VIKTOR", "ЦОЙ", "ВИКТОР", "TSOI", "VIKTOR"},
		{"JUKOVA<<7LI8<6DUARDOVNA", "ЖУКОВА", "ЮЛИЯ ЭДУАРДОВНА", "ZHUKOVA", "IULIIA EDUARDOVNA"},
		{"OBXEDKOV<<IGOR9", "ОБЪЕДКОВ", "ИГОРЬ", "OBIEEDKOV", "IGOR"},
		{"VYSOCKIQ<<VLADIMIR<SEM6NOVI3", "ВЫСОЦКИЙ", "ВЛАДИМИР СЕМЭНОВИЧ", "VYSOTSKII", "VLADIMIR SEMENOVICH"},
		{"4USTOVA", "ШУСТОВА", "", "SHUSTOVA", ""},
		// A digit the substitution alphabet lacks is kept, not lost.
		{"IVAN0V<<IVAN", "ИВАН0В", "ИВАН", "IVAN0V", "IVAN"},
		// The whole alphabet, against the table of ICAO Doc 9303 part 3, section 6.
		{"ABVGDE2JZIQKLMNOP<<RSTUFHC34WXY9678", "АБВГДЕЁЖЗИЙКЛМНОП", "РСТУФХЦЧШЩЪЫЬЭЮЯ", "ABVGDEEZHZIIKLMNOP", "RSTUFKHTSCHSHSHCHIEYEIUIA"},
	}
	for _, tt := range tests {
		t.Run(tt.latinSur, func(t *testing.T) {
			in := td3("PNRUS"+tt.names, "450123456", "RUS", "800101", "M", "<<<<<<", "9050412770007<")
			d, err := mrz.Parse(in, now)
			if err != nil {
				t.Fatal(err)
			}
			if d.Russian == nil {
				t.Fatalf("format %v, not the Russian internal passport", d.Format)
			}
			if d.Surname != tt.surname || d.GivenNames != tt.given {
				t.Errorf("Cyrillic = %q / %q, want %q / %q", d.Surname, d.GivenNames, tt.surname, tt.given)
			}
			r := d.Russian
			if r.LatinSurname != tt.latinSur || r.LatinGivenNames != tt.latinGiven {
				t.Errorf("Latin = %q / %q, want %q / %q", r.LatinSurname, r.LatinGivenNames, tt.latinSur, tt.latinGiven)
			}
			raw, err := json.Marshal(d)
			if err != nil {
				t.Fatal(err)
			}
			var j struct {
				Latin struct{ Surname, GivenNames string }
			}
			if err := json.Unmarshal(raw, &j); err != nil {
				t.Fatal(err)
			}
			if j.Latin.Surname != tt.latinSur || j.Latin.GivenNames != tt.latinGiven {
				t.Errorf("JSON latin = %q / %q, want %q / %q", j.Latin.Surname, j.Latin.GivenNames, tt.latinSur, tt.latinGiven)
			}
		})
	}
}
