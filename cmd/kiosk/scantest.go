package main

import (
	"context"
	"fmt"
)

// cmdScanTest is filled in by the scanner work (issue 2, item 5).
func cmdScanTest(ctx context.Context, e *env, args []string) int {
	fmt.Fprintln(e.stderr, "kiosk scan-test: not built yet")
	return 1
}
