package screen_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/flows/i18n"
	"github.com/hcsc-kz/kiosk/flows/journey"
	"github.com/hcsc-kz/kiosk/flows/precheck"
	"github.com/hcsc-kz/kiosk/kiosk/screen"
	"github.com/hcsc-kz/kiosk/kiosk/ui"
	"github.com/hcsc-kz/kiosk/kiosk/uitest"
)

// builder is a screen.Builder whose inputs are kept for the test to read.
type builder struct {
	*screen.Builder
	mu   sync.Mutex
	sent []journey.Input
}

func newBuilder(t *testing.T) *builder {
	t.Helper()
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	b := &builder{}
	b.Builder = &screen.Builder{Cat: cat, Booking: true, Refresh: func() {}, Scan: func(string) {},
		Send: func(in journey.Input) { b.mu.Lock(); b.sent = append(b.sent, in); b.mu.Unlock() }}
	return b
}

func (b *builder) last() journey.Input {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.sent) == 0 {
		return nil
	}
	return b.sent[len(b.sent)-1]
}

func action(p *ui.Page, id string) (ui.Action, bool) {
	acts := append(append(append([]ui.Action(nil), p.Actions...), p.Keypad...), p.Hidden...)
	if p.Overlay != nil {
		acts = append(acts, p.Overlay.Actions...)
	}
	for _, a := range acts {
		if a.ID == id {
			return a, true
		}
	}
	return ui.Action{}, false
}

func press(t *testing.T, p *ui.Page, id string) {
	t.Helper()
	a, ok := action(p, id)
	if !ok {
		t.Fatalf("page %s has no action %q", p.ID, id)
	}
	a.Do()
}

// TestToBringIsToDo checks documents still to bring are marked as to do,
// not ticked off as if the visitor had them already.
func TestToBringIsToDo(t *testing.T) {
	b := newBuilder(t)
	r := &precheck.Result{Decision: precheck.NeedsDocuments, Items: []precheck.Item{
		{Kind: precheck.Bring, Text: i18n.M("precheck.item.passport")},
		{Kind: precheck.Bring, Text: i18n.M("precheck.item.notarized_translation")},
	}}
	tk := &journey.TicketData{Number: "A-042", PeopleAhead: 1, WaitMinutes: 5, Lang: i18n.Russian,
		Bring: []i18n.Message{i18n.M("precheck.item.notarized_translation")}}
	for _, v := range []journey.View{
		{State: journey.Result, Lang: i18n.Russian, Precheck: r},
		{State: journey.Ticket, Lang: i18n.Russian, Ticket: tk},
	} {
		p := b.Page(v, screen.Status{})
		if len(p.Items) == 0 {
			t.Fatalf("%s: no items", p.ID)
		}
		for _, it := range p.Items {
			if it.Tone == ui.Good || it.Mark != "☐" {
				t.Errorf("%s: item %q has tone %v mark %q, want a to-do mark ☐, not a green tick", p.ID, it.Text, it.Tone, it.Mark)
			}
		}
	}
}

// TestPhoneAsTyped checks the phone number is grouped as it is typed and
// its error goes once the visitor edits the number.
func TestPhoneAsTyped(t *testing.T) {
	tests := []struct{ typed, shown string }{
		{"+7701", "+7 701"},
		{"+77011234567", "+7 701 123 45 67"},
		{"87011234", "8 701 123 4"},
		{"7011234567", "701 123 45 67"},
		{"+4930123", "+4930123"},
	}
	for _, tt := range tests {
		b := newBuilder(t)
		v := journey.View{State: journey.Phone, Lang: i18n.Kazakh}
		for _, r := range tt.typed {
			id := "key-" + string(r)
			if r == '+' {
				id = "key-plus"
			}
			press(t, b.Page(v, screen.Status{}), id)
		}
		if got := b.Page(v, screen.Status{}).Field.Value; got != tt.shown {
			t.Errorf("typed %q: field shows %q, want %q", tt.typed, got, tt.shown)
		}
	}

	b := newBuilder(t)
	v := journey.View{State: journey.Phone, Lang: i18n.English}
	for _, id := range []string{"key-plus", "key-7", "key-7"} {
		press(t, b.Page(v, screen.Status{}), id)
	}
	press(t, b.Page(v, screen.Status{}), "submit")
	if in, ok := b.last().(journey.EnterPhone); !ok || in.Text != "+77" {
		t.Fatalf("submit sent %#v, want EnterPhone +77", b.last())
	}
	v.Error = i18n.M("validate.phone.kz_length")
	if p := b.Page(v, screen.Status{}); p.Field.Tone != ui.Bad {
		t.Fatalf("after a refused number the hint is %q (tone %v), want the error", p.Field.Hint, p.Field.Tone)
	}
	press(t, b.Page(v, screen.Status{}), "key-0")
	if p := b.Page(v, screen.Status{}); p.Field.Tone == ui.Bad || p.Field.Hint != b.Cat.Text(i18n.English, "screen.phone.placeholder") {
		t.Errorf("after an edit the hint is %q (tone %v), want the format again", p.Field.Hint, p.Field.Tone)
	}
}

// TestCancelQuestion checks the cancel question covers the page with a
// yes and a no.
func TestCancelQuestion(t *testing.T) {
	b := newBuilder(t)
	for _, l := range i18n.Languages() {
		v := journey.View{State: journey.Confirm, Lang: l, CanBack: true, CanCancel: true, ConfirmCancel: true}
		p := b.Page(v, screen.Status{})
		if p.Overlay == nil || p.Overlay.Title != b.Cat.Text(l, "screen.cancel.question") {
			t.Fatalf("%s: overlay = %+v, want the cancel question", l, p.Overlay)
		}
		press(t, p, "cancel-no")
		if _, ok := b.last().(journey.KeepVisit); !ok {
			t.Errorf("%s: no sent %#v, want KeepVisit", l, b.last())
		}
		press(t, p, "cancel-yes")
		if _, ok := b.last().(journey.Cancel); !ok {
			t.Errorf("%s: yes sent %#v, want Cancel", l, b.last())
		}
		if p := b.Page(journey.View{State: journey.Confirm, Lang: l, CanCancel: true}, screen.Status{}); p.Overlay != nil {
			t.Errorf("%s: overlay without the question: %+v", l, p.Overlay)
		}
	}
}

// TestBookingScreens checks the booked visit's pages: the scan page says
// what it is for before how, a failed look-up offers a walk-in ticket, a
// found booking is confirmed with its time, and the demo shows its codes.
func TestBookingScreens(t *testing.T) {
	b := newBuilder(t)
	for _, l := range i18n.Languages() {
		p := b.Page(journey.View{State: journey.BookingScan, Lang: l, Booking: true}, screen.Status{})
		want := []string{b.Cat.Text(l, "screen.booking_check.scan_why"), b.Cat.Text(l, "screen.scan.hint")}
		if len(p.Lines) < 2 || p.Lines[0].Text != want[0] || p.Lines[1].Text != want[1] {
			t.Errorf("%s: booking scan lines = %+v, want %q first", l, p.Lines, want)
		}
		p = b.Page(journey.View{State: journey.BookingScan, Lang: l, Booking: true, Error: i18n.M("precheck.item.rescan")}, screen.Status{})
		if !hasLine(p, b.Cat.Text(l, "precheck.item.rescan")) {
			t.Errorf("%s: booking scan with a refused scan does not say so: %+v", l, p.Lines)
		}

		p = b.Page(journey.View{State: journey.BookingProblem, Lang: l, Booking: true, CanBack: true, CanCancel: true,
			Problem: i18n.M("screen.booking_check.not_found_passport")}, screen.Status{})
		press(t, p, "walk-in")
		if _, ok := b.last().(journey.WalkIn); !ok {
			t.Errorf("%s: walk-in sent %#v, want WalkIn", l, b.last())
		}

		slot := time.Date(2026, 11, 25, 11, 30, 0, 0, time.FixedZone("+05", 5*3600))
		p = b.Page(journey.View{State: journey.Applicant, Lang: l, Booking: true, Booked: true, BookedSlot: slot}, screen.Status{})
		at := b.Cat.Format(l, i18n.Message{Key: "screen.booking_check.found_at", Args: i18n.Args{
			"Date": config.Day{Year: 2026, Month: 11, Day: 25}, "Time": "11:30"}})
		if !hasLine(p, at) || !strings.Contains(at, "11:30") {
			t.Errorf("%s: found booking page lines = %+v, want %q", l, p.Lines, at)
		}

		p = b.Page(journey.View{State: journey.BookingCode, Lang: l, Booking: true},
			screen.Status{Samples: []screen.Sample{{ID: "latin", Label: "D"}}, BookingCodes: []string{"011261", "011262"}})
		if !strings.Contains(p.Footer+"\n"+strings.Join(lines(p), "\n"), "011261, 011262") {
			t.Errorf("%s: demo booking code page does not show the codes: %q %+v", l, p.Footer, p.Lines)
		}
	}
}

func hasLine(p *ui.Page, text string) bool {
	for _, l := range p.Lines {
		if l.Text == text {
			return true
		}
	}
	return false
}

// TestSampleButtonsFit draws the demo's scan page and checks every sample
// button shows its whole label, in every language, on the smallest
// screen and a large one.
func TestSampleButtonsFit(t *testing.T) {
	samples := []screen.Sample{{ID: "latin", Label: "D"}, {ID: "non-latin", Label: "CHN"},
		{ID: "rus-internal", Label: "RUS PN"}, {ID: "over-65", Label: "GBR 65+"}, {ID: "kaz-citizen", Label: "KAZ"}}
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		for _, l := range i18n.Languages() {
			b := newBuilder(t)
			sim := uitest.NewScreen()
			h := uitest.New(t, sim, ui.New(ui.Options{Screen: sim}), size[0], size[1])
			p := b.Page(journey.View{State: journey.Scan, Lang: l, CanBack: true, CanCancel: true}, screen.Status{Samples: samples})
			h.Do(func() { h.App.Show(p) })
			for _, a := range p.Keypad {
				if !h.Contains(a.Label) {
					t.Errorf("%d×%d %s: sample button %q is not shown whole:\n%s", size[0], size[1], l, a.Label, h.Text())
				}
			}
		}
	}
}
