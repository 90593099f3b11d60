package main

import (
	"context"
	"fmt"
)

func cmdMRZ(ctx context.Context, e *env, args []string) int {
	fmt.Fprintln(e.stderr, "kiosk mrz: not built yet")
	return 1
}
