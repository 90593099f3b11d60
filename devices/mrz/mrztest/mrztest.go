// Package mrztest builds machine readable zones with correct check digits,
// for tests and tools that need a document to scan: no real person's data,
// any dates and states the test wants.
package mrztest

import (
	"strings"

	"github.com/hcsc-kz/kiosk/devices/mrz"
)

// TD3 is a passport-layout MRZ (also the Russian internal passport's).
// Fields shorter than their place are padded with fillers; Names is
// "SURNAME<<GIVEN<NAMES" as it stands in line 1; dates are YYMMDD.
type TD3 struct {
	Code        string // "P", "PN", …
	State       string // issuing state
	Names       string
	Number      string // document number, up to 9 characters
	Nationality string
	Birth       string
	Sex         string // "M", "F" or "<"
	Expiry      string
	Personal    string // personal number / optional data, up to 14 characters
}

// Lines returns the two lines, each check digit computed. A personal
// number of fillers only gets a filler check digit, as passports print it.
func (p TD3) Lines() [2]string {
	cd := func(s string) string { return string(mrz.CheckDigit(s)) }
	l1 := pad(pad(p.Code, 2)+pad(p.State, 3)+p.Names, 44)
	number, personal := pad(p.Number, 9), pad(p.Personal, 14)
	pcd := cd(personal)
	if strings.Trim(personal, "<") == "" {
		pcd = "<"
	}
	l2 := number + cd(number) + pad(p.Nationality, 3) + pad(p.Birth, 6) + cd(pad(p.Birth, 6)) + pad(p.Sex, 1) +
		pad(p.Expiry, 6) + cd(pad(p.Expiry, 6)) + personal + pcd
	return [2]string{l1, l2 + cd(l2[0:10]+l2[13:20]+l2[21:43])}
}

// String returns the two lines joined by a newline, as a scanner sends them.
func (p TD3) String() string {
	l := p.Lines()
	return l[0] + "\n" + l[1]
}

func pad(s string, n int) string {
	if len(s) >= n {
		return s
	}
	return s + strings.Repeat("<", n-len(s))
}
