package scanner_test

import (
	"errors"
	"testing"

	"github.com/hcsc-kz/kiosk/devices/mrz"
	"github.com/hcsc-kz/kiosk/devices/scanner"
)

// Driving licences' machine readable zones, as the mrz package's own
// tests have them: not ICAO documents, so the visitor must hear that.
const (
	licenceISO    = "D1FRA13AA000026181231MARTIN<<9" // ISO/IEC 18013: one line of 30
	licenceSwiss1 = "AAA001D<<"                      // the Swiss licence: 9, 30 and 30
	licenceSwiss2 = "FACHE305142128097<<<<<<<<<<<<<"
	licenceSwiss3 = "ROSSI<<MARIA<<<<<<<<<<<<<<<<<<"
)

// TestDevRefusesDrivingLicences drives the real driver through a pty: a
// driving licence on the scanner reaches the parser, which refuses it as
// not ICAO (mrz.ErrNotICAO, naming the licence), instead of being thrown
// away as noise or an unfinished TD1 with nothing said; and the passport
// scanned next is read.
func TestDevRefusesDrivingLicences(t *testing.T) {
	cases := map[string][]string{
		"ISO licence, CR":                {cr(licenceISO) + cr(td3L1, td3L2)},
		"ISO licence, CRLF in pieces":    pieces(licenceISO+"\r\n"+td3L1+"\r\n"+td3L2+"\r\n", 5),
		"ISO licence, STX/ETX":           {"\x02" + licenceISO + "\r\n\x03\x02" + cr(td3L1, td3L2) + "\x03"},
		"Swiss licence, CR":              {cr(licenceSwiss1, licenceSwiss2, licenceSwiss3) + cr(td3L1, td3L2)},
		"Swiss licence, STX/ETX":         {"\x02" + cr(licenceSwiss1, licenceSwiss2, licenceSwiss3) + "\x03" + cr(td3L1, td3L2)},
		"Swiss licence after noise":      {"RESET\r" + cr(licenceSwiss1, licenceSwiss2, licenceSwiss3) + cr(td3L1, td3L2)},
		"ISO licence then a TD1 at once": {cr(licenceISO, td1L1, td1L2, td1L3)},
	}
	for name, writes := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := start(t, nil)
			r.expectState(scanner.StateConnected, nil)
			for _, w := range writes {
				r.write(w)
			}
			e := r.next()
			for e.Kind == scanner.EventDropped { // the noise line, said as such
				e = r.next()
			}
			var me *mrz.Error
			if e.Kind != scanner.EventUnreadable || !errors.As(e.Err, &me) || !errors.Is(me.Kind, mrz.ErrNotICAO) ||
				me.Document != mrz.DrivingLicence {
				t.Fatalf("event = %s (%v), want unreadable: not ICAO, a driving licence", describe(e), e.Err)
			}
			want := docOf(t, td3)
			if name == "ISO licence then a TD1 at once" {
				want = docOf(t, td1)
			}
			if got := describe(r.next()); got != want {
				t.Errorf("next event = %q, want %q", got, want)
			}
		})
	}
}
