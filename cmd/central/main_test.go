package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/central/storetest"
)

// TestServePrivateFiles: `central serve` runs with umask 077, and the
// database, its -wal and -shm files and the key are the owner's alone after
// writes.
func TestServePrivateFiles(t *testing.T) {
	old := syscall.Umask(0o022) // a usual login umask
	t.Cleanup(func() { syscall.Umask(old) })
	dir := t.TempDir()
	db := filepath.Join(dir, "var", "central.db")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", db, "--kiosks", "1"}, pw, io.Discard)
		pw.Close()
	}()
	sc := bufio.NewScanner(pr)
	var addr string
	for sc.Scan() {
		if a, ok := strings.CutPrefix(sc.Text(), "central: listening on "); ok {
			addr = a
			break
		}
	}
	if addr == "" {
		t.Fatalf("central serve did not start (exit %d)", <-done)
	}
	go io.Copy(io.Discard, pr)

	if m := syscall.Umask(0o022); m != 0o077 {
		t.Errorf("umask while serving = %#o, want 077", m)
	}
	syscall.Umask(0o077)

	// Writes, so that the write-ahead log and its index exist.
	// As the demo's kiosk and booking feed, with the tokens it made.
	as := func(role central.Role, id string) *http.Client {
		tok, err := central.ReadTokenFile(central.DemoTokenFile(filepath.Join(filepath.Dir(db), "tokens"), role, id))
		if err != nil {
			t.Fatal(err)
		}
		return storetest.Bearer(&http.Client{Timeout: 10 * time.Second}, tok)
	}
	a := storetest.Application("K-01", api.LaneOrdinary, time.Now())
	if st, b := storetest.Do(t, as(central.RoleKiosk, "K-01"), "POST", "http://"+addr+"/v1/applications", a); st != http.StatusCreated {
		t.Fatalf("submit = %d %s", st, b)
	}
	bk := api.Booking{Code: "B7K2Q9", BranchID: "ALA-01", Service: "iin", SlotAt: time.Now().Add(time.Hour)}
	if st, b := storetest.Do(t, as(central.RoleBooking, "ALA-01"), "POST", "http://"+addr+"/v1/bookings", bk); st != http.StatusNoContent {
		t.Fatalf("book = %d %s", st, b)
	}
	for _, f := range []string{db, db + "-wal", db + "-shm", db + ".key"} {
		st, err := os.Stat(f)
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(f), err)
			continue
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s mode = %v, want -rw-------", filepath.Base(f), st.Mode().Perm())
		}
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("central serve exited %d after the signal, want 0", code)
	}
}
