package tech

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/config/zone"
	"github.com/hcsc-kz/kiosk/devices/printer"
	"github.com/hcsc-kz/kiosk/devices/scanner"
	"github.com/hcsc-kz/kiosk/flows/i18n"
	"github.com/hcsc-kz/kiosk/kiosk/uplink"
)

// State is a check's outcome, in periph's three states.
type State uint8

// The outcomes of a check.
const (
	// Loaded: the part is there and works.
	Loaded State = iota + 1
	// Skipped: the part is not fitted on this kiosk, or not used by its
	// configuration; nothing is wrong.
	Skipped
	// Failed: the part should work and does not; the reason says why and,
	// where the code knows, what to do.
	Failed
)

// String returns "loaded", "skipped" or "failed".
func (s State) String() string {
	switch s {
	case Loaded:
		return "loaded"
	case Skipped:
		return "skipped"
	case Failed:
		return "failed"
	}
	return "State(" + strconv.Itoa(int(s)) + ")"
}

// MarshalText writes the state as String does, for JSON.
func (s State) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Check is one line of the self-test.
type Check struct {
	// Name is the check's stable id, for scripts and the catalog:
	// "config", "technician", "time-zone", "zone-data", "state-dir", "outbox-key",
	// "scanner", "printer", "backend", "outbox" or "offline-prefix".
	Name  string `json:"name"`
	State State  `json:"state"`
	// Value is what a loaded part reported: a port, a printer state, a
	// URL, a number of applications waiting.
	Value string `json:"value,omitempty"`
	// Unit names what a Value that is a bare number counts ("entries
	// waiting"): Detail never shows a number without it.
	Unit string `json:"unit,omitempty"`
	// Reason says why a part was skipped or failed. Reasons come from the
	// drivers' errors, in English, and never carry personal data.
	Reason string `json:"reason,omitempty"`
	// Say is Value and Reason in the technician page's words: every
	// failed or skipped check has them (the [tech.fault] and [tech.device]
	// tables), and a loaded one where its Value is not a name (a printer's
	// state, a file printer). The page shows it instead of the English.
	Say i18n.Message `json:"-"`
}

// String returns e.g. "scanner: loaded (/dev/ttyACM0)" or
// "backend: failed (uplink: backend unreachable: …)".
func (c Check) String() string {
	s := c.Name + ": " + c.State.String()
	if d := c.Detail(); d != "" {
		s += " (" + d + ")"
	}
	return s
}

// Detail is the reason, or the value and its unit when there is no reason.
func (c Check) Detail() string {
	if c.Reason != "" {
		return c.Reason
	}
	if c.Unit != "" {
		return c.Value + " " + c.Unit
	}
	return c.Value
}

// AnyFailed reports whether any check failed: kiosk doctor's exit status.
func AnyFailed(checks []Check) bool {
	for _, c := range checks {
		if c.State == Failed {
			return true
		}
	}
	return false
}

// Scanner is the MRZ scanner as the checks see it.
type Scanner interface {
	// Probe returns nil when the scanner's port works, and why not
	// otherwise (a *scanner.PortError from the driver).
	Probe(ctx context.Context) error
}

// OpenProbe checks a scanner by opening its port and closing it again. It
// is for kiosk doctor, when no running kiosk holds the port; a running
// kiosk reports the state its driver last saw instead.
type OpenProbe struct{ Opener scanner.Opener }

// Probe opens and closes the port.
func (p OpenProbe) Probe(ctx context.Context) error {
	rc, err := p.Opener.Open(ctx)
	if err != nil {
		return err
	}
	return rc.Close()
}

// ScannerFunc makes a function a Scanner.
type ScannerFunc func(ctx context.Context) error

// Probe calls f.
func (f ScannerFunc) Probe(ctx context.Context) error { return f(ctx) }

// Printer is the ticket printer as the checks see it (*printer.Dev).
type Printer interface {
	Status(ctx context.Context) (printer.State, error)
}

// Backend is the link to the central backend as the checks see it
// (*uplink.Uplink, *uplink.Client). The check sends a real heartbeat: it
// proves the network, the TLS settings and that the backend knows this
// kiosk, and it tells the center what the checks found.
type Backend interface {
	Heartbeat(ctx context.Context, kiosk string, hb api.Heartbeat) error
}

// Outbox is the queue of applications not yet delivered (*uplink.Uplink,
// *uplink.Outbox): waiting, refused by the backend, and set aside as
// unreadable.
type Outbox interface {
	Counts(ctx context.Context) (uplink.Counts, error)
}

// Parts are what the checks look at. A nil device is not fitted. The
// technician's screen passes the running kiosk's parts, kiosk doctor parts
// it opened for the check; the checks themselves are the same, so the
// two cannot drift apart.
type Parts struct {
	Config *config.Config
	// ConfigPath names where Config came from, for the config check.
	ConfigPath string
	// Version is reported in the backend check's heartbeat.
	Version string
	Scanner Scanner
	Printer Printer
	Backend Backend
	Outbox  Outbox
	// Timeout bounds each probe; 0 means DefaultTimeout.
	Timeout time.Duration
	// Now is the clock for the heartbeat; nil means time.Now.
	Now func() time.Time
	// LoadZone loads a zone by name; nil means zone.Load, as the kiosk
	// does. Tests pass a loader with old data to see the zone-data check
	// fail.
	LoadZone func(name string) (*time.Location, error)
}

// DefaultTimeout bounds one probe: long enough for a printer's status
// answer and a backend's round trip, short enough for a technician.
const DefaultTimeout = 5 * time.Second

// Checks runs every check, in a fixed order, and returns one line each.
// With no configuration it returns the config check alone, failed.
func Checks(ctx context.Context, p Parts) []Check {
	if p.Config == nil {
		return []Check{say(Check{Name: "config", State: Failed, Reason: "no configuration loaded"}, "config_none", nil)}
	}
	if p.Timeout <= 0 {
		p.Timeout = DefaultTimeout
	}
	if p.Now == nil {
		p.Now = time.Now
	}
	if p.LoadZone == nil {
		p.LoadZone = zone.Load
	}
	cfg := p.Config
	out := []Check{
		checkConfig(cfg, p.ConfigPath),
		checkTechnician(cfg.Technician),
		checkZone(cfg.Kiosk.TimeZone, p.LoadZone),
		checkZoneData(p.LoadZone),
		checkStateDir(cfg.Kiosk.StateDir),
		checkOutboxKey(cfg.Backend, cfg.Kiosk),
		checkScanner(ctx, p),
		checkPrinter(ctx, p),
	}
	out = append(out, checkBackend(ctx, p, out), checkOutbox(ctx, p), checkOfflinePrefix(ctx, p))
	return out
}

func loaded(name, value string) Check { return Check{Name: name, State: Loaded, Value: value} }

func skipped(name, reason string) Check { return Check{Name: name, State: Skipped, Reason: reason} }

// notFitted is c said as "not fitted" on the technician's page.
func notFitted(c Check) Check {
	c.Say = i18n.M("tech.device.not_fitted")
	return c
}

func failed(name string, err error) Check {
	return Check{Name: name, State: Failed, Reason: err.Error()}
}

func checkConfig(cfg *config.Config, path string) Check {
	if path == "" {
		path = "the built-in defaults"
	}
	words, shown := i18n.Message{}, path
	if path == "the built-in defaults" {
		words, shown = i18n.M("tech.device.defaults"), "—"
	}
	if err := cfg.Validate(); err != nil {
		return say(Check{Name: "config", State: Failed, Value: path, Reason: err.Error()}, "config", i18n.Args{"Path": shown})
	}
	c := loaded("config", path)
	c.Say = words
	return c
}

func checkTechnician(t config.Technician) Check {
	if t.PINHash == "" {
		return say(skipped("technician", "technician.pin_hash is empty: technician mode is off"), "pin_off", nil)
	}
	if _, err := ParseHash(t.PINHash); err != nil {
		return say(failed("technician", err), "pin_bad", nil)
	}
	return loaded("technician", "")
}

func checkZone(name string, load func(string) (*time.Location, error)) Check {
	if _, err := load(name); err != nil {
		return say(failed("time-zone", fmt.Errorf("kiosk.time_zone %q: %w", name, err)), "zone", i18n.Args{"Zone": name})
	}
	return loaded("time-zone", name)
}

// checkZoneData checks the zone data the kiosk reads Kazakhstan's time
// from: Almaty is UTC+5 from 00:00 on 1 March 2024 (tzdata 2024a). Data
// older than that put every ready date and ticket time an hour off. It also
// says when the image's own zone files are that old: the kiosk does not use
// them for Kazakh zones, but the system clock and its logs do.
func checkZoneData(load func(string) (*time.Location, error)) Check {
	const name = "Asia/Almaty"
	loc, err := load(name)
	if err != nil {
		return say(failed("zone-data", fmt.Errorf("%s: %w: the kiosk build lacks its zone data; install a current kiosk build", name, err)), "zone_data", nil)
	}
	if off := plus(loc); off != 5 {
		return say(failed("zone-data", fmt.Errorf("%s is UTC%+d on 2024-03-01, want +5 (Kazakhstan has one zone, UTC+5, since 1 March 2024): "+
			"the zone data are older than tzdata 2024a and every ready date and ticket time is an hour off; install a current kiosk build",
			name, off)), "zone_data", nil)
	}
	v := fmt.Sprintf("%s UTC+5 on 2024-03-01 (built-in tzdata %s)", name, zone.Version)
	say := i18n.Message{Key: "tech.device.zone", Args: i18n.Args{"Zone": name, "Version": zone.Version}}
	if sys, err := time.LoadLocation(name); err == nil && plus(sys) != 5 {
		v += fmt.Sprintf("; the image's own zone files say UTC%+d, older than tzdata 2024a: the kiosk does not use them, "+
			"but update the image's tzdata package so the system clock and logs agree", plus(sys))
		say = i18n.Message{Key: "tech.device.zone_old_system", Args: i18n.Args{"Zone": name, "Version": zone.Version, "Offset": fmt.Sprintf("%+d", plus(sys))}}
	}
	c := loaded("zone-data", v)
	c.Say = say
	return c
}

// plus is loc's offset from UTC in whole hours at noon on 1 March 2024.
func plus(loc *time.Location) int {
	_, off := time.Date(2024, time.March, 1, 12, 0, 0, 0, loc).Zone()
	return off / 3600
}

// checkStateDir writes and removes a file, as the outbox and the log must.
// A folder not there yet is "missing", as on a kiosk that has not run:
// kiosk run makes it, so it is skipped, unless kiosk run could not.
func checkStateDir(dir string) Check {
	abs, aerr := filepath.Abs(dir)
	if aerr != nil {
		abs = dir
	}
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		parent := filepath.Dir(abs)
		for {
			if _, err := os.Stat(parent); err == nil || filepath.Dir(parent) == parent {
				break
			}
			parent = filepath.Dir(parent)
		}
		if err := writable(parent); err != nil {
			return say(Check{Name: "state-dir", State: Failed, Value: abs,
				Reason: fmt.Sprintf("kiosk.state_dir %s is missing, and kiosk run cannot make it: %s is not writable by this user", abs, parent)},
				"dir_cannot", i18n.Args{"Path": abs})
		}
		return say(skipped("state-dir", fmt.Sprintf("kiosk.state_dir %s is missing: kiosk run makes it on its first start", abs)),
			"dir_missing", i18n.Args{"Path": abs})
	}
	if err := writable(dir); err != nil {
		return say(failed("state-dir", fmt.Errorf("kiosk.state_dir %s is not writable: %w", abs, err)), "dir_readonly", i18n.Args{"Path": abs})
	}
	return loaded("state-dir", abs)
}

// writable writes, syncs and removes a file in dir.
func writable(dir string) error {
	f, err := os.CreateTemp(dir, ".doctor-*")
	if err != nil {
		return err
	}
	name := f.Name()
	_, werr := io.WriteString(f, "ok\n")
	return errors.Join(werr, f.Sync(), f.Close(), os.Remove(name))
}

// checkOutboxKey reads the key as the uplink does: present, well formed,
// readable by the kiosk user only. The key is zeroed at once.
func checkOutboxKey(b config.Backend, k config.Kiosk) Check {
	path := uplink.KeyFile(b, k)
	if _, err := os.Stat(path); b.OutboxKeyFile == "" && errors.Is(err, fs.ErrNotExist) {
		// The default key is made on the kiosk's first start: not there
		// yet is the state of a kiosk that has not run, not a fault.
		c := skipped("outbox-key", "made on the kiosk's first start: "+path)
		c.Say = i18n.Message{Key: "tech.device.key_later", Args: i18n.Args{"Path": path}}
		return c
	}
	key, err := uplink.LoadKey(path, false)
	if err != nil {
		return say(failed("outbox-key", err), "key_bad", i18n.Args{"Path": path})
	}
	clear(key)
	return loaded("outbox-key", path)
}

func checkScanner(ctx context.Context, p Parts) Check {
	port := p.Config.Scanner.Port
	switch {
	case port == "":
		return notFitted(skipped("scanner", "not fitted: [scanner] port is empty"))
	case p.Scanner == nil:
		return notFitted(skipped("scanner", "not fitted: no scanner driver running"))
	}
	ctx, cancel := context.WithTimeout(ctx, p.Timeout)
	defer cancel()
	if err := p.Scanner.Probe(ctx); err != nil {
		return sayScanner(Check{Name: "scanner", State: Failed, Value: port, Reason: err.Error()}, err, port)
	}
	return loaded("scanner", port)
}

func checkPrinter(ctx context.Context, p Parts) Check {
	pc := p.Config.Printer
	switch {
	case pc.Transport == "file":
		dir := pc.Path
		if dir == "" {
			dir = filepath.Join(p.Config.Kiosk.StateDir, "tickets")
		}
		// Not a device: the page calls it what it is, a folder of files.
		c := skipped("printer", fmt.Sprintf("not fitted: transport \"file\" writes tickets into %s", dir))
		c.Say = i18n.Message{Key: "tech.device.file", Args: i18n.Args{"Path": dir}}
		return c
	case p.Printer == nil:
		return notFitted(skipped("printer", "not fitted: no printer driver running"))
	}
	ctx, cancel := context.WithTimeout(ctx, p.Timeout)
	defer cancel()
	st, err := p.Printer.Status(ctx)
	switch {
	case err != nil:
		return sayPrinter(Check{Name: "printer", State: Failed, Value: st.String(), Reason: err.Error()}, st, err)
	case !st.CanPrint():
		return sayPrinter(Check{Name: "printer", State: Failed, Value: st.String(), Reason: st.Err().Error()}, st, nil)
	}
	return sayPrinter(loaded("printer", st.String()), st, nil)
}

// checkBackend sends a heartbeat carrying what the device checks found and
// the outbox's depth, read after the heartbeat's time is taken: the backend
// takes 0 as proof that every offline ticket printed before that time has
// reached it. With no outbox (none made yet) nothing waits; an outbox that
// cannot be read says so (api.OutboxDepthUnknown).
func checkBackend(ctx context.Context, p Parts, devices []Check) Check {
	if p.Backend == nil {
		return say(failed("backend", errors.New("no link to the backend")), "backend_none", nil)
	}
	hb := api.Heartbeat{Version: p.Version, At: p.Now(), Paper: "unknown"}
	// The heartbeat replaces the kiosk's last one at the backend: it must
	// carry the outbox as it is (pending, refused, set aside), not zeros.
	if p.Outbox != nil {
		dctx, cancel := context.WithTimeout(ctx, p.Timeout)
		c, err := p.Outbox.Counts(dctx)
		cancel()
		if c.FillHeartbeat(&hb); err != nil {
			hb.OutboxDepth = api.OutboxDepthUnknown
		}
	}
	for _, c := range devices {
		if c.Name != "scanner" && c.Name != "printer" {
			continue
		}
		hb.Devices = append(hb.Devices, api.Device{Name: c.Name, State: c.State.String(), Reason: deviceReason(c.Reason)})
		if c.Name == "printer" && c.State != Skipped {
			hb.Paper = paper(c.Value)
		}
	}
	ctx, cancel := context.WithTimeout(ctx, p.Timeout)
	defer cancel()
	if err := p.Backend.Heartbeat(ctx, p.Config.Kiosk.ID, hb); err != nil {
		return sayBackend(Check{Name: "backend", State: Failed, Value: p.Config.Backend.URL, Reason: err.Error()}, err, p.Config.Backend.URL)
	}
	return loaded("backend", p.Config.Backend.URL)
}

// paper is the heartbeat's paper word for a printer state.
func paper(state string) string {
	switch state {
	case printer.Ready.String():
		return "ok"
	case printer.PaperNearEnd.String():
		return "low"
	case printer.PaperOut.String():
		return "out"
	}
	return "unknown"
}

func checkOutbox(ctx context.Context, p Parts) Check {
	if p.Outbox == nil {
		return say(skipped("outbox", "no outbox yet: the kiosk has not run here"), "outbox_none", nil)
	}
	ctx, cancel := context.WithTimeout(ctx, p.Timeout)
	defer cancel()
	c, err := p.Outbox.Counts(ctx)
	if err != nil {
		return say(failed("outbox", err), "outbox_unreadable", nil)
	}
	// Value stays the number waiting, as before; what is refused or set
	// aside is a printed ticket the backend lacks, so the check fails.
	unit := its(c.Pending, "entry waiting", "entries waiting")
	if problems := outboxProblems(c); problems != "" {
		return sayOutbox(Check{Name: "outbox", State: Failed, Value: strconv.Itoa(c.Pending), Unit: unit, Reason: problems}, c)
	}
	return Check{Name: "outbox", State: Loaded, Value: strconv.Itoa(c.Pending), Unit: unit}
}

// outboxProblems says what is refused or set aside and what to do, one
// line each: refusals, then entries sealed under a replaced key, damaged
// entries, and damaged files (key files, outbox files) moved aside.
func outboxProblems(c uplink.Counts) string {
	var out []string
	if c.Rejected > 0 {
		s := fmt.Sprintf("%s refused by the backend (%s); %s printed: tell the supervisor",
			count(c.Rejected, "application"), byReason(c.RejectedBy), its(c.Rejected, "its ticket was", "their tickets were"))
		for r := range c.RejectedBy {
			if uplink.Retryable(r) {
				s += "; refusals of the kiosk rather than the application (401, 403, 404, 408) are sent again: " +
					"check the kiosk's token or certificate and backend.url, then restart the kiosk"
				break
			}
		}
		out = append(out, s)
	}
	damaged, damagedBy := 0, map[string]int{}
	var files []string
	for _, r := range slices.Sorted(maps.Keys(c.QuarantinedBy)) {
		n := c.QuarantinedBy[r]
		switch {
		case r == uplink.ReasonKeyReplaced:
			out = append(out, fmt.Sprintf("%s sealed under a replaced outbox key set aside: put the old key file back "+
				"(backend.outbox_key_file) and restart the kiosk to deliver %s, or tell the supervisor",
				count(n, "outbox entry"), its(n, "it", "them")))
		case strings.HasPrefix(r, uplink.ReasonKeyFileReplaced):
			files = append(files, fmt.Sprintf("the outbox key file could not be used (damaged or readable by others) and was moved aside to %s, "+
				"a new key made; to deliver what the old key sealed, put that file back (mode 0600) and restart the kiosk",
				strings.TrimSpace(strings.TrimPrefix(r, uplink.ReasonKeyFileReplaced))))
		case strings.HasPrefix(r, uplink.ReasonCorruptFile):
			files = append(files, fmt.Sprintf("the outbox file was damaged and moved aside to %s, a new one made; "+
				"the tickets it held are not delivered: tell the supervisor and keep that file",
				strings.TrimSpace(strings.TrimPrefix(r, uplink.ReasonCorruptFile))))
		default:
			damaged += n
			damagedBy[r] = n
		}
	}
	if damaged > 0 {
		out = append(out, fmt.Sprintf("%s damaged (%s) and set aside; the backend may not have %s: tell the supervisor",
			count(damaged, "outbox entry"), byReason(damagedBy), its(damaged, "its ticket", "their tickets")))
	}
	return strings.Join(append(out, files...), "\n")
}

// its picks the singular or the plural words for n.
func its(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// count is "1 application", "3 applications", "2 outbox entries".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	if s, ok := strings.CutSuffix(noun, "y"); ok {
		return strconv.Itoa(n) + " " + s + "ies"
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// byReason is "403 forbidden ×2, 409 number-taken".
func byReason(m map[string]int) string {
	keys := slices.Sorted(maps.Keys(m))
	for i, k := range keys {
		if m[k] > 1 {
			keys[i] = fmt.Sprintf("%s ×%d", k, m[k])
		}
	}
	return strings.Join(keys, ", ")
}
