package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strings"

	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/kiosk/slots"
)

// cmdUpdate installs an update bundle into the slot that is not running
// and reboots into it; the boot counter brings the old slot back if the
// new one does not reach a ready kiosk. It runs as root on the image.
func cmdUpdate(ctx context.Context, e *env, args []string) int {
	return update(ctx, e, args, slots.DefaultLayout(), func(ctx context.Context) error {
		return exec.CommandContext(ctx, "systemctl", "reboot").Run()
	})
}

// update is cmdUpdate with the layout and the reboot given, for tests.
// Exit status: 0 installed (and rebooting), 2 refused with nothing
// written (or a usage error), 1 failed while writing (the old slot still
// boots) or the reboot failed.
func update(ctx context.Context, e *env, args []string, l slots.Layout, reboot func(context.Context) error) int {
	fset := flag.NewFlagSet("kiosk update", flag.ContinueOnError)
	fset.SetOutput(e.stderr)
	noReboot := fset.Bool("no-reboot", false, "install only; the new release boots at the next reboot")
	status := fset.Bool("status", false, "print the update state the heartbeat reports (JSON) and install nothing")
	fset.Usage = func() {
		fmt.Fprintln(e.stderr, "usage: kiosk update [--no-reboot] BUNDLE | kiosk update --status")
		fset.PrintDefaults()
	}
	if err := fset.Parse(args); err != nil {
		return 2
	}
	if *status {
		// The technician's (and the image smoke's) view of what the next
		// heartbeat says: running slot and release, a failed or pending one.
		b, _ := json.Marshal(slots.Status(l))
		fmt.Fprintf(e.stdout, "%s\n", b)
		return 0
	}
	if fset.NArg() != 1 {
		fset.Usage()
		return 2
	}
	res, err := slots.Install(ctx, fset.Arg(0), l)
	switch {
	case errors.Is(err, slots.ErrRefused):
		fmt.Fprintf(e.stderr, "kiosk update: %s\n", oneLine(err))
		return 2
	case err != nil:
		fmt.Fprintf(e.stderr, "kiosk update: failed, slot %s still boots: %s\n", slots.Other(res.Slot), oneLine(err))
		return 1
	}
	readBack := "read back with O_DIRECT"
	if !res.Direct {
		readBack = "read back (the page cache may have answered)"
	}
	fmt.Fprintf(e.stdout, "kiosk update: release %s written to slot %s (%s, %d bytes, %s), kernel and initrd in slot-%s/, boot entry %s (%d tries)\n",
		res.Release.Version, res.Slot, res.Partition, res.RootBytes, readBack, res.Slot, res.Entry, slots.Tries)
	if *noReboot {
		fmt.Fprintln(e.stdout, "kiosk update: the next reboot tries it; not rebooting (--no-reboot)")
		return 0
	}
	fmt.Fprintln(e.stdout, "kiosk update: rebooting")
	if err := reboot(ctx); err != nil {
		fmt.Fprintf(e.stderr, "kiosk update: reboot: %s (the update boots at the next reboot)\n", oneLine(err))
		return 1
	}
	return 0
}

func oneLine(err error) string { return strings.Join(strings.Fields(err.Error()), " ") }

// imageUpdateState gives the heartbeat's update state when the kiosk runs
// from the image (its root has /etc/kiosk-release), nil elsewhere (the
// demo, a bench machine).
func imageUpdateState(l slots.Layout) func() *api.UpdateState {
	if _, err := os.Stat(l.Release); err != nil {
		return nil
	}
	return func() *api.UpdateState {
		st := slots.Status(l)
		return &st
	}
}
