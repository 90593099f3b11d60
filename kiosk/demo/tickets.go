package demo

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/hcsc-kz/kiosk/devices/printer/preview"
	"periph.io/x/conn/v3"
)

// ticketFolder is the demo's printer: a conn.Conn that keeps each job as
// ticket-NNNN.bin, the exact bytes a printer would get, and ticket-NNNN.png,
// the paper as the printer would draw it. It answers no status request,
// so the driver runs it with no status dialect.
type ticketFolder struct {
	dir  string
	opts preview.Options
	mu   sync.Mutex
	n    int
}

var _ conn.Conn = (*ticketFolder)(nil)

func (t *ticketFolder) String() string { return "tickets(" + t.dir + ")" }

func (t *ticketFolder) Duplex() conn.Duplex { return conn.Half }

func (t *ticketFolder) Tx(w, r []byte) error {
	if len(r) > 0 {
		return fmt.Errorf("demo printer: a folder answers no status request")
	}
	if len(w) == 0 {
		return nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.n == 0 {
		matches, _ := filepath.Glob(filepath.Join(t.dir, "ticket-*.bin"))
		t.n = len(matches)
	}
	t.n++
	base := filepath.Join(t.dir, fmt.Sprintf("ticket-%04d", t.n))
	if err := os.WriteFile(base+".bin", w, 0o644); err != nil {
		return fmt.Errorf("demo printer: %w", err)
	}
	res, err := preview.Decode(w, t.opts)
	if err != nil {
		return fmt.Errorf("demo printer: decoding the job for its picture: %w", err)
	}
	var png bytes.Buffer
	if err := res.WritePNG(&png); err != nil {
		return err
	}
	return os.WriteFile(base+".png", png.Bytes(), 0o644)
}
