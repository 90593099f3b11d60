package console_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/central/storetest"
)

// TestSupervisorParked: a visitor a clerk set aside is counted in the
// queue figures of the service, though no longer waiting, and listed with
// the window, the clerk and the time since parked; called back, the
// visitor leaves both.
func TestSupervisorParked(t *testing.T) {
	h := start(t)
	h.addRole(t, "sup1", central.RoleSupervisor, "ALA-01")
	a := h.submit(t, storetest.Application("K-01", api.LaneOrdinary, h.clock.Now()))
	h.advance(2 * time.Minute)
	h.submit(t, storetest.Application("K-01", api.LaneOrdinary, h.clock.Now()))
	w := h.atWindow(t, "clerk1", 4, "en")
	if ans := w.press("call", "en", nil); ans.status != http.StatusSeeOther {
		t.Fatalf("call = %d", ans.status)
	}
	h.advance(5 * time.Minute)
	if ans := w.press("park", "en", url.Values{"id": {a.ApplicationID}}); ans.status != http.StatusSeeOther {
		t.Fatalf("park = %d:\n%s", ans.status, ans.body)
	}
	h.advance(3 * time.Minute)
	sup := h.signedIn(t, "sup1")
	for _, path := range []string{"/console/supervisor?lang=en", "/console/supervisor/part?lang=en"} {
		if ans := sup.get(path); ans.status != http.StatusOK {
			t.Fatalf("%s = %d", path, ans.status)
		}
		wantAll(t, sup.page,
			`<th>Parked</th>`,
			// One waits (8 minutes), one is parked.
			`<tr><td>iin</td><td>ordinary</td><td class="num">1</td><td class="num">1</td><td class="num">8 min</td></tr>`,
			`<tr><td class="number">`+a.Number+`</td><td class="num">4</td><td>clerk1</td><td>09:07 (3 min)</td></tr>`)
	}
	if ans := w.press("call-back", "en", url.Values{"id": {a.ApplicationID}}); ans.status != http.StatusSeeOther {
		t.Fatalf("call back = %d", ans.status)
	}
	sup.get("/console/supervisor?lang=en")
	wantAll(t, sup.page, `<td class="num">1</td><td class="num">0</td>`, "Nobody is parked.")
	if strings.Contains(sup.page, `<td class="number">`+a.Number+`</td>`) {
		t.Errorf("the ticket called back is still listed as parked")
	}
}
