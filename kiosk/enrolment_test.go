package kiosk_test

import (
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/flows/i18n"
	"github.com/hcsc-kz/kiosk/kiosk"
	"github.com/hcsc-kz/kiosk/kiosk/enrol"
	"github.com/hcsc-kz/kiosk/kiosk/uitest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// enrolPage runs the enrolment page on a simulated 120×40 screen; each
// code sent is answered by answer.
type enrolPage struct {
	h     *uitest.Harness
	e     *kiosk.Enrolment
	clk   *uitest.Clock
	cat   *i18n.Catalog
	codes chan string
}

func newEnrolPage(t *testing.T, hwid string, answer func(code string) (*enrol.Identity, error)) *enrolPage {
	t.Helper()
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	p := &enrolPage{cat: cat, clk: uitest.NewClock(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)), codes: make(chan string, 10)}
	sim := uitest.NewScreen()
	p.e, err = kiosk.NewEnrolment(kiosk.EnrolOptions{Catalog: cat, HardwareID: hwid, Screen: sim, Now: p.clk.Now,
		Enrol: func(_ context.Context, code string) (*enrol.Identity, error) {
			p.codes <- code
			return answer(code)
		}})
	if err != nil {
		t.Fatal(err)
	}
	p.h = uitest.New(t, sim, p.e.App(), 120, 40)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	p.e.Start(ctx)
	p.h.Settle()
	return p
}

// tap touches an action past the tap guard of a page just shown.
func (p *enrolPage) tap(id string) {
	p.clk.Add(time.Second)
	p.h.TapAction(id)
}

// typeCode taps the code on the keypad.
func (p *enrolPage) typeCode(code string) {
	for _, d := range code {
		p.tap("key-" + string(d))
	}
}

// waitFor settles the event loop until the page shows text: the answer
// to a code comes from another goroutine.
func (p *enrolPage) waitFor(t *testing.T, text string) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !p.h.Contains(text) {
		if time.Now().After(deadline) {
			t.Fatalf("%q never shown:\n%s", text, p.h.Text())
		}
		p.h.Settle()
	}
}

// TestEnrolmentPageKazakh: the page opens in Kazakh with the hardware id
// in block letters and the code entry, as the golden file has it cell by
// cell; a long DMI UUID that cannot be drawn in block letters is shown
// whole as text.
func TestEnrolmentPageKazakh(t *testing.T) {
	p := newEnrolPage(t, "525400123456", func(string) (*enrol.Identity, error) { return nil, errors.New("unused") })
	for _, key := range []string{"enrol.title", "enrol.hardware_id", "enrol.prompt", "enrol.code_hint", "enrol.button.enrol"} {
		if want := p.cat.Text(i18n.Kazakh, key); !p.h.Contains(want) {
			t.Errorf("page lacks %s in Kazakh (%q):\n%s", key, want, p.h.Text())
		}
	}
	golden := filepath.Join("testdata", "enrolment_kk.txt")
	got := p.h.Text() + "\n"
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to make it)", err)
	}
	if got != string(want) {
		t.Errorf("the enrolment page differs from %s; run go test -update and review the diff:\n%s", golden, got)
	}
	if !strings.Contains(got, "██████  ██████  ██  ██") { // the top of 5, 2, 4
		t.Errorf("the hardware id is not in block letters:\n%s", got)
	}

	uuid := "4C4C4544-0042-3510-8051-B4C04F564433"
	q := newEnrolPage(t, uuid, func(string) (*enrol.Identity, error) { return nil, errors.New("unused") })
	if !q.h.Contains(uuid) {
		t.Errorf("the UUID hardware id is not shown whole:\n%s", q.h.Text())
	}
}

// TestEnrolmentErrors types a code (shown 4-4-4), sends it, and reads the
// answer's message in each language: each failure has its own words, never
// the Go error, and a code too short is not sent.
func TestEnrolmentErrors(t *testing.T) {
	tests := []struct {
		name string
		err  error
		key  string
	}{
		{"refused", &enrol.AnswerError{Status: 403, Kind: enrol.ErrCodeRefused}, "enrol.error.refused"},
		{"too many", &enrol.AnswerError{Status: 429, Kind: enrol.ErrTooManyTries}, "enrol.error.too_many"},
		{"unreachable", errors.Join(enrol.ErrUnreachable, errors.New("dial tcp: connection refused")), "enrol.error.unreachable"},
		{"bad answer", &enrol.AnswerError{Status: 400, Kind: enrol.ErrBadAnswer}, "enrol.error.bad_answer"},
		{"not stored", enrol.ErrStore, "enrol.error.local"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newEnrolPage(t, "525400123456", func(string) (*enrol.Identity, error) { return nil, tt.err })
			// The keypad's keys take the keyboard's digits too: one settle
			// for the whole code (TestEnrolmentSuccess taps it).
			p.h.Type("12345")
			p.tap("enrol")
			if want := p.cat.Text(i18n.Kazakh, "enrol.error.short"); !p.h.Contains(want) {
				t.Errorf("a 5-digit code: %q not shown:\n%s", want, p.h.Text())
			}
			p.h.Type("6789012")
			if !p.h.Contains("1234 5678 9012") {
				t.Errorf("the code is not shown grouped 4-4-4:\n%s", p.h.Text())
			}
			p.tap("enrol")
			if code := <-p.codes; code != "123456789012" {
				t.Errorf("code sent = %q, want 123456789012", code)
			}
			p.waitFor(t, firstWords(p.cat.Text(i18n.Kazakh, tt.key)))
			for _, l := range i18n.Languages() {
				p.tap("lang-" + string(l))
				if want := firstWords(p.cat.Text(l, tt.key)); !p.h.Contains(want) {
					t.Errorf("%s: %q not shown:\n%s", l, want, p.h.Text())
				}
				if strings.Contains(p.h.Text(), "enrol:") {
					t.Errorf("%s: a Go error is on the page:\n%s", l, p.h.Text())
				}
			}
			if len(p.codes) != 0 {
				t.Error("a short code was sent")
			}
		})
	}
}

// firstWords is the start of a message, which fits on one row of the
// screen however the rest wraps.
func firstWords(s string) string {
	f := strings.Fields(s)
	return strings.Join(f[:min(3, len(f))], " ")
}

// TestEnrolmentSuccess: a good code shows the kiosk id and branch, and
// "start" hands the identity on, so the runner goes to the visitor
// journey.
func TestEnrolmentSuccess(t *testing.T) {
	id := &enrol.Identity{KioskID: "K-07", Branch: "ALA-01", NotAfter: time.Date(2027, 12, 1, 0, 0, 0, 0, time.UTC)}
	p := newEnrolPage(t, "525400123456", func(string) (*enrol.Identity, error) { return id, nil })
	p.typeCode("123456789012")
	p.tap("enrol")
	<-p.codes
	want := p.cat.Format(i18n.Kazakh, i18n.Message{Key: "enrol.done.branch", Args: i18n.Args{"Branch": "ALA-01"}})
	p.waitFor(t, want)
	if k := p.cat.Format(i18n.Kazakh, i18n.Message{Key: "enrol.done.kiosk", Args: i18n.Args{"Kiosk": "K-07"}}); !p.h.Contains(k) {
		t.Errorf("%q not shown:\n%s", k, p.h.Text())
	}
	select {
	case <-p.e.Done():
		t.Fatal("the page was left before the technician went on")
	default:
	}
	p.tap("start")
	select {
	case got := <-p.e.Done():
		if got != id {
			t.Errorf("Done = %+v, want %+v", got, id)
		}
	case <-time.After(time.Minute):
		t.Fatal("start did not leave the page")
	}
}
