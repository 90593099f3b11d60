package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/kiosk/enrol"
)

// TestRunEnrolsFirst runs "kiosk run" with backend.enrol and no identity
// in a real terminal: the Kazakh enrolment page with this machine's
// hardware id comes first; the code typed and sent, it shows the kiosk id
// and branch, and "start" leads to the visitor's welcome in the same
// process, which then knows itself by the enrolment.
func TestRunEnrolsFirst(t *testing.T) {
	hwid, err := enrol.HardwareID("/")
	if err != nil {
		t.Skipf("this machine has no hardware id for the enrolment page (%v)", err)
	}
	tmux, bin := buildKiosk(t, t.TempDir())
	srv := signer(t, "123456789012", "K-07", "ALA-01")
	dir := t.TempDir()
	c := config.Default()
	c.Kiosk.StateDir = dir
	c.Kiosk.ID, c.Kiosk.Branch = "", ""
	c.Backend.URL, c.Backend.Enrol = srv.URL, true
	path := writeConfig(t, c)

	line := fmt.Sprintf("exec env TERM=xterm-256color LANG=C.UTF-8 %s --config %s run 2>%s",
		strconv.Quote(bin), strconv.Quote(path), strconv.Quote(filepath.Join(dir, "stderr")))
	p := newPane(t, tmux, dir, 120, 40, line)
	pid := p.pid()
	t.Cleanup(func() { stopProcess(t, pid) })

	rows := p.waitFor("Терминалды тіркеу")
	if screen := strings.Join(rows, "\n"); !strings.Contains(screen, "Жетекші бетіндегі 12 цифрлы") || len(hwid) > 14 && !strings.Contains(screen, hwid) {
		t.Errorf("the enrolment page lacks its prompt or the hardware id %s:\n%s", hwid, screen)
	}
	p.keys("1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "1", "2")
	p.waitFor("1234 5678 9012")
	p.keys("Enter")
	p.waitFor("Бөлімше: ALA-01")
	p.keys("Enter")
	p.waitFor("Тілді таңдаңыз")
	if got := p.pid(); got != pid {
		t.Errorf("the kiosk restarted (pid %d, then %d), want one process", pid, got)
	}
	log, _ := os.ReadFile(filepath.Join(dir, "kiosk.log"))
	if !strings.Contains(string(log), `"msg":"identity","kiosk":"K-07","branch":"ALA-01"`) {
		t.Errorf("the log does not say the kiosk runs as K-07 of ALA-01:\n%s", log)
	}
	if strings.Contains(string(log), "PRIVATE KEY") {
		t.Errorf("the log holds a private key")
	}
	if _, err := enrol.Load(enrol.Dir(c.Kiosk)); err != nil {
		t.Errorf("identity after the page: %v", err)
	}
}
