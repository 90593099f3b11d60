package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
)

// serveBG runs `central serve` on db until the test ends and returns once
// it listens, with a function that stops it and waits.
func serveBG(t *testing.T, db string) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", db, "--kiosks", "1"}, pw, io.Discard)
		pw.Close()
	}()
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "central: listening on ") {
			go io.Copy(io.Discard, pr)
			stopped := false
			stop = func() {
				if !stopped {
					stopped = true
					cancel()
					<-done
				}
			}
			t.Cleanup(stop)
			return stop
		}
	}
	cancel()
	t.Fatalf("central serve did not start (exit %d)", <-done)
	return nil
}

// TestServeOneProcessPerSQLite: a second `central serve` on a SQLite file
// that one serves is refused, naming the file and PostgreSQL; the short
// commands work beside the server; once it stopped, its lock file left
// behind blocks no one.
func TestServeOneProcessPerSQLite(t *testing.T) {
	db := filepath.Join(t.TempDir(), "var", "central.db")
	stop := serveBG(t, db)

	var stderr bytes.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", db, "--kiosks", "1"}, pw, &stderr)
		pw.Close()
	}()
	if sc := bufio.NewScanner(pr); sc.Scan() {
		cancel()
		go io.Copy(io.Discard, pr)
		<-done
		t.Fatalf("a second serve on %s started: %s", filepath.Base(db), sc.Text())
	}
	if code := <-done; code != 1 {
		t.Fatalf("second serve: exit %d, want 1", code)
	}
	if msg := stderr.String(); !strings.Contains(msg, db) || !strings.Contains(msg, "PostgreSQL") {
		t.Errorf("second serve said %q, want the file and PostgreSQL named", msg)
	}

	var out bytes.Buffer
	if code := run(context.Background(), []string{"token", "add", "--db", db, "--role", "clerk", "--branch", "ALA-01", "--name", "desk 2"}, &out, &stderr); code != 0 {
		t.Errorf("token add beside the server: exit %d: %s", code, stderr.String())
	}

	stop()
	serveBG(t, db)
}
