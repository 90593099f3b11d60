package streamconn_test

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/hcsc-kz/kiosk/devices/printer/streamconn"
)

// TestTCP plays a network printer on a loopback listener.
func TestTCP(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	got := make(chan []byte, 1)
	go func() {
		nc, err := ln.Accept()
		if err != nil {
			return
		}
		defer nc.Close()
		req := make([]byte, 3)
		if _, err := io.ReadFull(nc, req); err != nil {
			return
		}
		got <- req
		nc.Write([]byte{0x12})
		io.Copy(io.Discard, nc) // then stay silent until closed
	}()
	c, err := streamconn.Dial(context.Background(), ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	r := make([]byte, 1)
	if err := c.Tx([]byte{0x10, 0x04, 0x04}, r); err != nil {
		t.Fatalf("Tx() error = %v", err)
	}
	if req := <-got; string(req) != "\x10\x04\x04" || r[0] != 0x12 {
		t.Errorf("sent % x, read % x; want 10 04 04, 12", req, r)
	}
	c.SetTimeout(30 * time.Millisecond)
	err = c.Tx([]byte{0x10, 0x04, 0x01}, r)
	var te interface{ Timeout() bool }
	if !errors.As(err, &te) || !te.Timeout() || !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("Tx() to a silent printer = %v, want a timeout", err)
	}
	if !c.CanRead() {
		t.Error("CanRead() = false on a socket")
	}
}

func TestDialDefaultPort(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := streamconn.Dial(ctx, "127.0.0.1")
	if err == nil {
		t.Fatal("Dial with a cancelled context = nil error")
	}
	if want := "127.0.0.1:9100"; !strings.Contains(err.Error(), want) {
		t.Errorf("Dial(127.0.0.1) error = %v, want it to name %s", err, want)
	}
}

func TestFileAndFolder(t *testing.T) {
	dir := t.TempDir()
	f, err := streamconn.Create(filepath.Join(dir, "ticket.bin"))
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"\x1b@", "A-042\n"} {
		if err := f.Tx([]byte(w), nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Tx([]byte{0x10, 0x04, 0x04}, make([]byte, 1)); !errors.Is(err, streamconn.ErrWriteOnly) {
		t.Errorf("Tx() reading a file = %v, want ErrWriteOnly", err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "ticket.bin")); string(got) != "\x1b@A-042\n" { // the refused Tx wrote nothing
		t.Errorf("file holds %q", got)
	}
	if err := f.Tx([]byte("x"), nil); err == nil {
		t.Error("Tx() after Close = nil error")
	}

	jobs := filepath.Join(dir, "jobs")
	fo, err := streamconn.Folder(jobs)
	if err != nil {
		t.Fatal(err)
	}
	fo.Tx([]byte("one"), nil)
	fo.Tx([]byte("two"), nil)
	again, err := streamconn.Folder(jobs) // numbering goes on after a restart
	if err != nil {
		t.Fatal(err)
	}
	again.Tx([]byte("three"), nil)
	for name, want := range map[string]string{"job-0001.bin": "one", "job-0002.bin": "two", "job-0003.bin": "three"} {
		if got, err := os.ReadFile(filepath.Join(jobs, name)); err != nil || string(got) != want {
			t.Errorf("%s = %q, %v; want %q", name, got, err, want)
		}
	}
	if fo.CanRead() {
		t.Error("a folder claims it can be read")
	}
}

// TestDevice opens a pty slave as a raw character device: it takes read
// deadlines, as usblp does.
func TestDevice(t *testing.T) {
	master, slave, err := pty.Open()
	if err != nil {
		t.Skipf("no pty here: %v", err)
	}
	defer master.Close()
	defer slave.Close()
	c, err := streamconn.OpenDevice(slave.Name())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if !c.CanRead() {
		t.Fatal("CanRead() = false on a tty")
	}
	c.SetTimeout(30 * time.Millisecond)
	if err := c.Tx([]byte{0x10, 0x04, 0x04}, make([]byte, 1)); err == nil {
		t.Error("Tx() with no answer = nil error, want a timeout")
	}
	if _, err := streamconn.OpenDevice(filepath.Join(t.TempDir(), "lp9")); err == nil {
		t.Error("OpenDevice(missing) = nil error")
	}
}

func TestNew(t *testing.T) {
	var buf bytesWriter
	c := streamconn.New("buf", &buf)
	if err := c.Tx([]byte("hi"), nil); err != nil || string(buf) != "hi" {
		t.Errorf("Tx() = %v, wrote %q", err, buf)
	}
	if err := c.Tx(nil, make([]byte, 1)); !errors.Is(err, streamconn.ErrWriteOnly) {
		t.Errorf("reading a plain writer = %v, want ErrWriteOnly", err)
	}
	if c.String() != "buf" {
		t.Errorf("String() = %q", c.String())
	}
}

type bytesWriter []byte

func (b *bytesWriter) Write(p []byte) (int, error) { *b = append(*b, p...); return len(p), nil }
