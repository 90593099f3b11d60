package demo_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"periph.io/x/conn/v3/conntest"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/devices/printer"
	"github.com/hcsc-kz/kiosk/devices/printer/escpos"
	"github.com/hcsc-kz/kiosk/devices/printer/preview"
	"github.com/hcsc-kz/kiosk/devices/scanner"
	"github.com/hcsc-kz/kiosk/devices/scanner/scannertest"
	"github.com/hcsc-kz/kiosk/flows/i18n"
	"github.com/hcsc-kz/kiosk/kiosk"
	"github.com/hcsc-kz/kiosk/kiosk/demo"
	"github.com/hcsc-kz/kiosk/kiosk/demo/demotest"
	"github.com/hcsc-kz/kiosk/kiosk/ui"
	"github.com/hcsc-kz/kiosk/kiosk/uitest"
	"github.com/hcsc-kz/kiosk/kiosk/uplink"
)

// waitLimit bounds every wait on the scanner's or the backend's goroutines.
const waitLimit = time.Minute

// setup changes a hall before it opens: the demo's configuration, and the
// kiosk's parts once the demo has made them.
type setup struct {
	cfg  func(c *config.Config)
	opts func(t testing.TB, d *demo.Demo, o *kiosk.Options)
	// w and h are the screen's size in cells; zero: 100×40, as newHall.
	w, h int
}

// startHall is newHall with a setup.
func startHall(t *testing.T, s setup) *hall {
	t.Helper()
	x := demotest.Start(t, demotest.Setup{Config: s.cfg, Options: s.opts, Width: s.w, Height: s.h})
	return &hall{t: t, d: x.D, k: x.K, h: x.H, clk: x.Clock, cat: x.Cat}
}

// kk is a Kazakh catalog text.
func (x *hall) kk(key string) string { return x.cat.Text(i18n.Kazakh, key) }

// boxChars are the overlay's border, left out when reading text.
var boxChars = strings.NewReplacer("│", " ", "─", " ", "┌", " ", "┐", " ", "└", " ", "┘", " ")

// flat is text with every run of white space made one space.
func flat(s string) string { return strings.Join(strings.Fields(s), " ") }

// screenFlat is the whole screen as one line of words: a paragraph wrapped
// over several rows reads as it was written.
func (x *hall) screenFlat() string { return flat(boxChars.Replace(x.h.Text())) }

// shows reports whether text is on screen whole, however it is wrapped.
func (x *hall) shows(text string) bool { return strings.Contains(x.screenFlat(), flat(text)) }

// waitShows settles the UI until text is on screen.
func (x *hall) waitShows(text string) {
	x.t.Helper()
	deadline := time.Now().Add(waitLimit)
	for !x.shows(text) {
		if time.Now().After(deadline) {
			x.t.Fatalf("%q never appeared; the screen:\n%s", text, x.h.Text())
		}
		x.h.Settle()
	}
}

// idle lets the clock run past the idle timeout and the kiosk's timers see it.
func (x *hall) idle() {
	x.clk.Add(x.d.Config.Flow.IdleTimeout.D() + time.Second)
	x.k.Tick()
	x.h.Settle()
}

// countdown reads the seconds the "are you still there?" prompt shows.
func (x *hall) countdown() (int, bool) {
	m := x.cat.Format(i18n.Kazakh, i18n.Message{Key: "screen.still_there.countdown", Args: i18n.Args{"Count": 987654}})
	_, after, _ := strings.Cut(m, "987654")
	word := strings.Fields(after)[0]
	re := regexp.MustCompile(`(\d+) ` + regexp.QuoteMeta(word))
	sm := re.FindStringSubmatch(x.screenFlat())
	if sm == nil {
		return 0, false
	}
	n, err := strconv.Atoi(sm[1])
	return n, err == nil
}

// toConfirm goes from the welcome screen to the confirm screen in Kazakh
// with the specimen scanned on the demo's scanner.
func (x *hall) toConfirm(specimen string) {
	x.t.Helper()
	x.tap("lang-kk")
	x.tap("self")
	x.d.Scan(specimen)
	x.waitFor("confirm")
}

// heldUplink is the demo's uplink with a hand on it: while held, Submit
// and CheckIn wait for release, so a test sees what the visitor sees while
// the backend thinks. It notes the ids of the applications submitted, to
// look them up in the backend. Everything else goes straight through.
type heldUplink struct {
	kiosk.Uplink
	mu   sync.Mutex
	gate chan struct{} // nil: not held
	apps []string
}

func (u *heldUplink) hold() {
	u.mu.Lock()
	u.gate = make(chan struct{})
	u.mu.Unlock()
}

func (u *heldUplink) release() {
	u.mu.Lock()
	if u.gate != nil {
		close(u.gate)
		u.gate = nil
	}
	u.mu.Unlock()
}

func (u *heldUplink) wait(ctx context.Context) {
	u.mu.Lock()
	g := u.gate
	u.mu.Unlock()
	if g != nil {
		select {
		case <-g:
		case <-ctx.Done():
		}
	}
}

func (u *heldUplink) Submit(ctx context.Context, a api.Application) (uplink.Receipt, error) {
	u.mu.Lock()
	u.apps = append(u.apps, a.ID)
	u.mu.Unlock()
	u.wait(ctx)
	return u.Uplink.Submit(ctx, a)
}

func (u *heldUplink) CheckIn(ctx context.Context, ci api.CheckIn) (api.Ticket, error) {
	u.wait(ctx)
	return u.Uplink.CheckIn(ctx, ci)
}

// lastApp is the id of the last application submitted.
func (u *heldUplink) lastApp() string {
	u.mu.Lock()
	defer u.mu.Unlock()
	if len(u.apps) == 0 {
		return ""
	}
	return u.apps[len(u.apps)-1]
}

// holdUplink puts a heldUplink between the kiosk and the demo's uplink.
func holdUplink(u **heldUplink) func(testing.TB, *demo.Demo, *kiosk.Options) {
	return func(_ testing.TB, _ *demo.Demo, o *kiosk.Options) {
		*u = &heldUplink{Uplink: o.Uplink}
		o.Uplink = *u
	}
}

// ownScanner gives the kiosk a scanner of the test's own: the real driver
// on a fresh pseudo-terminal, so the test can send what no specimen is (a
// smudged scan) and unplug it. The demo's sample buttons and F2 write
// into it too.
func ownScanner(port **scannertest.Port) func(testing.TB, *demo.Demo, *kiosk.Options) {
	return func(t testing.TB, d *demo.Demo, o *kiosk.Options) {
		t.Helper()
		p, err := scannertest.New(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { p.Close() })
		sc := d.Config.Scanner
		sc.Port = p.Path()
		opener, sopts, err := scanner.FromConfig(sc)
		if err != nil {
			t.Fatal(err)
		}
		dev, err := scanner.New(opener, sopts)
		if err != nil {
			t.Fatal(err)
		}
		o.Scanner = dev
		o.ScanSample = func(id string) {
			if _, err := p.Write(scannertest.Frame(specimen(t, id), "\r\n")); err != nil {
				t.Errorf("scan %s: %v", id, err)
			}
		}
		*port = p
	}
}

func specimen(t testing.TB, id string) []string {
	for _, s := range demo.Specimens() {
		if s.ID == id {
			return s.Lines
		}
	}
	t.Fatalf("no specimen %q", id)
	return nil
}

// Printer status answers to DLE EOT 1–4 (0x12 is "all clear": bits 1 and 4
// are fixed at 1).
var (
	statusReady    = []byte{0x12, 0x12, 0x12, 0x12}
	statusPaperOut = []byte{0x1A, 0x32, 0x12, 0x72} // offline; paper stop; no error; roll end
)

// statusOp is one status exchange with the printer.
func statusOp(answer []byte) conntest.IO {
	return conntest.IO{W: escpos.StatusRequest(escpos.StatusPrinter, escpos.StatusOffline, escpos.StatusError, escpos.StatusPaper), R: answer}
}

// playbackPrinter gives the kiosk the real printer driver on a periph
// playback that answers the status requests with the given answers, one
// each, and nothing more: a job sent after them fails as a cable pulled
// mid-ticket would. The driver polls once at start and never again.
func playbackPrinter(pb **conntest.Playback, answers ...[]byte) func(testing.TB, *demo.Demo, *kiosk.Options) {
	return func(t testing.TB, d *demo.Demo, o *kiosk.Options) {
		t.Helper()
		p := &conntest.Playback{DontPanic: true}
		for _, a := range answers {
			p.Ops = append(p.Ops, statusOp(a))
		}
		prof, err := printer.LookupProfile(d.Config.Printer.Profile)
		if err != nil {
			t.Fatal(err)
		}
		prof.Status = printer.DLEEOT
		dev, err := printer.New(p, &printer.Opts{Profile: prof, PollInterval: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		o.Printer = dev
		*pb = p
	}
}

// all runs several setups' option changes in order.
func all(fs ...func(testing.TB, *demo.Demo, *kiosk.Options)) func(testing.TB, *demo.Demo, *kiosk.Options) {
	return func(t testing.TB, d *demo.Demo, o *kiosk.Options) {
		for _, f := range fs {
			f(t, d, o)
		}
	}
}

// TestWalkAway leaves the kiosk mid-journey: the prompt asks whether the
// visitor is still there with a countdown of at least 20 s; "I'm here"
// goes back where they were; left again, the kiosk resets to the Kazakh
// welcome with none of the visitor's data anywhere on screen.
func TestWalkAway(t *testing.T) {
	tests := map[string]struct {
		walk    func(x *hall)
		under   string   // an action of the page they left
		secrets []string // what of theirs is on that page
		// again, when set, starts a new visit after the reset and checks
		// nothing of the last one comes back.
		again func(t *testing.T, x *hall)
	}{
		"on the confirm screen": {
			walk:    func(x *hall) { x.toConfirm("latin") },
			under:   "confirm",
			secrets: []string{"MUSTERMANN", "ERIKA", "C01X00T47"},
		},
		"typing a phone number": {
			walk: func(x *hall) {
				x.toConfirm("latin")
				x.tap("confirm")
				x.tap("continue")
				for _, k := range "77015" {
					x.tap("key-" + string(k))
				}
			},
			under:   "submit",
			secrets: []string{"770 15"}, // as the field groups it
			again: func(t *testing.T, x *hall) {
				x.toConfirm("over-65") // another passport: the scanner drops a repeat
				x.tap("confirm")
				x.tap("continue")
				if x.shows("770 15") {
					t.Errorf("the last visitor's digits are back on the keypad:\n%s", x.h.Text())
				}
			},
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			x := startHall(t, setup{})
			tt.walk(x)
			for _, s := range tt.secrets {
				if !x.shows(s) {
					t.Fatalf("%q is not on the page the visitor leaves:\n%s", s, x.h.Text())
				}
			}

			x.idle()
			if !x.has("still-here") || !x.shows(x.kk("screen.still_there.title")) {
				t.Fatalf("no \"are you still there?\" after the idle timeout:\n%s", x.h.Text())
			}
			if n, ok := x.countdown(); !ok || n < 20 {
				t.Errorf("countdown = %d (read %v), want at least 20 s:\n%s", n, ok, x.h.Text())
			}
			for _, s := range tt.secrets {
				if x.shows(s) {
					t.Errorf("%q shows round the prompt, for anyone passing:\n%s", s, x.h.Text())
				}
			}
			x.clk.Add(5 * time.Second)
			x.k.Tick()
			x.h.Settle()
			if n, _ := x.countdown(); n != 15 {
				t.Errorf("5 s into the prompt the countdown shows %d, want 15", n)
			}

			x.tap("still-here")
			if !x.has(tt.under) || x.has("still-here") {
				t.Fatalf("\"I'm here\" did not go back to the page with %q:\n%s", tt.under, x.h.Text())
			}
			for _, s := range tt.secrets {
				if !x.shows(s) {
					t.Errorf("back from the prompt, %q is gone:\n%s", s, x.h.Text())
				}
			}

			x.idle()
			if !x.has("still-here") {
				t.Fatalf("no prompt at the second idle timeout:\n%s", x.h.Text())
			}
			x.clk.Add(x.d.Config.Flow.StillThereCountdown.D() - time.Second)
			x.k.Tick()
			x.h.Settle()
			if !x.has("still-here") {
				t.Fatalf("the prompt went a second early:\n%s", x.h.Text())
			}
			x.clk.Add(2 * time.Second)
			x.k.Tick()
			x.h.Settle()
			if !x.shows(x.kk("lang.choose")) || !x.has("lang-kk") {
				t.Fatalf("past the countdown the kiosk is not at the Kazakh welcome:\n%s", x.h.Text())
			}
			for _, s := range tt.secrets {
				if x.shows(s) {
					t.Errorf("%q still on screen after the reset:\n%s", s, x.h.Text())
				}
			}
			if tt.again != nil {
				tt.again(t, x)
			}
		})
	}
}

// has reports whether every action is on screen.
func (x *hall) has(ids ...string) bool {
	for _, id := range ids {
		if !x.h.HasAction(id) {
			return false
		}
	}
	return true
}

// TestSpecimenJourneys takes the demo's other passports through the
// kiosk in Kazakh: the Russian internal passport's names in Cyrillic with
// the Latin beside, the translation a non-Latin passport needs, the
// refusal of a Kazakhstan citizen, and the priority lane at 65.
func TestSpecimenJourneys(t *testing.T) {
	tests := map[string]func(t *testing.T, x *hall){
		"rus-internal": func(t *testing.T, x *hall) {
			x.toConfirm("rus-internal")
			for _, s := range []string{"ИВАНОВ", "IVANOV", "ИВАН", "IVANOVICH"} {
				if !x.shows(s) {
					t.Errorf("confirm screen lacks %q:\n%s", s, x.h.Text())
				}
			}
			x.tap("confirm")
			if !x.shows(x.kk("screen.result.ok")) {
				t.Errorf("result is not \"all set\":\n%s", x.h.Text())
			}
			x.tap("continue")
			x.tap("skip")
			x.waitFor("done")
		},
		"non-latin": func(t *testing.T, x *hall) {
			x.toConfirm("non-latin")
			if !x.shows("ZHANG") || !x.shows("CHN") {
				t.Errorf("confirm screen lacks the holder:\n%s", x.h.Text())
			}
			x.tap("confirm")
			x.tap("no") // the place of birth only in other letters
			for _, key := range []string{"screen.result.needs_documents", "precheck.item.notarized_translation", "precheck.reason.translation_visitor"} {
				if !x.shows(x.kk(key)) {
					t.Errorf("checklist lacks %s (%q):\n%s", key, x.kk(key), x.h.Text())
				}
			}
			x.tap("continue")
			x.tap("skip")
			x.waitFor("done")
			if !x.shows(x.kk("precheck.item.notarized_translation")) {
				t.Errorf("the ticket screen does not list the translation to bring:\n%s", x.h.Text())
			}
			// The clerk learns what decided the translation: the visitor.
			if a := callNextApplication(t, x.d); a == nil {
				t.Error("the clerk's call gave no application")
			} else if p := a.Precheck; !p.TranslationRequired || p.TranslationSource != "visitor" {
				t.Errorf("the clerk's precheck %+v: want a translation the visitor's answer decided", p)
			}
		},
		"kaz-citizen": func(t *testing.T, x *hall) {
			x.tap("lang-kk")
			x.tap("self")
			x.d.Scan("kaz-citizen")
			x.waitFor("done")
			for _, key := range []string{"screen.result.cannot_apply", "precheck.item.kz_citizen", "precheck.reason.kz_citizen"} {
				if !x.shows(x.kk(key)) {
					t.Errorf("refusal lacks %s (%q):\n%s", key, x.kk(key), x.h.Text())
				}
			}
			if x.h.HasAction("continue") || x.h.HasAction("confirm") || x.shows("NURLANULY") {
				t.Errorf("a citizen is offered a way on, or their name stays on screen:\n%s", x.h.Text())
			}
			x.tap("done")
			if !x.shows(x.kk("screen.goodbye.title")) {
				t.Errorf("done does not say goodbye:\n%s", x.h.Text())
			}
		},
		"over-65": func(t *testing.T, x *hall) {
			x.toConfirm("over-65")
			x.tap("confirm")
			x.tap("continue")
			x.tap("skip")
			x.waitFor("done")
			if rec := callNext(t, x.d); rec.Lane != api.LanePriority {
				t.Errorf("the clerk called a %s ticket, want the priority lane", rec.Lane)
			}
		},
	}
	for name, walk := range tests {
		t.Run(name, func(t *testing.T) { walk(t, startHall(t, setup{})) })
	}
}

// addBooking books a visit on the demo's backend, as the booking site
// would, for today at the kiosk's branch.
func addBooking(t *testing.T, d *demo.Demo, code, docNumber string) {
	t.Helper()
	body, _ := json.Marshal(api.Booking{Code: code, BranchID: d.Config.Kiosk.Branch, Service: "iin",
		SlotAt: time.Now().Add(time.Minute), DocumentNumber: docNumber})
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.BackendURL+"/v1/bookings", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+d.Token(central.RoleBooking))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("POST /v1/bookings = %s, want 204", resp.Status)
	}
}

// TestBookedVisit checks in a booked visitor, by the code typed on the
// keypad and by the passport, through to a ticket that says it is booked.
// The number on screen and on paper is the one the check-in got, the QR
// names that ticket, the clerk's call-next gives it once with the visitor's
// application, and the application has no ticket of its own.
func TestBookedVisit(t *testing.T) {
	tests := map[string]struct {
		docNumber string
		find      func(x *hall)
	}{
		"by code": {find: func(x *hall) {
			for _, k := range "48291" {
				x.tap("key-" + string(k))
			}
			x.tap("submit")
			if !x.shows(x.cat.Format(i18n.Kazakh, i18n.Message{Key: "screen.booking.code_hint", Args: i18n.Args{"Count": 6}})) {
				x.t.Errorf("five digits of six are not refused with the hint:\n%s", x.h.Text())
			}
			x.tap("key-3")
			x.tap("submit")
			x.waitFor("self")
			x.tap("self")
			x.d.Scan("latin")
			x.waitFor("confirm")
		}},
		"by passport": {docNumber: "C01X00T47", find: func(x *hall) {
			x.tap("booking-by-passport")
			x.d.Scan("latin")
			x.waitFor("self")
			x.tap("self") // the passport was read to find the booking: no second scan
			x.waitFor("confirm")
		}},
	}
	// clerk is a clerk's call-next at window 1 over HTTP, so the sealed
	// application comes back opened, as the clerk's desk gets it.
	clerk := func(t *testing.T, d *demo.Demo) (int, api.Call) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, http.MethodPost,
			d.BackendURL+"/v1/branches/"+d.Config.Kiosk.Branch+"/windows/1/call-next", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+d.Token(central.RoleClerk))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var call api.Call
		if resp.StatusCode == http.StatusOK {
			if err := json.NewDecoder(resp.Body).Decode(&call); err != nil {
				t.Fatal(err)
			}
		}
		return resp.StatusCode, call
	}
	// onScreen reports whether the screen shows number the way the ticket
	// screen draws it, in block letters: drawn alone on a screen of its own
	// and looked for row by row.
	onScreen := func(t *testing.T, x *hall, number string) bool {
		t.Helper()
		sim := uitest.NewScreen()
		app := ui.New(ui.Options{Screen: sim})
		h := uitest.New(t, sim, app, 100, 40)
		app.Do(func() { app.Show(&ui.Page{ID: "number", Big: number}) })
		h.Settle()
		screen, rows := x.h.Text(), 0
		for _, r := range h.Rows() {
			if r = strings.TrimSpace(r); strings.Contains(r, "█") {
				rows++
				if !strings.Contains(screen, r) {
					return false
				}
			}
		}
		return rows > 0
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			var up *heldUplink
			x := startHall(t, setup{opts: holdUplink(&up)})
			addBooking(t, x.d, "482913", tt.docNumber)
			x.tap("lang-kk")
			x.tap("service-booking")
			tt.find(x)
			if !x.shows("MUSTERMANN") {
				t.Errorf("confirm screen lacks the holder:\n%s", x.h.Text())
			}
			x.tap("confirm")
			x.tap("continue")
			x.tap("skip")
			x.waitFor("done")
			if x.shows(x.kk("screen.result.see_clerk")) {
				t.Fatalf("the booked visitor is sent to the desk:\n%s", x.h.Text())
			}
			if !x.shows(x.kk("ticket.booked")) {
				t.Errorf("the ticket screen does not say the visit is booked:\n%s", x.h.Text())
			}
			job := x.waitFile(filepath.Join(x.d.Tickets, "ticket-0001.bin"))
			res, err := preview.Decode(job, x.d.Printer.Layout().Profile().PreviewOptions())
			if err != nil {
				t.Fatal(err)
			}
			paper := res.String()

			appID := up.lastApp()
			if _, err := x.d.Store.Get(context.Background(), appID); !errors.Is(err, central.ErrNotFound) {
				t.Errorf("the application has a ticket of its own (Get = %v): a second number beside the check-in's", err)
			}
			st, call := clerk(t, x.d)
			if st != http.StatusOK {
				t.Fatalf("the clerk's call-next = %d, want 200 with the booked visitor", st)
			}
			tk := call.Status.Ticket
			if tk.Lane != api.LaneBooked || tk.ApplicationID == appID {
				t.Errorf("the clerk called %s in lane %s, want the check-in's ticket in the booked lane", tk.Number, tk.Lane)
			}
			if !onScreen(t, x, tk.Number) || !strings.Contains(paper, tk.Number) {
				t.Errorf("the clerk calls %s; the screen and the paper say:\n%s\n%s", tk.Number, x.h.Text(), paper)
			}
			if qr := "[QR: " + tk.ApplicationID + "]"; !strings.Contains(paper, qr) {
				t.Errorf("the ticket's QR does not name the check-in's ticket %s:\n%s", api.MaskID(tk.ApplicationID), paper)
			}
			if a := call.Application; a == nil || a.ID != appID || a.CheckInID != tk.ApplicationID || a.Applicant.DocumentNumber != "C01X00T47" {
				t.Errorf("the clerk did not get the visitor's application with the booked number")
			}
			if st, call := clerk(t, x.d); st != http.StatusNoContent {
				t.Errorf("a second call-next = %d %s, want 204: the visitor holds one number", st, call.Status.Ticket.Number)
			}
			// The print report names the check-in's ticket too, so it is
			// the one marked printed.
			deadline := time.Now().Add(waitLimit)
			for {
				rec, err := x.d.Store.Get(context.Background(), tk.ApplicationID)
				if err != nil {
					t.Fatal(err)
				}
				if rec.Printed == central.PrintOK {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("the check-in's ticket has print state %d, want %d (printed)", rec.Printed, central.PrintOK)
				}
				x.h.Settle()
			}
		})
	}
}

// TestPrinterTrouble: a printer out of paper is said on the welcome screen
// before anyone starts; when the ticket does not print, the number stays
// on screen to remember, and the backend is told so that the clerk does
// not call a number nobody holds.
func TestScannerMissingSaidOnWelcome(t *testing.T) {
	x := startHall(t, setup{opts: func(_ testing.TB, _ *demo.Demo, o *kiosk.Options) { o.Scanner = nil }})
	for _, l := range []i18n.Lang{i18n.Kazakh, i18n.Russian, i18n.English} {
		if want := x.cat.Text(l, "device.scanner_unavailable"); !x.shows(want) {
			t.Errorf("welcome screen lacks %q:\n%s", want, x.h.Text())
		}
	}
}

func TestPrinterTrouble(t *testing.T) {
	tests := map[string]struct {
		answers  [][]byte // to the driver's status requests: at start, before the job
		paperOut bool     // said on the welcome screen
	}{
		"out of paper from the start": {answers: [][]byte{statusPaperOut, statusPaperOut}, paperOut: true},
		"fails mid-ticket":            {answers: [][]byte{statusReady, statusReady}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			var pb *conntest.Playback
			var up *heldUplink
			x := startHall(t, setup{opts: all(playbackPrinter(&pb, tt.answers...), holdUplink(&up))})
			warning := x.kk("screen.paper_out")
			if tt.paperOut {
				x.waitShows(warning)
			} else if x.shows(warning) {
				t.Errorf("a ready printer is said to be out of paper:\n%s", x.h.Text())
			}
			x.toConfirm("latin")
			x.tap("confirm")
			x.tap("continue")
			x.tap("skip")
			x.waitFor("done")
			rec, err := x.d.Store.Get(context.Background(), up.lastApp())
			if err != nil {
				t.Fatalf("the application is not in the backend: %v", err)
			}
			x.waitShows(x.cat.Format(i18n.Kazakh, i18n.Message{Key: "device.printer_no_paper", Args: i18n.Args{"Number": rec.Number}}))
			writePNG(t, x.h, "ticket-print-failed-"+strings.ReplaceAll(name, " ", "-"))
			if err := pb.Close(); err != nil {
				t.Errorf("the printer was not asked as expected: %v", err)
			}
			deadline := time.Now().Add(waitLimit)
			for rec.Printed != central.PrintFailed {
				if time.Now().After(deadline) {
					t.Fatalf("the backend has print state %d, want %d (failed)", rec.Printed, central.PrintFailed)
				}
				x.h.Settle()
				if rec, err = x.d.Store.Get(context.Background(), rec.ID); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := x.d.Store.CallNext(context.Background(), central.CallRequest{Branch: x.d.Config.Kiosk.Branch,
				Day: rec.Day, Window: "1", Now: time.Now(), PriorityRatio: 2}); !errors.Is(err, central.ErrEmpty) {
				t.Errorf("call-next = %v, want ErrEmpty: the unprinted number must not be called", err)
			}
		})
	}
}

// callNextApplication calls the next visitor as the demo branch's clerk,
// through the protocol, and returns the application the clerk gets.
func callNextApplication(t *testing.T, d *demo.Demo) *api.Application {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.BackendURL+"/v1/branches/"+d.Config.Kiosk.Branch+"/windows/1/call-next", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+d.Token(central.RoleClerk))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("call-next = %s, want 200", resp.Status)
	}
	var c api.Call
	if err := json.NewDecoder(resp.Body).Decode(&c); err != nil {
		t.Fatal(err)
	}
	return c.Application
}
