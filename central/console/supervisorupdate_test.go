package console_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
)

// TestSupervisorKioskUpdate: a kiosk whose update did not boot says so in
// its heartbeat, and the supervisor's kiosk row and alert list say so in
// words, in each language; a pending update is shown but is no alert; a
// kiosk with no update state is shown as before.
func TestSupervisorKioskUpdate(t *testing.T) {
	h := startRegistry(t, central.Demo(3))
	h.addRole(t, "sup1", central.RoleSupervisor, "ALA-01")
	devs := []api.Device{{Name: "scanner", State: "loaded"}, {Name: "printer", State: "loaded"}}
	h.heartbeat(t, "K-01", api.Heartbeat{Version: "1.5.0", Devices: devs, Paper: "ok",
		Update: &api.UpdateState{Slot: "a", Version: "2026.12.01-0750", Failed: "2026.12.08-0900"}})
	h.heartbeat(t, "K-02", api.Heartbeat{Version: "1.5.0", Devices: devs, Paper: "ok",
		Update: &api.UpdateState{Slot: "a", Version: "2026.12.01-0750", Pending: "2026.12.08-0900"}})
	h.heartbeat(t, "K-03", api.Heartbeat{Version: "1.5.0", Devices: devs, Paper: "ok"})
	b := h.signedIn(t, "sup1")
	if a := b.get("/console/supervisor?lang=en"); a.status != http.StatusOK {
		t.Fatalf("supervisor page = %d", a.status)
	}
	row := func(id string) string {
		r := b.page[strings.Index(b.page, `id="kiosk-`+id+`"`):]
		return r[:strings.Index(r, "</tr>")]
	}
	wantAll(t, row("K-01"), `<td class="bad">⚠ 1.5.0; update 2026.12.08-0900 did not start; the previous release runs</td>`)
	wantAll(t, b.page, "<li>⚠ K-01: update 2026.12.08-0900 did not start</li>", `class="kiosk alert" id="kiosk-K-01"`)
	if r := row("K-02"); !strings.Contains(r, "<td>1.5.0; update 2026.12.08-0900 waits for a restart</td>") || strings.Contains(r, "⚠") {
		t.Errorf("K-02's row: %s", r)
	}
	if strings.Contains(b.page, "K-02: update") || strings.Contains(row("K-03"), "update") {
		t.Error("a pending update, or no update, is taken for a failed one")
	}
	b.get("/console/supervisor?lang=ru")
	wantAll(t, b.page, "K-01: обновление 2026.12.08-0900 не запустилось", "обновление 2026.12.08-0900 ждёт перезапуска")
	b.get("/console/supervisor?lang=kk")
	wantAll(t, b.page, "K-01: 2026.12.08-0900 жаңартуы іске қосылмады")
}
