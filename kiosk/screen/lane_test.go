package screen_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/devices/mrz"
	"github.com/hcsc-kz/kiosk/devices/mrz/mrztest"
	"github.com/hcsc-kz/kiosk/devices/printer"
	"github.com/hcsc-kz/kiosk/flows/i18n"
	"github.com/hcsc-kz/kiosk/flows/journey"
	"github.com/hcsc-kz/kiosk/flows/precheck"
	"github.com/hcsc-kz/kiosk/kiosk/screen"
	"github.com/hcsc-kz/kiosk/kiosk/ui"
)

// toTicket walks a visitor born on birth (YYMMDD) through the journey at
// the instant at, in lang, to the ticket page, and returns the page, the
// application submitted and the ticket printed.
func toTicket(t *testing.T, cat *i18n.Catalog, flow config.Flow, lang i18n.Lang, birth string, at time.Time) (*ui.Page, journey.Application, printer.Ticket) {
	t.Helper()
	loc := time.FixedZone("+05", 5*3600)
	chk, err := precheck.ForBranch(flow, "Asia/Almaty")
	if err != nil {
		t.Fatal(err)
	}
	j, err := journey.New(journey.Options{Flow: flow, Languages: i18n.Languages(), KioskID: "K-07", Branch: "ALA-01",
		Checker: chk, Clock: func() time.Time { return at }, Location: loc})
	if err != nil {
		t.Fatal(err)
	}
	text := mrztest.TD3{Code: "P", State: "RUS", Names: "IVANOVA<<ANNA", Number: "X12345678", Nationality: "RUS",
		Birth: birth, Sex: "F", Expiry: "300101"}.String()
	doc, err := mrz.Parse(text, at)
	if err != nil {
		t.Fatal(err)
	}
	var app journey.Application
	var tk printer.Ticket
	for _, in := range []journey.Input{journey.ChooseLanguage{Lang: lang}, journey.ChooseService{}, journey.ChooseApplicant{},
		journey.Scanned{Doc: doc}, journey.ConfirmData{}, journey.Continue{}, journey.SkipPhone{},
		journey.Submitted{Number: "AP007", PeopleAhead: 3, WaitMinutes: 12}} {
		for _, e := range j.Handle(in) {
			switch e := e.(type) {
			case journey.Submit:
				app = e.Application
			case journey.Print:
				tk = e.Ticket.Printable(cat)
			}
		}
	}
	if v := j.View(); v.State != journey.Ticket {
		t.Fatalf("journey in %v, want the ticket page", v.State)
	}
	b := &screen.Builder{Cat: cat, Send: func(journey.Input) {}, Refresh: func() {}}
	return b.Page(j.View(), screen.Status{}), app, tk
}

func lines(p *ui.Page) []string {
	var out []string
	for _, l := range p.Lines {
		out = append(out, l.Text)
	}
	return out
}

func blockFor(tk printer.Ticket, lang i18n.Lang) printer.Block {
	for _, b := range tk.Blocks {
		if b.Lang == string(lang) {
			return b
		}
	}
	return printer.Block{}
}

// TestPriorityLaneSaid: a visitor the branch's policy puts in the priority
// lane (66 with priority_age 65) is told so on the ticket page and on the
// printed ticket, in their language; a visitor of 30 is not, and a branch
// without priority by age tells nobody.
func TestPriorityLaneSaid(t *testing.T) {
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	wed := time.Date(2026, 11, 25, 10, 0, 0, 0, time.FixedZone("+05", 5*3600))
	noAge := config.DefaultFlow()
	noAge.PriorityAge = 0
	tests := []struct {
		name  string
		flow  config.Flow
		lang  i18n.Lang
		birth string
		want  string // the priority line, "" for none
	}{
		{"66, English", config.DefaultFlow(), i18n.English, "600101", "Priority lane (aged 65 and over): you are called sooner"},
		{"66, Russian", config.DefaultFlow(), i18n.Russian, "600101", "Приоритетная очередь (с 65 лет): вас вызовут раньше"},
		{"66, Kazakh", config.DefaultFlow(), i18n.Kazakh, "600101", "Басым кезек (65 жастан бастап): сізді ертерек шақырады"},
		{"65 tomorrow", config.DefaultFlow(), i18n.English, "611126", ""},
		{"30", config.DefaultFlow(), i18n.English, "960101", ""},
		{"66, no priority by age", noAge, i18n.English, "600101", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, app, tk := toTicket(t, cat, tt.flow, tt.lang, tt.birth, wed)
			prio := cat.Format(tt.lang, i18n.Message{Key: "ticket.lane.priority", Args: i18n.Args{"Count": 65}})
			if got := slices.Contains(lines(p), prio); got != (tt.want != "") {
				t.Errorf("ticket page lines = %q, priority line shown %v, want %v", lines(p), got, tt.want != "")
			}
			if tt.want != "" && prio != tt.want {
				t.Errorf("priority text = %q, want %q", prio, tt.want)
			}
			if app.Priority != (tt.want != "") {
				t.Errorf("Application.Priority = %v, want %v: the lane and what the visitor is told must agree", app.Priority, tt.want != "")
			}
			if got := blockFor(tk, tt.lang).Priority; got != tt.want {
				t.Errorf("printed %s block Priority = %q, want %q", tt.lang, got, tt.want)
			}
			if k := blockFor(tk, i18n.Kazakh); tt.want != "" && !strings.Contains(k.Priority, "Басым кезек") {
				t.Errorf("printed Kazakh block Priority = %q, want it said in Kazakh too", k.Priority)
			}
		})
	}
}

// TestOpeningTimeOnTicket: outside opening hours the ticket page and the
// printed ticket say when the centre opens, with the weekday in the
// visitor's language, instead of a wait in minutes.
func TestOpeningTimeOnTicket(t *testing.T) {
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	loc := time.FixedZone("+05", 5*3600)
	duty := config.DefaultFlow()
	duty.Hours = config.DutyHours()
	tests := []struct {
		name string
		flow config.Flow
		at   time.Time
		lang i18n.Lang
		want string // a page line that must be there
		not  string // a text no line may hold
	}{
		{"open: the wait", config.DefaultFlow(), time.Date(2026, 11, 25, 10, 0, 0, 0, loc), i18n.English,
			"3 people ahead of you. Estimated wait: 12 min", "opens"},
		{"Saturday afternoon", duty, time.Date(2026, 11, 28, 14, 0, 0, 0, loc), i18n.English,
			"3 people ahead of you. The centre opens on Monday at 09:00", "Estimated wait"},
		{"Friday night at a duty centre, Russian", duty, time.Date(2026, 11, 27, 21, 0, 0, 0, loc), i18n.Russian,
			"Перед вами 3 человека. Центр откроется в субботу в 09:00", "Ожидание"},
		{"before opening, Kazakh", config.DefaultFlow(), time.Date(2026, 11, 25, 8, 15, 0, 0, loc), i18n.Kazakh,
			"Алдыңызда 3 адам бар. Орталықтың ашылу уақыты: сәрсенбі, сағат 09:00", "Күту"},
		{"holiday", config.DefaultFlow(), time.Date(2026, 12, 16, 11, 0, 0, 0, loc), i18n.English,
			"3 people ahead of you. The centre opens on Thursday at 09:00", "Estimated wait"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, _, tk := toTicket(t, cat, tt.flow, tt.lang, "900101", tt.at)
			ls := lines(p)
			if !slices.Contains(ls, tt.want) {
				t.Errorf("ticket page lines = %q, want %q", ls, tt.want)
			}
			for _, l := range ls {
				if strings.Contains(l, tt.not) {
					t.Errorf("ticket page line %q holds %q", l, tt.not)
				}
			}
			if got := blockFor(tk, tt.lang).Wait; got != tt.want {
				t.Errorf("printed Wait = %q, want %q", got, tt.want)
			}
		})
	}
}
