package tech_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/kiosk/tech"
)

// The PIN hash goes into technician.pin_hash; the Lock counts wrong PINs
// in its file and locks technician mode after the fifth.
func ExampleLock() {
	dir, err := os.MkdirTemp("", "kiosk-example-")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	// A branch uses tech.DefaultParams(); low costs keep the example fast.
	hash, err := tech.HashPIN([]byte("246813"), tech.Params{Memory: 64, Time: 1, Threads: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	lock, err := tech.NewLock(hash, filepath.Join(dir, tech.LockFileName), func() time.Time { return now })
	if err != nil {
		fmt.Println(err)
		return
	}
	for range tech.MaxTries {
		fmt.Println(lock.Try([]byte("111111")))
	}
	fmt.Println(lock.Try([]byte("246813")))
	now = now.Add(tech.Lockout)
	fmt.Println(lock.Try([]byte("246813")))
	// Output:
	// tech: wrong PIN; 4 tries left
	// tech: wrong PIN; 3 tries left
	// tech: wrong PIN; 2 tries left
	// tech: wrong PIN; 1 try left
	// tech: technician mode locked after too many wrong PINs; try again after 2026-11-25 10:05:00
	// tech: technician mode locked after too many wrong PINs; try again after 2026-11-25 10:05:00
	// <nil>
}

// Checks on a kiosk with no devices configured: the devices are skipped,
// the missing outbox key and backend fail.
func ExampleChecks() {
	dir, err := os.MkdirTemp("", "kiosk-example-")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	cfg := config.Default()
	cfg.Kiosk.StateDir = dir
	cfg.Backend.OutboxKeyFile = filepath.Join(dir, "outbox.key")
	cfg.Printer.Path = "/var/lib/kiosk/tickets"
	checks := tech.Checks(context.Background(), tech.Parts{Config: cfg, ConfigPath: "kiosk.toml"})
	for _, c := range checks {
		if c.Name == "state-dir" || c.Name == "outbox-key" || c.Name == "zone-data" {
			// The reason names the temporary folder; zone-data's value
			// also says whether the image's own zone files are old.
			fmt.Println(c.Name+":", c.State)
			continue
		}
		fmt.Println(c)
	}
	fmt.Println("failed:", tech.AnyFailed(checks))
	// Output:
	// config: loaded (kiosk.toml)
	// technician: skipped (technician.pin_hash is empty: technician mode is off)
	// time-zone: loaded (Asia/Almaty)
	// zone-data: loaded
	// state-dir: loaded
	// outbox-key: failed
	// scanner: skipped (not fitted: [scanner] port is empty)
	// printer: skipped (not fitted: transport "file" writes tickets into /var/lib/kiosk/tickets)
	// backend: failed (no link to the backend)
	// outbox: skipped (no outbox yet: the kiosk has not run here)
	// offline-prefix: skipped (no outbox yet: the kiosk hears its offline prefix from the backend once it runs)
	// failed: true
}
