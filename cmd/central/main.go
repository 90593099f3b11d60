package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/store/postgres"
	"github.com/hcsc-kz/kiosk/central/store/sqlite"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "token" {
		return cmdToken(ctx, args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "user" {
		return cmdUser(ctx, args[1:], os.Stdin, stdout, stderr)
	}
	if len(args) > 0 && args[0] == "kiosk" {
		return cmdKiosk(ctx, args[1:], stdout, stderr)
	}
	if len(args) == 0 || args[0] != "serve" {
		fmt.Fprintln(stderr, "usage: central serve [--addr 127.0.0.1:8080] [--db ./var/central.db | postgres://…] [--registry FILE | --kiosks N]")
		fmt.Fprintln(stderr, tokenUsage)
		fmt.Fprintln(stderr, userUsage)
		fmt.Fprintln(stderr, kioskUsage)
		return 2
	}
	fs := flag.NewFlagSet("central serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "listen address")
	db := fs.String("db", "./var/central.db", "SQLite file, or a postgres:// URL")
	regFile := fs.String("registry", "", "JSON registry of branches, kiosks and services (default: the demo branch)")
	kiosks := fs.Int("kiosks", 8, "kiosks K-01… in the demo branch, when no --registry")
	keyFile := fs.String("key-file", "", "32-byte key sealing applications at rest (default: DB file + .key, made when missing)")
	tlsCert := fs.String("tls-cert", "", "server certificate (PEM)")
	tlsKey := fs.String("tls-key", "", "server private key (PEM)")
	clientCA := fs.String("client-ca", "", "CA that signs kiosk client certificates (PEM): a kiosk may authenticate with one")
	kioskCA := fs.String("kiosk-ca", "", "folder of the kiosk CA (central kiosk ca init): kiosks enrol with one-time codes and it signs their certificates")
	demoTokens := fs.String("demo-tokens", "", "folder for the demo's tokens, without --registry (default: tokens beside the SQLite file)")
	verbose := fs.Bool("v", false, "log every request")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	if err := serve(ctx, log, stdout, config{
		addr: *addr, db: *db, regFile: *regFile, kiosks: *kiosks, keyFile: *keyFile,
		tlsCert: *tlsCert, tlsKey: *tlsKey, clientCA: *clientCA, kioskCA: *kioskCA, demoTokens: *demoTokens,
	}); err != nil {
		log.Error("central stopped", "err", err)
		return 1
	}
	return 0
}

type config struct {
	addr, db, regFile         string
	kiosks                    int
	keyFile                   string
	tlsCert, tlsKey, clientCA string
	kioskCA                   string // the kiosk CA's folder
	demoTokens                string
}

func serve(ctx context.Context, log *slog.Logger, stdout io.Writer, c config) error {
	private()
	reg := central.Demo(c.kiosks)
	if c.regFile != "" {
		f, err := os.Open(c.regFile)
		if err != nil {
			return err
		}
		reg, err = central.LoadRegistry(f)
		f.Close()
		if err != nil {
			return err
		}
	}
	pg := isPostgres(c.db)
	if c.keyFile == "" {
		if pg {
			return errors.New("central: --key-file is required with PostgreSQL; every server of the region needs the same key")
		}
		c.keyFile = c.db + ".key"
	}
	key, err := central.LoadKey(c.keyFile, !pg)
	if err != nil {
		return err
	}
	var store central.Store
	if pg {
		store, err = postgres.Open(ctx, c.db, log)
	} else {
		release, lerr := sqlite.LockServe(c.db)
		if lerr != nil {
			return lerr
		}
		defer release()
		store, err = sqlite.Open(ctx, c.db, log)
	}
	if err != nil {
		return err
	}
	defer store.Close()
	kca, err := loadKioskCA(c)
	if err != nil {
		return err
	}
	srv, err := central.NewServer(central.Options{Store: store, Registry: reg, Key: key, Logger: log, KioskCA: kca})
	if err != nil {
		return err
	}
	if err := mountConsole(srv, store, reg, log); err != nil {
		return err
	}
	tlsConf, err := tlsConfig(c)
	if err != nil {
		return err
	}
	trustKioskCA(tlsConf, kca)
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return err
	}
	if tlsConf == nil && !loopback(ln.Addr()) {
		ln.Close()
		return fmt.Errorf("central: plain HTTP only on a loopback address; give --tls-cert and --tls-key to listen on %s", c.addr)
	}
	var demo []string
	if c.regFile == "" {
		if demo, err = ensureDemoTokens(ctx, log, store, reg, c); err != nil {
			ln.Close()
			return err
		}
		clerk, err := ensureDemoClerk(ctx, store, reg, c, map[bool]string{true: "https", false: "http"}[tlsConf != nil]+"://"+ln.Addr().String())
		if err != nil {
			ln.Close()
			return err
		}
		demo = append(demo, clerk...)
	}
	hs := central.NewHTTPServer(srv, central.HTTPOptions{TLSConfig: tlsConf, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)})
	errc := make(chan error, 1)
	go func() {
		if tlsConf != nil {
			errc <- hs.ServeTLS(ln, "", "")
		} else {
			errc <- hs.Serve(ln)
		}
	}()
	// The line tests and scripts wait for: the address actually bound.
	fmt.Fprintf(stdout, "central: listening on %s\n", ln.Addr())
	for _, l := range demo {
		fmt.Fprintln(stdout, l)
	}
	log.Info("serving", "addr", ln.Addr().String(), "store", map[bool]string{true: "postgres", false: "sqlite"}[pg], "tls", tlsConf != nil)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	srv.Close()
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return hs.Shutdown(sctx)
}

func loopback(a net.Addr) bool {
	ta, ok := a.(*net.TCPAddr)
	return ok && ta.IP.IsLoopback()
}

func tlsConfig(c config) (*tls.Config, error) {
	if c.tlsCert == "" && c.tlsKey == "" {
		if c.clientCA != "" {
			return nil, errors.New("central: --client-ca needs --tls-cert and --tls-key")
		}
		return nil, nil
	}
	cert, err := tls.LoadX509KeyPair(c.tlsCert, c.tlsKey)
	if err != nil {
		return nil, fmt.Errorf("central: TLS key pair: %w", err)
	}
	conf := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	if c.clientCA != "" {
		pem, err := os.ReadFile(c.clientCA)
		if err != nil {
			return nil, fmt.Errorf("central: client CA: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("central: client CA %s holds no PEM certificate", c.clientCA)
		}
		// A certificate, when shown, must verify, and then names a kiosk;
		// clerks, displays and the booking feed come with tokens, and a
		// visitor's phone reads its ticket's status without either.
		conf.ClientCAs, conf.ClientAuth = pool, tls.VerifyClientCertIfGiven
	}
	return conf, nil
}

// ensureDemoTokens gives the demo branch's kiosks, clerk, supervisor,
// display and booking feed their tokens in the demo's token folder, and
// returns the lines that say where they are, with the clerk's token.
func ensureDemoTokens(ctx context.Context, log *slog.Logger, store central.Store, reg central.Registry, c config) ([]string, error) {
	dir := c.demoTokens
	if dir == "" {
		if isPostgres(c.db) {
			log.Info("no demo tokens on PostgreSQL without --demo-tokens; make them with central token add")
			return nil, nil
		}
		dir = filepath.Join(filepath.Dir(c.db), "tokens")
	}
	toks, err := central.EnsureDemoTokens(ctx, store, reg, dir, time.Now())
	if err != nil {
		return nil, err
	}
	lines := []string{fmt.Sprintf("central: demo tokens in %s (kiosk-K-01 is kiosk K-01's, clerk-%s the clerk's, …)", dir, reg.Branches[0].ID)}
	for _, b := range reg.Branches {
		lines = append(lines, fmt.Sprintf("central: the clerk of %s: Authorization: Bearer %s", b.ID, toks[central.Principal{Role: central.RoleClerk, Branch: b.ID}]))
	}
	return lines, nil
}
