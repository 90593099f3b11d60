package config

import (
	"cmp"
	"fmt"
	"maps"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	// The kiosk image may ship without zone files or with old ones: the
	// branch's zone loads from data built into the binary.
	"github.com/hcsc-kz/kiosk/config/zone"
)

// Error is every problem found in one configuration, so that a technician
// fixes the file in one pass rather than one run per mistake.
type Error struct {
	// File is the name given to Load or Parse; empty for Validate.
	File     string
	Problems []Problem
}

// Problem is one wrong key.
type Problem struct {
	// Key is the dotted key path, such as "scanner.baud" or
	// "kiosk.languages[1]"; empty for a syntax error.
	Key string
	// Line is where the key appears in the file; 0 when the key is not in
	// the file (a default, or a Config built in code).
	Line int
	Msg  string
}

// Error renders one problem per line, as "file:line: key: message", the
// shape editors and grep understand.
func (e *Error) Error() string {
	file := e.File
	if file == "" {
		file = "config"
	}
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(file)
		if p.Line > 0 {
			fmt.Fprintf(&b, ":%d", p.Line)
		}
		b.WriteString(": ")
		if p.Key != "" {
			b.WriteString(p.Key + ": ")
		}
		b.WriteString(p.Msg)
	}
	return b.String()
}

// Validate checks a Config however it was made, such as one built in code
// or changed after Load. The problems carry no lines. It returns nil or an
// *Error.
func (c *Config) Validate() error {
	if probs := c.check(nil); len(probs) > 0 {
		return &Error{Problems: sortProblems(probs)}
	}
	return nil
}

// sortProblems orders problems as they appear in the file; those without a
// line (keys left at their default) come last.
func sortProblems(probs []Problem) []Problem {
	slices.SortStableFunc(probs, func(a, b Problem) int {
		if (a.Line == 0) != (b.Line == 0) {
			if a.Line == 0 {
				return 1
			}
			return -1
		}
		return cmp.Compare(a.Line, b.Line)
	})
	return probs
}

// The allowed values are functions, not package variables, so nothing in
// the package is mutable.

func standardBauds() []int {
	return []int{1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600}
}

// languages are the interface languages the kiosk has texts for.
func languages() []string { return []string{"kk", "ru", "en"} }

func printerTransports() []string { return []string{"serial", "device", "tcp", "file"} }

func translationPolicies() []string { return []string{"required", "not-required", "ask"} }

// MinStillThereCountdown is the shortest flow.still_there_countdown: the UI
// issue requires at least 20 s for a visitor to answer "are you still
// there?" before the journey resets.
const MinStillThereCountdown = 20 * time.Second

// MinTicketTimeout is the shortest flow.ticket_timeout: time to read the
// queue number and take the ticket before the page goes to goodbye.
const MinTicketTimeout = 5 * time.Second

// minIdleTimeout is the shortest flow.idle_timeout, as Flow.Validate has it.
const minIdleTimeout = 5 * time.Second

// checker collects problems, placing each at the line of its key, or of a
// nearby key that explains it, when the document has them.
type checker struct {
	lines map[string]int
	probs []Problem
}

// add reports a problem with key. near names keys whose line to use when
// key itself is not in the file (a required key that is missing is best
// shown next to the key that made it required).
func (k *checker) add(key string, near []string, format string, a ...any) {
	line := 0
	for _, n := range append([]string{key}, near...) {
		if l, ok := k.lines[n]; ok {
			line = l
			break
		}
	}
	k.probs = append(k.probs, Problem{Key: key, Line: line, Msg: fmt.Sprintf(format, a...)})
}

func (k *checker) addf(key, format string, a ...any) { k.add(key, nil, format, a...) }

// check runs every rule; lines may be nil.
func (c *Config) check(lines map[string]int) []Problem {
	k := &checker{lines: lines}
	c.checkKiosk(k)
	c.checkScanner(k)
	c.checkPrinter(k)
	c.checkFlow(k)
	c.checkBackend(k)
	c.checkTechnician(k)
	return k.probs
}

func (c *Config) checkKiosk(k *checker) {
	kc := c.Kiosk
	// An enrolled kiosk learns its id and branch from its enrolment.
	if !c.Backend.Enrol || kc.ID != "" {
		k.id("kiosk.id", kc.ID, 16, "K-01")
	}
	if !c.Backend.Enrol || kc.Branch != "" {
		k.id("kiosk.branch", kc.Branch, 32, "ALA-01")
	}

	if len(kc.Languages) == 0 {
		k.addf("kiosk.languages", `empty: list the offered languages, Kazakh first, e.g. ["kk", "ru", "en"]`)
	}
	seen := map[string]bool{}
	for i, l := range kc.Languages {
		key := fmt.Sprintf("kiosk.languages[%d]", i)
		switch {
		case !slices.Contains(languages(), l):
			k.add(key, []string{"kiosk.languages"}, "%q has no texts: use %s", l, quoteList(languages()))
		case seen[l]:
			k.add(key, []string{"kiosk.languages"}, "%q is listed twice", l)
		}
		seen[l] = true
	}
	if len(kc.Languages) > 0 && kc.Languages[0] != "kk" {
		k.addf("kiosk.languages", `Kazakh, the state language, must come first: start the list with "kk"`)
	}

	switch {
	case kc.TimeZone == "":
		k.addf("kiosk.time_zone", `empty: name the branch's IANA zone, e.g. "Asia/Almaty"`)
	case kc.TimeZone == "Local":
		k.addf("kiosk.time_zone", `"Local" depends on the machine: name the branch's IANA zone, e.g. "Asia/Almaty"`)
	default:
		if _, err := zone.Load(kc.TimeZone); err != nil {
			k.addf("kiosk.time_zone", `unknown time zone %q: use an IANA name such as "Asia/Almaty" or "Asia/Aqtobe"`, kc.TimeZone)
		}
	}
	if strings.TrimSpace(kc.StateDir) == "" {
		k.addf("kiosk.state_dir", `empty: name a writable folder for the outbox, tickets and logs, e.g. "/var/lib/kiosk"`)
	}
}

// id checks an identifier printed on tickets and sent to the backend:
// ASCII only, because thermal printers' code pages differ.
func (k *checker) id(key, v string, maxLen int, example string) {
	switch {
	case v == "":
		k.addf(key, "empty: set it, e.g. %q", example)
	case len(v) > maxLen || !isID(v):
		k.addf(key, "%q: use up to %d Latin letters, digits, '-' or '_', starting with a letter or digit, e.g. %q", v, maxLen, example)
	}
}

func (c *Config) checkScanner(k *checker) {
	s := c.Scanner
	if s.Port != strings.TrimSpace(s.Port) {
		k.addf("scanner.port", "%q has spaces around it", s.Port)
	}
	k.baud("scanner.baud", nil, s.Baud)
	if s.DataBits < 5 || s.DataBits > 8 {
		k.addf("scanner.data_bits", "%d: use 5, 6, 7 or 8 (MRZ scanners use 8, some 7)", s.DataBits)
	}
	if parities := []string{"none", "even", "odd", "mark", "space"}; !slices.Contains(parities, s.Parity) {
		k.addf("scanner.parity", "%q: use %s", s.Parity, quoteList(parities))
	}
	if stops := []string{"1", "1.5", "2"}; !slices.Contains(stops, s.StopBits) {
		k.addf("scanner.stop_bits", "%q: use %s (a string)", s.StopBits, quoteList(stops))
	}
	if s.Prefix != "" && s.Prefix == s.Suffix {
		k.addf("scanner.suffix", "the same as scanner.prefix (%q): a document's end could not be told from the next one's start", s.Prefix)
	}
	k.positive("scanner.dedupe_window", s.DedupeWindow)
	k.backoff("scanner", s.ReopenMin, s.ReopenMax)
	if s.MaxLine != 0 && (s.MaxLine < 90 || s.MaxLine > 4096) {
		k.addf("scanner.max_line", "%d: use 90 to 4096 bytes (a TD3 line is 44), or 0 for the driver's default", s.MaxLine)
	}
	if s.FrameGap < 0 {
		k.addf("scanner.frame_gap", "%v: must not be negative (0: the driver's default)", s.FrameGap.D())
	}
}

func (k *checker) baud(key string, near []string, b int) {
	if !slices.Contains(standardBauds(), b) {
		k.add(key, near, "%d is not a standard baud rate (%s)", b, intList(standardBauds()))
	}
}

func (k *checker) positive(key string, d Duration) {
	if d <= 0 {
		k.addf(key, "%v: must be more than zero", d.D())
	}
}

// backoff checks a reopen_min..reopen_max pair of section.
func (k *checker) backoff(section string, lo, hi Duration) {
	k.positive(section+".reopen_min", lo)
	k.positive(section+".reopen_max", hi)
	if lo > 0 && hi > 0 && hi < lo {
		k.addf(section+".reopen_max", "%v is less than %s.reopen_min (%v)", hi.D(), section, lo.D())
	}
}

func (c *Config) checkPrinter(k *checker) {
	p := c.Printer
	near := []string{"printer.transport"}
	switch p.Transport {
	case "serial":
		if p.Path == "" {
			k.add("printer.path", near, `empty: transport "serial" needs the serial port, e.g. "/dev/ttyS1"`)
		}
		k.baud("printer.baud", near, p.Baud)
	case "device":
		if p.Path == "" {
			k.add("printer.path", near, `empty: transport "device" needs the character device, e.g. "/dev/usb/lp0"`)
		}
	case "tcp":
		if msg := checkHostPort(p.Address); msg != "" {
			k.add("printer.address", near, "%s", msg)
		}
	case "file":
		// An empty path means <state_dir>/tickets.
	default:
		k.addf("printer.transport", "%q: use %s", p.Transport, quoteList(printerTransports()))
	}
	if p.Path != strings.TrimSpace(p.Path) {
		k.addf("printer.path", "%q has spaces around it", p.Path)
	}
	k.id("printer.profile", p.Profile, 32, "generic-58")
	if p.PaperNearEndPin != "" && p.PaperNearEndPin == p.CoverOpenPin {
		k.addf("printer.cover_open_pin", "%q is also printer.paper_near_end_pin: one pin cannot sense both", p.CoverOpenPin)
	}
	k.positive("printer.status_timeout", p.StatusTimeout)
	k.positive("printer.job_timeout", p.JobTimeout)
	k.positive("printer.poll_interval", p.PollInterval)
	k.backoff("printer", p.ReopenMin, p.ReopenMax)
}

// checkHostPort returns what is wrong with a host:port address, or "".
func checkHostPort(addr string) string {
	if addr == "" {
		return `empty: transport "tcp" needs host:port, e.g. "192.168.1.50:9100"`
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil || host == "" {
		return fmt.Sprintf(`%q is not host:port, e.g. "192.168.1.50:9100"`, addr)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return fmt.Sprintf("%q: port %q is not a number from 1 to 65535 (ESC/POS printers listen on 9100)", addr, port)
	}
	return ""
}

func (c *Config) checkFlow(k *checker) {
	f := c.Flow
	if f.IdleTimeout.D() < minIdleTimeout {
		k.addf("flow.idle_timeout", "%v: too short for a visitor to read a screen; use at least %v", f.IdleTimeout.D(), minIdleTimeout)
	}
	if f.StillThereCountdown.D() < MinStillThereCountdown {
		k.addf("flow.still_there_countdown", "%v: must be at least %v, so a slow visitor can answer before the reset", f.StillThereCountdown.D(), MinStillThereCountdown)
	}
	k.positive("flow.goodbye_timeout", f.GoodbyeTimeout)
	if f.TicketTimeout.D() < MinTicketTimeout {
		k.addf("flow.ticket_timeout", "%v: must be at least %v, time to read the number and take the ticket", f.TicketTimeout.D(), MinTicketTimeout)
	}
	if f.BookingEnabled && (f.BookingCodeLength < 4 || f.BookingCodeLength > 12) {
		k.add("flow.booking_code_length", []string{"flow.booking_enabled"}, "%d: a booking code has 4 to 12 digits", f.BookingCodeLength)
	}
	if f.ExpiryWarningDays < 0 || f.ExpiryWarningDays > 3650 {
		k.addf("flow.expiry_warning_days", "%d: use a number of days from 0 to 3650", f.ExpiryWarningDays)
	}
	k.hours("flow.hours", f.Hours)
	if f.PriorityAge < 0 || f.PriorityAge > 150 {
		k.addf("flow.priority_age", "%d: use an age in years (65 puts visitors of 65 and over in the priority lane), or 0 for no priority by age", f.PriorityAge)
	}
	if f.MaxScanFailures < 1 {
		k.addf("flow.max_scan_failures", "%d: must be at least 1", f.MaxScanFailures)
	}
	for _, code := range slices.Sorted(maps.Keys(f.TranslationPolicy)) {
		key := joinKey("flow.translation_policy", code)
		if !isStateCode(code) {
			k.addf(key, "%q is not an ICAO state code: use the 3 capital letters of the passport's MRZ, e.g. \"CHN\" (\"D\" for Germany)", code)
		}
		if v := f.TranslationPolicy[code]; !slices.Contains(translationPolicies(), v) {
			k.addf(key, "%q: use %s", v, quoteList(translationPolicies()))
		}
	}
	seen := map[string]bool{}
	for i, code := range f.ConventionStates {
		key := fmt.Sprintf("flow.convention_states[%d]", i)
		near := []string{"flow.convention_states"}
		switch {
		case !isStateCode(code):
			k.add(key, near, "%q is not an ICAO state code: use 3 capital letters, e.g. \"RUS\"", code)
		case seen[code]:
			k.add(key, near, "%q is listed twice", code)
		}
		seen[code] = true
	}
}

func (c *Config) checkBackend(k *checker) {
	b := c.Backend
	if msg := checkBackendURL(b.URL); msg != "" {
		k.addf("backend.url", "%s", msg)
	}
	switch {
	case b.Enrol && (b.ClientCert != "" || b.ClientKey != ""):
		key := "backend.client_cert"
		if b.ClientCert == "" {
			key = "backend.client_key"
		}
		k.add(key, []string{"backend.enrol"}, "set, but backend.enrol is true: an enrolled kiosk uses the key and certificate in <state_dir>/identity/; leave client_cert and client_key empty, or set enrol = false")
	case b.Enrol:
		// The identity gives the client certificate.
	case b.ClientCert != "" && b.ClientKey == "":
		k.add("backend.client_key", []string{"backend.client_cert"}, "empty, but backend.client_cert is set: mutual TLS needs both")
	case b.ClientCert == "" && b.ClientKey != "":
		k.add("backend.client_cert", []string{"backend.client_key"}, "empty, but backend.client_key is set: mutual TLS needs both")
	case b.ClientCert == "" && strings.HasPrefix(b.URL, "https:"):
		k.add("backend.client_cert", []string{"backend.url"}, "empty: the https backend requires mutual TLS; set client_cert and client_key")
	}
	if t := b.TokenFile; t != strings.TrimSpace(t) || strings.HasPrefix(t, "hcsc_") {
		k.addf("backend.token_file", "is not a file name: put the token in a file readable by the kiosk user only (chmod 600) and name that file here")
	}
	k.positive("backend.timeout", b.Timeout)
	k.positive("backend.submit_wait", b.SubmitWait)
	k.positive("backend.sync_interval", b.SyncInterval)
	if b.LendSize < 0 || b.LendSize > 500 {
		k.addf("backend.lend_size", "%d: use 0 (no lent numbers) to 500", b.LendSize)
	}
}

// checkBackendURL returns what is wrong with the backend's URL, or "".
func checkBackendURL(raw string) string {
	if raw == "" {
		return `empty: set the backend's base URL, e.g. "https://backend.example.kz"`
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Sprintf("%q is not a URL: %v", raw, err)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Sprintf("%q: use an http:// or https:// URL", raw)
	case u.Host == "" || u.Hostname() == "":
		return fmt.Sprintf("%q has no host", raw)
	case u.User != nil:
		return fmt.Sprintf("%q carries a user name or password: the kiosk authenticates with its client certificate", u.Redacted())
	case u.Scheme == "http" && !isLoopback(u.Hostname()):
		return fmt.Sprintf("%q: plain http is allowed only to a loopback host (the demo); use https", raw)
	}
	return ""
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (c *Config) checkTechnician(k *checker) {
	h := c.Technician.PINHash
	switch {
	case h != strings.TrimSpace(h):
		k.addf("technician.pin_hash", "has spaces around it")
	case h != "" && len(h) <= 12 && allIn(h, "0123456789"):
		k.addf("technician.pin_hash", "looks like a bare PIN: store the PIN's hash here, never the PIN itself")
	}
}

// quoteList renders values as `"a", "b" or "c"`.
func quoteList(vs []string) string {
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = strconv.Quote(v)
	}
	if len(q) < 2 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

func intList(vs []int) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = strconv.Itoa(v)
	}
	return strings.Join(s, ", ")
}

const (
	upper  = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	digits = "0123456789"
)

// allIn reports whether every byte of s is one of set.
func allIn(s, set string) bool {
	for i := range len(s) {
		if strings.IndexByte(set, s[i]) < 0 {
			return false
		}
	}
	return true
}

// isID reports whether v is Latin letters, digits, '-' and '_', starting
// with a letter or digit.
func isID(v string) bool {
	alnum := upper + strings.ToLower(upper) + digits
	return v != "" && strings.IndexByte(alnum, v[0]) >= 0 && allIn(v, alnum+"-_")
}

// isStateCode reports whether code is an ICAO 9303 state code as the MRZ
// writes it, filler removed: three capital letters, or "D" for Germany.
func isStateCode(code string) bool {
	return code == "D" || (len(code) == 3 && allIn(code, upper))
}
