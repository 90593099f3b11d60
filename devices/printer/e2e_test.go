package printer_test

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/creack/pty"
	"periph.io/x/conn/v3/physic"
	"periph.io/x/conn/v3/uart"

	"github.com/hcsc-kz/kiosk/devices/printer"
	"github.com/hcsc-kz/kiosk/devices/printer/serialconn"
)

// TestSerialEndToEnd prints a ticket through serialconn on a pty whose
// other end plays the printer: it answers the four status requests, reads
// the job up to GS r 1, answers that, and hands the job over.
func TestSerialEndToEnd(t *testing.T) {
	master, slave, err := pty.Open()
	if err != nil {
		t.Skipf("no pty here: %v", err)
	}
	defer master.Close()
	defer slave.Close()
	port, err := serialconn.Open(slave.Name())
	if err != nil {
		t.Fatal(err)
	}
	defer port.Close()
	c, err := port.Connect(115200*physic.Hertz, uart.One, uart.NoParity, uart.NoFlow, 8)
	if err != nil {
		t.Fatal(err)
	}
	jobs := make(chan []byte, 1)
	go func() {
		req := make([]byte, 12) // DLE EOT 1, 2, 3, 4
		if _, err := io.ReadFull(master, req); err != nil {
			return
		}
		master.Write([]byte{0x12, 0x12, 0x12, 0x12})
		var job []byte
		b := make([]byte, 1)
		for !bytes.HasSuffix(job, []byte{0x1D, 'r', 1}) {
			if _, err := master.Read(b); err != nil {
				return
			}
			job = append(job, b[0])
		}
		master.Write([]byte{0x00}) // GS r 1: paper present
		jobs <- job
	}()
	d := newDev(t, c, printer.Opts{})
	tk := sampleTicket("kk", "ru")
	if err := d.PrintTicket(context.Background(), tk); err != nil {
		t.Fatalf("PrintTicket() over a pty error = %v", err)
	}
	job := <-jobs
	want, err := layout(t, "epson-tm-t20iii").Ticket(tk)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(job[:len(job)-3], want) {
		t.Errorf("the printer received %d bytes, want the %d-byte ticket", len(job)-3, len(want))
	}
	if d.State() != printer.Ready {
		t.Errorf("State() = %s, want ready", d.State())
	}
}
