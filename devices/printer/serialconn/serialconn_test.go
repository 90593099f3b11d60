package serialconn_test

import (
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
	"periph.io/x/conn/v3/physic"
	"periph.io/x/conn/v3/uart"

	"github.com/hcsc-kz/kiosk/devices/printer/serialconn"
)

// openPTY returns a pty pair: the master plays the printer, the port is
// opened on the slave's path.
func openPTY(t *testing.T) (*os.File, *serialconn.Port) {
	t.Helper()
	master, slave, err := pty.Open()
	if err != nil {
		t.Skipf("no pty here: %v", err)
	}
	t.Cleanup(func() { master.Close(); slave.Close() })
	p, err := serialconn.Open(slave.Name())
	if err != nil {
		t.Fatalf("Open(%s) error = %v", slave.Name(), err)
	}
	t.Cleanup(func() { p.Close() })
	return master, p
}

func TestTx(t *testing.T) {
	master, p := openPTY(t)
	if err := p.LimitSpeed(19200 * physic.Hertz); err != nil {
		t.Fatal(err)
	}
	c, err := p.Connect(115200*physic.Hertz, uart.One, uart.NoParity, uart.NoFlow, 8)
	if err != nil {
		t.Fatalf("Connect() error = %v", err)
	}
	// The printer: read DLE EOT 4, answer "paper present".
	got := make(chan []byte, 1)
	go func() {
		req := make([]byte, 3)
		if _, err := io.ReadFull(master, req); err == nil {
			got <- req
			master.Write([]byte{0x12})
		}
	}()
	r := make([]byte, 1)
	if err := c.Tx([]byte{0x10, 0x04, 0x04}, r); err != nil {
		t.Fatalf("Tx() error = %v", err)
	}
	if req := <-got; string(req) != "\x10\x04\x04" || r[0] != 0x12 {
		t.Errorf("Tx sent % x and read % x; want 10 04 04 and 12", req, r)
	}
	if !strings.HasPrefix(c.String(), "serial(/dev/") {
		t.Errorf("String() = %q, want serial(PATH)", c.String())
	}
}

func TestTxTimeout(t *testing.T) {
	_, p := openPTY(t)
	c, err := p.Connect(9600*physic.Hertz, uart.One, uart.Even, uart.NoFlow, 7)
	if err != nil {
		t.Fatal(err)
	}
	p.SetTimeout(30 * time.Millisecond)
	start := time.Now()
	err = c.Tx([]byte{0x10, 0x04, 0x01}, make([]byte, 1))
	var te interface{ Timeout() bool }
	if !errors.Is(err, serialconn.ErrTimeout) || !errors.As(err, &te) || !te.Timeout() {
		t.Errorf("Tx() to a silent peer = %v, want ErrTimeout with Timeout() true", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Tx() took %s for a 30 ms timeout", d)
	}
}

// TestCloseUnblocks closes the port while a Tx waits for an answer.
func TestCloseUnblocks(t *testing.T) {
	master, p := openPTY(t)
	c, err := p.Connect(115200*physic.Hertz, uart.One, uart.NoParity, uart.NoFlow, 8)
	if err != nil {
		t.Fatal(err)
	}
	p.SetTimeout(time.Minute)
	done := make(chan error, 1)
	go func() { done <- c.Tx([]byte{0x10, 0x04, 0x02}, make([]byte, 1)) }()
	if _, err := io.ReadFull(master, make([]byte, 3)); err != nil { // the request is out: Tx now reads
		t.Fatal(err)
	}
	if err := p.Close(); err != nil {
		t.Fatalf("Close() error = %v", err)
	}
	select {
	case err := <-done:
		if err == nil || errors.Is(err, serialconn.ErrTimeout) {
			t.Errorf("Tx() after Close = %v, want a closed-port error", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Tx still blocked 10 s after Close")
	}
	if err := c.Tx([]byte{1}, nil); err == nil {
		t.Error("Tx() on a closed port = nil error")
	}
}

func TestConnectErrors(t *testing.T) {
	_, p := openPTY(t)
	tests := map[string]func() error{
		"RTS/CTS": func() error {
			_, err := p.Connect(115200*physic.Hertz, uart.One, uart.NoParity, uart.RTSCTS, 8)
			return err
		},
		"speed forgot Hertz": func() error {
			_, err := p.Connect(0, uart.One, uart.NoParity, uart.NoFlow, 8)
			return err
		},
		"stop bits": func() error {
			_, err := p.Connect(9600*physic.Hertz, 3, uart.NoParity, uart.NoFlow, 8)
			return err
		},
		"parity": func() error {
			_, err := p.Connect(9600*physic.Hertz, uart.One, 'X', uart.NoFlow, 8)
			return err
		},
		"limit 0": func() error { return p.LimitSpeed(0) },
	}
	for name, f := range tests {
		if err := f(); err == nil {
			t.Errorf("%s: error = nil, want one", name)
		}
	}
}

func TestOpenMissing(t *testing.T) {
	_, err := serialconn.Open("/dev/ttyUSB-kiosk-missing")
	if err == nil || !strings.Contains(err.Error(), "/dev/ttyUSB-kiosk-missing") {
		t.Errorf("Open(missing) error = %v, want one naming the path", err)
	}
}
