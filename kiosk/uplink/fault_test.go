package uplink_test

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net"
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
	"github.com/hcsc-kz/kiosk/kiosk/uplink"
)

// The fault tests kill real processes with SIGKILL: the central binary,
// built here, and this test binary run again as a kiosk (TestMain).

const helperEnv = "KIOSK_UPLINK_HELPER"

func TestMain(m *testing.M) {
	switch os.Getenv(helperEnv) {
	case "":
		os.Exit(m.Run())
	case "commit-then-hang":
		os.Exit(helperCommitThenHang())
	case "kiosk":
		os.Exit(helperKiosk())
	default:
		fmt.Fprintln(os.Stderr, "unknown helper")
		os.Exit(2)
	}
}

// helperCommitThenHang commits one application to the outbox, says so, and
// waits to be killed: the moment between the commit and the send.
func helperCommitThenHang() int {
	key, err := uplink.LoadKey(os.Getenv("OUTBOX_KEY"), false)
	if err != nil {
		fmt.Println("error", err)
		return 1
	}
	out, err := uplink.OpenOutbox(context.Background(), os.Getenv("OUTBOX"), key)
	if err != nil {
		fmt.Println("error", err)
		return 1
	}
	a := storetest.Application("K-01", api.LaneOrdinary, time.Now())
	if err := out.Put(context.Background(), a, time.Now()); err != nil {
		fmt.Println("error", err)
		return 1
	}
	fmt.Println("committed", a.ID)
	select {}
}

// helperKiosk runs an Uplink with its sync loop and answers commands on
// stdin: "submit" prints a receipt as JSON, "depth" the outbox depth,
// "lent" how many lent numbers of today are unused.
func helperKiosk() int {
	key, err := uplink.LoadKey(os.Getenv("OUTBOX_KEY"), false)
	if err != nil {
		fmt.Println("error", err)
		return 1
	}
	zone, _ := time.LoadLocation("Asia/Almaty")
	u, err := uplink.Open(context.Background(), uplink.Options{
		Client: uplink.ClientOptions{BaseURL: os.Getenv("CENTRAL"), Token: os.Getenv("TOKEN"),
			Timeout: 300 * time.Millisecond, RetryBase: 10 * time.Millisecond, RetryMax: 50 * time.Millisecond},
		OutboxPath: os.Getenv("OUTBOX"), OutboxKey: key, KioskID: "K-01", BranchID: "ALA-01", Zone: zone,
		SubmitWait: 300 * time.Millisecond, SyncInterval: 50 * time.Millisecond, LendSize: 5,
	})
	if err != nil {
		fmt.Println("error", err)
		return 1
	}
	// A second handle on the same file reads what the sync loop has borrowed,
	// as a technician tool would: the test waits for the numbers, not for
	// the loop to have probably run.
	view, err := uplink.OpenOutbox(context.Background(), os.Getenv("OUTBOX"), key)
	if err != nil {
		fmt.Println("error", err)
		return 1
	}
	go u.Run(context.Background())
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		switch sc.Text() {
		case "submit":
			a := storetest.Application("K-01", api.LaneOrdinary, time.Now())
			r, err := u.Submit(context.Background(), a)
			if err != nil {
				fmt.Println("error", err)
				continue
			}
			b, _ := json.Marshal(r)
			fmt.Println(string(b))
		case "depth":
			n, err := u.Depth(context.Background())
			fmt.Println(n, err)
		case "lent":
			day := time.Now().In(zone).Format(time.DateOnly)
			n, err := view.LentLeft(context.Background(), day, "iin")
			fmt.Println(n, err)
		}
	}
	return 0
}

// proc is a child process with its stdout read line by line.
type proc struct {
	cmd   *exec.Cmd
	in    io.WriteCloser
	lines chan string
}

func startProc(t *testing.T, cmd *exec.Cmd) *proc {
	t.Helper()
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = nil
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, in: in, lines: make(chan string, 64)}
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			p.lines <- sc.Text()
		}
		close(p.lines)
	}()
	t.Cleanup(p.kill)
	return p
}

// line waits for the next line, at most 20 s.
func (p *proc) line(t *testing.T) string {
	t.Helper()
	select {
	case l, ok := <-p.lines:
		if !ok {
			t.Fatalf("%s ended", filepath.Base(p.cmd.Path))
		}
		return l
	case <-time.After(20 * time.Second):
		t.Fatalf("%s said nothing for 20 s", filepath.Base(p.cmd.Path))
	}
	return ""
}

func (p *proc) ask(t *testing.T, cmd string) string {
	t.Helper()
	fmt.Fprintln(p.in, cmd)
	return p.line(t)
}

// kill sends SIGKILL, the kill -9 of the issue, and reaps the process.
func (p *proc) kill() {
	if p.cmd.ProcessState == nil {
		p.cmd.Process.Kill()
		p.cmd.Wait()
	}
}

func buildCentral(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and kills processes; not in -short")
	}
	bin := filepath.Join(t.TempDir(), "central")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/hcsc-kz/kiosk/cmd/central").CombinedOutput()
	if err != nil {
		t.Fatalf("go build cmd/central: %v\n%s", err, out)
	}
	return bin
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// demoToken reads the token the demo backend made for a kiosk, in the
// folder "tokens" beside its database.
func demoToken(t *testing.T, db, kiosk string) string {
	t.Helper()
	tok, err := central.ReadTokenFile(central.DemoTokenFile(filepath.Join(filepath.Dir(db), "tokens"), central.RoleKiosk, kiosk))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func startCentral(t *testing.T, bin, addr, db string, kiosks int) *proc {
	t.Helper()
	p := startProc(t, exec.Command(bin, "serve", "--addr", addr, "--db", db, "--kiosks", fmt.Sprint(kiosks)))
	if l := p.line(t); !strings.Contains(l, "listening on") {
		t.Fatalf("central said %q, want the listening line", l)
	}
	return p
}

// TestKill9ServerMidLoad: kiosks submit while the server is killed and
// restarted; every acknowledged application is there after the restart,
// and after the retries none is missing and none has two tickets.
func TestKill9ServerMidLoad(t *testing.T) {
	bin := buildCentral(t)
	addr, db := freeAddr(t), filepath.Join(t.TempDir(), "central.db")
	srv := startCentral(t, bin, addr, db, 10)
	const kiosks, each = 10, 30
	var mu sync.Mutex
	acked := map[string]string{} // id → number
	killAt := make(chan struct{})
	var once sync.Once
	var wg sync.WaitGroup
	errs := make(chan error, kiosks)
	for k := 1; k <= kiosks; k++ {
		c, err := uplink.NewClient(uplink.ClientOptions{BaseURL: "http://" + addr, Token: demoToken(t, db, fmt.Sprintf("K-%02d", k)),
			Timeout: time.Second, RetryBase: 20 * time.Millisecond, RetryMax: 200 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer c.Close()
			for i := 0; i < each; i++ {
				a := storetest.Application(fmt.Sprintf("K-%02d", k), api.LaneOrdinary, time.Now())
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				tk, err := c.Submit(ctx, a)
				cancel()
				if err != nil {
					errs <- fmt.Errorf("kiosk %d: %w", k, err)
					return
				}
				mu.Lock()
				acked[a.ID] = tk.Number
				if len(acked) == kiosks*each/3 {
					once.Do(func() { close(killAt) })
				}
				mu.Unlock()
			}
		}()
	}
	<-killAt
	srv.kill()
	mu.Lock()
	before := map[string]string{}
	for id, n := range acked {
		before[id] = n
	}
	mu.Unlock()
	srv = startCentral(t, bin, addr, db, 10)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for id, n := range before {
		st, b := storetest.Do(t, http.DefaultClient, "GET", "http://"+addr+"/v1/applications/"+id, nil)
		if st != 200 || storetest.Decode[api.Status](t, b).Ticket.Number != n {
			t.Errorf("acknowledged before the kill: %s %s is %d %s after the restart", api.MaskID(id), n, st, b)
		}
	}
	srv.kill()
	total, distinct := countTickets(t, db)
	if len(acked) != kiosks*each || total != kiosks*each || distinct != total {
		t.Errorf("acknowledged %d, stored %d tickets with %d distinct numbers; want %d of each", len(acked), total, distinct, kiosks*each)
	}
	t.Logf("killed after %d acknowledgements; %d stored in all", len(before), total)
}

func countTickets(t *testing.T, db string) (total, distinct int) {
	t.Helper()
	d, err := sql.Open("sqlite", "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.QueryRow(`SELECT COUNT(*), COUNT(DISTINCT number) FROM tickets`).Scan(&total, &distinct); err != nil {
		t.Fatal(err)
	}
	return total, distinct
}

func helper(t *testing.T, mode string, env ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(append(os.Environ(), helperEnv+"="+mode), env...)
	return cmd
}

// TestKill9KioskBetweenCommitAndSend: the kiosk dies right after the
// outbox commit; after the restart the application is delivered, and the
// clerk sees it was never printed.
func TestKill9KioskBetweenCommitAndSend(t *testing.T) {
	if testing.Short() {
		t.Skip("kills processes; not in -short")
	}
	dir := t.TempDir()
	keyFile, outbox := filepath.Join(dir, "outbox.key"), filepath.Join(dir, "outbox.db")
	if _, err := uplink.LoadKey(keyFile, true); err != nil {
		t.Fatal(err)
	}
	p := startProc(t, helper(t, "commit-then-hang", "OUTBOX="+outbox, "OUTBOX_KEY="+keyFile))
	id, ok := strings.CutPrefix(p.line(t), "committed ")
	if !ok {
		t.Fatalf("helper did not commit")
	}
	p.kill()

	b := newBackend(t)
	b.start()
	o := b.options(t)
	o.OutboxPath, o.OutboxKey = outbox, mustKey(t, keyFile)
	u := open(t, o)
	if n, err := u.Sync(context.Background()); n != 1 || err != nil {
		t.Fatalf("Sync after the restart = %d, %v; want 1 delivered", n, err)
	}
	st, s := b.status(id)
	if st != 200 || s.State != api.StateNotPrinted {
		t.Errorf("server has %d %s, want the application, marked not printed", st, s.State)
	}
	if n := depth(t, u); n != 0 {
		t.Errorf("outbox depth = %d, want 0", n)
	}
}

func mustKey(t *testing.T, path string) []byte {
	k, err := uplink.LoadKey(path, false)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// TestNetworkDown: the server process is killed and stays down while the
// kiosk process keeps printing tickets (lent numbers, then its own range);
// when the server is back every application arrives with its number.
func TestNetworkDown(t *testing.T) {
	bin := buildCentral(t)
	dir := t.TempDir()
	addr, db := freeAddr(t), filepath.Join(dir, "central.db")
	keyFile := filepath.Join(dir, "outbox.key")
	if _, err := uplink.LoadKey(keyFile, true); err != nil {
		t.Fatal(err)
	}
	srv := startCentral(t, bin, addr, db, 2)
	kiosk := startProc(t, helper(t, "kiosk", "OUTBOX="+filepath.Join(dir, "outbox.db"), "OUTBOX_KEY="+keyFile, "CENTRAL=http://"+addr, "TOKEN="+demoToken(t, db, "K-01")))
	var receipts []uplink.Receipt
	submit := func() uplink.Receipt {
		l := kiosk.ask(t, "submit")
		var r uplink.Receipt
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("kiosk said %q", l)
		}
		receipts = append(receipts, r)
		return r
	}
	// The sync loop borrows 5 numbers once it reaches the server; wait for
	// them, which also shows the server answers before the first submit.
	waitFor(t, kiosk, "lent", 5)
	if r := submit(); r.Offline {
		t.Fatalf("first ticket offline with the server up: %+v", r)
	}
	waitDepth(t, kiosk, 0)
	srv.kill()
	var offline []string
	for i := 0; i < 8; i++ {
		r := submit()
		if !r.Offline {
			t.Fatalf("ticket %d online with the server down", i)
		}
		offline = append(offline, r.Ticket.Number)
	}
	// The 5 numbers the sync loop borrowed go first.
	for i, n := range offline {
		if lent := i < 5; lent != strings.HasPrefix(n, "A") || !lent && !strings.HasPrefix(n, "K") {
			t.Errorf("offline numbers = %v, want 5 lent ones (A…), then the kiosk's own (K…)", offline)
			break
		}
	}
	if l := kiosk.ask(t, "depth"); l != "8 <nil>" {
		t.Errorf("depth while down = %q, want 8", l)
	}
	srv = startCentral(t, bin, addr, db, 2)
	waitDepth(t, kiosk, 0)
	for _, r := range receipts {
		st, b := storetest.Do(t, http.DefaultClient, "GET", "http://"+addr+"/v1/applications/"+r.Ticket.ApplicationID, nil)
		if st != 200 || storetest.Decode[api.Status](t, b).Ticket.Number != r.Ticket.Number {
			t.Errorf("ticket %s: server has %d %s", r.Ticket.Number, st, b)
		}
	}
	srv.kill()
	if total, distinct := countTickets(t, db); total != 9 || distinct != 9 {
		t.Errorf("stored %d tickets, %d distinct numbers; want 9", total, distinct)
	}
}

// waitDepth polls the kiosk's outbox depth (the sync loop runs every 50 ms)
// until it is want, for at most 20 s.
func waitDepth(t *testing.T, p *proc, want int) {
	t.Helper()
	waitFor(t, p, "depth", want)
}

// waitFor asks the kiosk process cmd ("depth", "lent") until it answers
// want, for at most 20 s.
func waitFor(t *testing.T, p *proc, cmd string, want int) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		l := p.ask(t, cmd)
		if l == fmt.Sprintf("%d <nil>", want) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("kiosk %s = %q after 20 s, want %d", cmd, l, want)
		}
		time.Sleep(50 * time.Millisecond) // polling a child process: no sync point to be had
	}
}
