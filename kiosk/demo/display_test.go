package demo_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/kiosk/demo"
)

// TestDemoDisplay: the demo's backend serves the hall display at the
// address the demo gives, its display token in it.
func TestDemoDisplay(t *testing.T) {
	d, err := demo.Start(context.Background(), t.TempDir(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	u := d.DisplayURL()
	if !strings.HasPrefix(u, d.BackendURL+"/display/"+d.Config.Kiosk.Branch+"?token=hcsc_") {
		t.Fatalf("DisplayURL = %q", u)
	}
	c := &http.Client{Timeout: 10 * time.Second}
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "Шақырылады") {
		t.Errorf("GET the display = %d:\n%s", resp.StatusCode, body)
	}
}
