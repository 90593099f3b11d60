package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestServeDisplay: the demo prints the hall display's address, token
// included, and it opens the display; without the token it is refused.
func TestServeDisplay(t *testing.T) {
	db := filepath.Join(t.TempDir(), "var", "central.db")
	// The deadline only ends a server that never prints the line.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", db, "--kiosks", "1"}, pw, io.Discard)
		pw.Close()
	}()
	line := regexp.MustCompile(`^central: the hall display: (http://[^ ]+/display/ALA-01)\?token=(hcsc_[A-Za-z0-9_-]+)$`)
	sc := bufio.NewScanner(pr)
	var m []string
	for sc.Scan() {
		if m = line.FindStringSubmatch(sc.Text()); m != nil {
			break
		}
	}
	if m == nil {
		t.Fatalf("central serve printed no display line (exit %d)", <-done)
	}
	go io.Copy(io.Discard, pr)
	c := &http.Client{Timeout: 10 * time.Second}
	for _, tc := range []struct {
		url  string
		want int
	}{{m[1] + "?token=" + m[2], http.StatusOK}, {m[1], http.StatusUnauthorized}} {
		resp, err := c.Get(tc.url)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.want || (tc.want == http.StatusOK && !strings.Contains(string(body), "Вызывается")) {
			t.Errorf("GET the display (token %v) = %d, want %d:\n%s", strings.Contains(tc.url, "token"), resp.StatusCode, tc.want, body)
		}
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("central serve exited %d, want 0", code)
	}
}
