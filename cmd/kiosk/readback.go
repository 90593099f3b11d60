package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/hcsc-kz/kiosk/kiosk/bmap"
)

// cmdReadBack reads a flashed device back against the image's bmap:
// bmaptool copy checks the image as it reads it but never reads the device
// back, so a medium that loses writes would pass it.
func cmdReadBack(ctx context.Context, e *env, args []string) int {
	fset := flag.NewFlagSet("kiosk read-back", flag.ContinueOnError)
	fset.SetOutput(e.stderr)
	bmapPath := fset.String("bmap", "", "the image's bmap `file`")
	quiet := fset.Bool("quiet", false, "no progress lines")
	fset.Usage = func() { readBackUsage(e.stderr) }
	if err := fset.Parse(args); err != nil {
		return 2
	}
	if fset.NArg() != 1 || *bmapPath == "" {
		readBackUsage(e.stderr)
		return 2
	}
	dev := fset.Arg(0)
	m, err := bmap.ReadFile(*bmapPath)
	if err != nil {
		fmt.Fprintf(e.stderr, "kiosk read-back: %v\n", err)
		return 1
	}
	opt := &bmap.Options{}
	if !*quiet {
		opt.Progress = tenths(e.stderr)
	}
	start := e.now()
	res, err := bmap.ReadBack(ctx, dev, m, opt)
	took := e.now().Sub(start)
	if !res.Direct {
		fmt.Fprintf(e.stderr, "kiosk read-back: warning: %s's file system refused O_DIRECT; read through the page cache, which may hold what was written rather than what is stored\n", dev)
	}
	if err != nil {
		var re *bmap.RangeError
		if errors.As(err, &re) {
			fmt.Fprintf(e.stderr, "kiosk read-back: FAILED: %s: %v\n", dev, err)
		} else {
			fmt.Fprintf(e.stderr, "kiosk read-back: %v\n", err)
		}
		return 1
	}
	rate := float64(res.Bytes) / 1e6 / max(took.Seconds(), 1e-9)
	fmt.Fprintf(e.stdout, "read-back ok: %s: %.1f MB in %d ranges, %.2f s, %.0f MB/s\n",
		dev, float64(res.Bytes)/1e6, res.Ranges, took.Seconds(), rate)
	return 0
}

// tenths reports progress at each tenth, one line each, so a log keeps it
// readable.
func tenths(w io.Writer) func(done, total int64) {
	last := int64(0)
	return func(done, total int64) {
		if total == 0 {
			return
		}
		if t := done * 10 / total; t > last {
			last = t
			fmt.Fprintf(w, "read-back: %d%% (%.1f of %.1f MB)\n", t*10, float64(done)/1e6, float64(total)/1e6)
		}
	}
}

func readBackUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: kiosk read-back --bmap FILE [--quiet] DEVICE")
	fmt.Fprintln(w, "\nReads every range the bmap maps from DEVICE (O_DIRECT, so from the medium,")
	fmt.Fprintln(w, "not the page cache) and compares its SHA-256 with the bmap's. flash.sh runs it")
	fmt.Fprintln(w, "before it moves the backup GPT to the end of a disk larger than the image; after")
	fmt.Fprintln(w, "that the first range (the GPT's header) differs from the image's by design.")
	fmt.Fprintln(w, "Exit status: 0 all ranges match, 1 a range differs (named) or a read failed, 2 usage error.")
}
