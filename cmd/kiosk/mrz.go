package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/hcsc-kz/kiosk/devices/mrz"
)

// maxMRZInput bounds what `kiosk mrz` reads: an MRZ is under 200 bytes, and
// a script piping a large file by mistake must get an error, not a hang.
const maxMRZInput = 64 << 10

// cmdMRZ reads MRZ lines on stdin and prints one JSON object: the document
// in the contract technicians and other tools rely on, or {"error": "..."}
// with exit status 2 when the input is not an MRZ; for a document that is
// not an ICAO one (mrz.ErrNotICAO) "document" names it ("FRA_ID_CARD",
// "DRIVING_LICENCE").
func cmdMRZ(_ context.Context, e *env, args []string) int {
	if len(args) > 0 {
		fmt.Fprintln(e.stderr, "usage: kiosk mrz < lines")
		return 2
	}
	in, err := io.ReadAll(io.LimitReader(e.stdin, maxMRZInput+1))
	if err != nil {
		return mrzError(e, fmt.Sprintf("reading stdin: %v", err))
	}
	if len(in) > maxMRZInput {
		return mrzError(e, fmt.Sprintf("input longer than %d bytes; an MRZ has at most 3 lines", maxMRZInput))
	}
	doc, err := mrz.Parse(string(in), e.now())
	if me := (*mrz.Error)(nil); errors.As(err, &me) && me.Document != mrz.NotRecognised {
		// A document with an MRZ of its own: say which, so a caller can
		// tell the visitor what to bring instead.
		out, _ := json.Marshal(map[string]string{"error": err.Error(), "document": me.Document.String()})
		fmt.Fprintf(e.stdout, "%s\n", out)
		return 2
	}
	if err != nil {
		return mrzError(e, err.Error())
	}
	out, err := json.Marshal(doc)
	if err != nil {
		return mrzError(e, err.Error())
	}
	fmt.Fprintf(e.stdout, "%s\n", out)
	return 0
}

func mrzError(e *env, msg string) int {
	out, _ := json.Marshal(map[string]string{"error": msg})
	fmt.Fprintf(e.stdout, "%s\n", out)
	return 2
}
