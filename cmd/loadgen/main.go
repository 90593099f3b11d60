package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/loadgen"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	base := fs.String("url", "http://127.0.0.1:8080", "backend URL (loopback only)")
	kiosks := fs.Int("kiosks", 200, "kiosks submitting at once (the server needs as many: central serve --kiosks N)")
	total := fs.Int("total", 13000, "submissions in all")
	rate := fs.Float64("rate", 0, "submissions per second in all; 0 submits as fast as the server answers")
	dur := fs.Duration("duration", time.Minute, "stop after this long")
	tokens := fs.String("tokens", "./var/tokens", "folder of the kiosks' tokens, as central serve makes them for the demo (kiosk-K-01, …)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	u, err := url.Parse(*base)
	if err != nil {
		fmt.Fprintf(stderr, "loadgen: --url: %v\n", err)
		return 2
	}
	ip := net.ParseIP(u.Hostname())
	if u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
		fmt.Fprintf(stderr, "loadgen: --url %s is not a loopback address; load runs stay on this machine\n", *base)
		return 2
	}
	if *total <= 0 || *dur <= 0 || *kiosks <= 0 {
		fmt.Fprintln(stderr, "loadgen: --kiosks, --total and --duration must be positive")
		return 2
	}
	toks := make(map[string]string, *kiosks)
	for i := range *kiosks {
		id := loadgen.KioskID(i)
		tok, err := central.ReadTokenFile(central.DemoTokenFile(*tokens, central.RoleKiosk, id))
		if err != nil {
			fmt.Fprintf(stderr, "loadgen: kiosk %s has no token: %v\n(central serve --kiosks %d makes one per kiosk in the folder tokens beside its database; give it with --tokens)\n", id, err, *kiosks)
			return 2
		}
		toks[id] = tok
	}
	res, err := loadgen.Run(ctx, loadgen.Options{URL: *base, Kiosks: *kiosks, Total: *total, Duration: *dur, Rate: *rate, Tokens: toks})
	if err != nil {
		fmt.Fprintf(stderr, "loadgen: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "%d kiosks: %s\n", *kiosks, res)
	if res.FirstErr != nil {
		fmt.Fprintf(stdout, "first failure: %v\n", res.FirstErr)
		return 1
	}
	return 0
}
