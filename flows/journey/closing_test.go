package journey_test

import (
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/flows/i18n"
	"github.com/hcsc-kz/kiosk/flows/journey"
)

// TestReadyDateAcrossClosing checks the ready date is the one of the
// application as submitted: a passport scanned on Wednesday at 17:58 and
// a ticket at 18:01 count for Thursday, so the IIN is ready on Friday on
// the ticket, the screen and the application alike, beside "opens
// Thursday 09:00".
func TestReadyDateAcrossClosing(t *testing.T) {
	rus := passport("RUS", "IVANOVA<<ANNA", "900215", "300101")
	const friday = "2026-11-27"
	for _, tt := range []struct {
		name      string
		beforeApp time.Duration // from the scan at 17:58 to the submission
		want      string
	}{
		{name: "submitted before closing", beforeApp: time.Minute, want: "2026-11-26"},
		{name: "submitted after closing", beforeApp: 3 * time.Minute, want: friday},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var app journey.Application
			run(t, i18n.Russian, []step{
				{wait: 7*time.Hour + 58*time.Minute, in: journey.ChooseService{}, want: journey.Applicant},
				{in: journey.ChooseApplicant{}, want: journey.Scan},
				{in: journey.Scanned{Doc: doc(t, rus)}, want: journey.Confirm},
				{in: journey.ConfirmData{}, want: journey.Result, check: func(t *testing.T, v journey.View, _ []journey.Effect) {
					if got := v.Precheck.ReadyDate.String(); got != "2026-11-26" {
						t.Errorf("ready date at 17:58 = %s, want 2026-11-26", got)
					}
				}},
				{in: journey.Continue{}, want: journey.Phone},
				{wait: tt.beforeApp, in: journey.SkipPhone{}, want: journey.Submitting, effects: []string{"Submit"},
					check: func(t *testing.T, v journey.View, eff []journey.Effect) {
						app = eff[0].(journey.Submit).Application
						if got := app.Precheck.ReadyDate.String(); got != tt.want {
							t.Errorf("application's ready date = %s, want %s", got, tt.want)
						}
						if got := v.Precheck.ReadyDate.String(); got != tt.want {
							t.Errorf("screen's ready date = %s, want %s", got, tt.want)
						}
						for _, n := range app.Precheck.Notices {
							if n.Key == "notice.ready" && n.Args["Date"].(interface{ String() string }).String() != tt.want {
								t.Errorf("notice.ready = %v, want %s", n.Args["Date"], tt.want)
							}
						}
					}},
				{in: journey.Submitted{Number: "A-042", PeopleAhead: 0}, want: journey.Ticket, effects: []string{"Print"},
					check: func(t *testing.T, v journey.View, eff []journey.Effect) {
						tk := eff[0].(journey.Print).Ticket
						if got := tk.ReadyDate.String(); got != tt.want {
							t.Errorf("ticket's ready date = %s, want %s", got, tt.want)
						}
						if tt.want == friday && (tk.Opens.IsZero() || tk.Opens.Day() != 26 || tk.Opens.Hour() != 9) {
							t.Errorf("ticket opens = %v, want Thursday 09:00", tk.Opens)
						}
					}},
			})
		})
	}
}
