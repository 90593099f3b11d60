package central_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/hcsc-kz/kiosk/central"
)

// TestIsDomain: a refusal about the data is a domain error, which the
// store's writer answers alone; anything else fails the writer's whole
// batch, which is then written again one by one.
func TestIsDomain(t *testing.T) {
	for _, err := range []error{central.ErrNotFound, central.ErrConflict, central.ErrNumberTaken, central.ErrBadState,
		central.ErrEmpty, central.ErrWindowBusy, central.ErrNotYourWindow} {
		if !central.IsDomain(fmt.Errorf("store: %w", err)) {
			t.Errorf("IsDomain(%v) = false", err)
		}
	}
	if central.IsDomain(errors.New("disk full")) {
		t.Error("IsDomain(disk full) = true")
	}
}
