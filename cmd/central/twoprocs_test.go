package main

import (
	"bufio"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/central/storetest"
	_ "github.com/jackc/pgx/v5/stdlib"
)

// TestTwoProcessesOnePostgres: two `central serve` processes, the real
// binary, on one PostgreSQL database. Kiosks submit to process 1, clerks
// call next on process 2 and on both at once, and each process's display
// stream shows the calls made on the other; no ticket is called twice.
func TestTwoProcessesOnePostgres(t *testing.T) {
	dsn := storetest.PostgresSchema(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dir := t.TempDir()
	bin := filepath.Join(dir, "central")
	if out, err := exec.CommandContext(ctx, goTool(), "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	reg, err := json.Marshal(central.Demo(4))
	if err != nil {
		t.Fatal(err)
	}
	regFile, keyFile := filepath.Join(dir, "registry.json"), filepath.Join(dir, "central.key")
	if err := os.WriteFile(regFile, reg, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, []byte(hex.EncodeToString(storetest.Key())+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	token := func(args ...string) string {
		t.Helper()
		out, err := exec.CommandContext(ctx, bin, append([]string{"token", "add", "--db", dsn}, args...)...).Output()
		if err != nil {
			t.Fatalf("central token add %v: %v", args, err)
		}
		return strings.TrimSpace(string(out))
	}
	var addr [2]string
	for i := range addr {
		addr[i] = startProcess(t, ctx, bin, "serve", "--addr", "127.0.0.1:0", "--db", dsn, "--key-file", keyFile, "--registry", regFile)
	}
	kiosk := storetest.Bearer(&http.Client{}, token("--role", "kiosk", "--branch", "ALA-01", "--kiosk", "K-01"))
	clerk := storetest.Bearer(&http.Client{}, token("--role", "clerk", "--branch", "ALA-01", "--name", "window 1"))
	displayTok := token("--role", "display", "--branch", "ALA-01", "--name", "hall")
	var hall [2]*sse
	for i := range hall {
		hall[i] = openSSE(t, ctx, "http://"+addr[i]+"/v1/display?branch=ALA-01", displayTok)
	}

	submit := func(n int) {
		for range n {
			a := storetest.Application("K-01", api.LaneOrdinary, time.Now())
			if st, b := storetest.Do(t, kiosk, "POST", "http://"+addr[0]+"/v1/applications", a); st != http.StatusCreated {
				t.Fatalf("submit to process 1 = %d %s", st, b)
			}
		}
	}
	call := func(p int, window string) (int, api.Call) {
		st, b := storetest.Do(t, clerk, "POST", "http://"+addr[p]+"/v1/branches/ALA-01/windows/"+window+"/call-next", nil)
		if st != http.StatusOK {
			return st, api.Call{}
		}
		return st, storetest.Decode[api.Call](t, b)
	}
	submit(2)
	for p, window := range []string{"2", "1"} { // process 2 calls first, then process 1
		st, c := call(1-p, window)
		if st != http.StatusOK {
			t.Fatalf("call-next on process %d = %d", 2-p, st)
		}
		for i, h := range hall {
			if got := h.called(t); got.Number != c.Status.Ticket.Number || got.Window != window {
				t.Errorf("display of process %d: called %s to %s, want %s to %s", i+1, got.Number, got.Window, c.Status.Ticket.Number, window)
			}
		}
	}

	// Both processes' clerks at once: never one ticket twice.
	const tickets = 30
	submit(tickets)
	var mu sync.Mutex
	seen := map[string]string{}
	var wg sync.WaitGroup
	for w := 1; w <= 6; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				st, c := call(w%2, fmt.Sprint(w))
				if st != http.StatusOK {
					if st != http.StatusNoContent {
						t.Errorf("call-next = %d", st)
					}
					return
				}
				mu.Lock()
				if prev, dup := seen[c.Status.Ticket.Number]; dup {
					t.Errorf("%s called to window %s and %d", c.Status.Ticket.Number, prev, w)
				}
				seen[c.Status.Ticket.Number] = fmt.Sprint(w)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(seen) != tickets {
		t.Errorf("%d tickets called, want %d", len(seen), tickets)
	}
	// Each display saw every call, whichever process made it.
	for i, h := range hall {
		got := map[string]bool{}
		for range tickets {
			got[h.called(t).Number] = true
		}
		if len(got) != tickets {
			t.Errorf("display of process %d: %d distinct calls, want %d", i+1, len(got), tickets)
		}
	}
}

// startProcess runs the binary until the test ends and returns the
// address it printed it listens on.
func startProcess(t *testing.T, ctx context.Context, bin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = &logWriter{t: t}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		select {
		case <-exited:
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
	})
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if a, ok := strings.CutPrefix(sc.Text(), "central: listening on "); ok {
				lines <- a
			}
		}
		close(lines)
	}()
	select {
	case a, ok := <-lines:
		if !ok {
			t.Fatalf("%s did not start", filepath.Base(bin))
		}
		return a
	case <-ctx.Done():
		t.Fatal("the server did not start in time")
	}
	return ""
}

// logWriter passes a process's log to the test's, for a failure's story.
type logWriter struct {
	mu sync.Mutex
	t  *testing.T
}

func (w *logWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// sse is an open display stream.
type sse struct{ r *bufio.Reader }

func openSSE(t *testing.T, ctx context.Context, u, token string) *sse {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, "GET", u, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("display = %d", resp.StatusCode)
	}
	s := &sse{r: bufio.NewReader(resp.Body)}
	for {
		line, err := s.r.ReadString('\n')
		if err != nil {
			t.Fatalf("display stream ended before it subscribed: %v", err)
		}
		if line == ": subscribed\n" {
			return s
		}
	}
}

// called reads up to the next call the stream shows.
func (s *sse) called(t *testing.T) api.Called {
	t.Helper()
	for {
		line, err := s.r.ReadString('\n')
		if err != nil {
			t.Fatalf("display stream ended: %v", err)
		}
		if data, ok := strings.CutPrefix(line, "data: "); ok {
			var c api.Called
			if err := json.Unmarshal([]byte(data), &c); err != nil {
				t.Fatalf("display data %q: %v", data, err)
			}
			return c
		}
	}
}

func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return filepath.Join(os.Getenv("GOROOT"), "bin", "go")
}
