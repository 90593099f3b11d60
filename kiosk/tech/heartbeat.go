package tech

import (
	"strings"
	"unicode/utf8"
)

// maxDeviceReason is the backend's limit on a device's reason in a
// heartbeat (the OpenAPI document's maxLength, counted in UTF-16 units).
const maxDeviceReason = 256

// deviceReason makes a check's reason fit a heartbeat: the backend refuses
// control characters (a joined error has newlines) and long texts, and a
// refused heartbeat would hide the very failure it reports. Control
// characters become spaces; a long reason is cut and ends with "…".
func deviceReason(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError {
			return ' '
		}
		return r
	}, s)
	units, cut := 0, -1
	for i, r := range s {
		n := 1
		if r > 0xffff {
			n = 2
		}
		if units+n > maxDeviceReason-1 && cut < 0 {
			cut = i // the ellipsis takes the last unit
		}
		if units += n; units > maxDeviceReason {
			return s[:cut] + "…"
		}
	}
	return s
}
