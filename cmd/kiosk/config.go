package main

import (
	"context"
	"fmt"
)

// cmdConfig is filled in by the config work (issue 2, item 2).
func cmdConfig(ctx context.Context, e *env, args []string) int {
	fmt.Fprintln(e.stderr, "kiosk config: not built yet")
	return 1
}
