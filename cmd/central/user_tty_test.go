package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"
)

// TestUserAddTerminal: at a terminal the password is asked twice and never
// echoed.
func TestUserAddTerminal(t *testing.T) {
	master, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	defer master.Close()
	defer tty.Close()
	db := filepath.Join(t.TempDir(), "central.db")
	pr, pw := io.Pipe()
	var out bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- cmdUser(context.Background(), []string{"add", "--db", db, "--role", "clerk", "--branch", "ALA-01", "clerk1"}, tty, &out, pw)
		pw.Close()
	}()
	echoed := make(chan string, 1)
	go func() {
		b, _ := io.ReadAll(master) // ends when the terminal closes
		echoed <- string(b)
	}()
	// The prompts, read as they come, so that a missing one fails the
	// test instead of hanging it.
	prompts := make(chan byte, 256)
	go func() {
		r := bufio.NewReader(pr)
		for {
			c, err := r.ReadByte()
			if err != nil {
				close(prompts)
				return
			}
			prompts <- c
		}
	}()
	const secret = "a secret nobody sees"
	for _, prompt := range []string{"Password (at least 10 characters): ", "The same password again: "} {
		if err := expect(prompts, prompt); err != nil {
			t.Fatal(err)
		}
		waitNoEcho(t, tty)
		if _, err := master.Write([]byte(secret + "\n")); err != nil {
			t.Fatal(err)
		}
	}
	if code := <-done; code != 0 || !strings.Contains(out.String(), "clerk1 added") {
		t.Fatalf("user add at a terminal = %d %q", code, out.String())
	}
	tty.Close()
	master.Close()
	if e := <-echoed; strings.Contains(e, "secret") {
		t.Errorf("the terminal echoed the password: %q", e)
	}
}

// expect reads the prompts until it has read s.
func expect(prompts <-chan byte, s string) error {
	var got []byte
	timeout := time.After(10 * time.Second)
	for !bytes.HasSuffix(got, []byte(s)) {
		select {
		case c, ok := <-prompts:
			if !ok {
				return fmt.Errorf("no prompt %q; the command said %q", s, got)
			}
			got = append(got, c)
		case <-timeout:
			return fmt.Errorf("no prompt %q after 10 s; the command said %q", s, got)
		}
	}
	return nil
}

// waitNoEcho waits until the terminal's echo is off: what is typed before
// would be echoed by the line discipline whatever the program does.
func waitNoEcho(t *testing.T, tty *os.File) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		tio, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
		if err != nil {
			t.Fatal(err)
		}
		if tio.Lflag&unix.ECHO == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the terminal's echo stayed on")
		}
		runtime.Gosched()
	}
}
