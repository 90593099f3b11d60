package central

import (
	"fmt"
	"strings"
)

// numberRange is a prefix the hall's numbers start with, and what prints
// them: a lane of a service, or a kiosk while offline.
type numberRange struct {
	prefix string
	owner  string // `service "iin"`, `kiosk "K-01"`
	what   string // `prefix`, `priority lane`, `offline prefix`
}

func (n numberRange) String() string { return fmt.Sprintf("%s (%s %q)", n.owner, n.what, n.prefix) }

// lanes are the prefixes of a service's numbers, one per lane, as
// Server.prefix makes them.
func lanes(s Service) []numberRange {
	owner := fmt.Sprintf("service %q", s.ID)
	return []numberRange{
		{s.Prefix, owner, "prefix"},
		{s.Prefix + "P", owner, "priority lane"},
		{s.Prefix + "B", owner, "booked lane"},
	}
}

// overlap reports whether two prefixes can print the same number. A number
// is its prefix and then digits, so "A" and "A1" overlap as well as "A" and
// "A": A1's number 7 is "A1007", and so is A's number 1007.
func overlap(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	return a != "" && strings.HasPrefix(b, a) && (len(a) == len(b) || isDigits(b[len(a):]))
}

// collisions names every pair of ranges, one from as and one from bs, that
// can print the same number. A pair of owners is named once.
func collisions(as, bs []numberRange) []error {
	var errs []error
	named := map[[2]string]bool{}
	for _, a := range as {
		for _, b := range bs {
			if key := [2]string{a.owner, b.owner}; !named[key] && overlap(a.prefix, b.prefix) {
				named[key] = true
				errs = append(errs, fmt.Errorf("%s and %s would print the same numbers; give one of them another prefix", a, b))
			}
		}
	}
	return errs
}

// prefixErrors checks that no two services' lanes, no kiosk's offline range
// and no lane, and no two kiosks of a branch can print the same number.
func (r Registry) prefixErrors() []error {
	var all []numberRange
	var out []error
	for i, s := range r.Services {
		for _, t := range r.Services[i+1:] {
			out = append(out, collisions(lanes(s), lanes(t))...)
		}
		all = append(all, lanes(s)...)
	}
	for _, b := range r.Branches {
		var kiosks []numberRange
		for _, k := range b.Kiosks {
			kr := numberRange{k.OfflinePrefix, fmt.Sprintf("kiosk %q", k.ID), "offline prefix"}
			out = append(out, collisions([]numberRange{kr}, all)...)
			out = append(out, collisions([]numberRange{kr}, kiosks)...)
			kiosks = append(kiosks, kr)
		}
	}
	return out
}

// validID reports whether a registry id (branch, kiosk, service) is one the
// protocol accepts: the OpenAPI document's pattern
// ^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$, so no registered id can be refused.
func validID(s string) bool {
	if len(s) == 0 || len(s) > 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		case i > 0 && (c == '.' || c == '_' || c == '-'):
		default:
			return false
		}
	}
	return true
}
