package central

import (
	"net/http"

	"github.com/hcsc-kz/kiosk/central/api"
)

// Limits on numbers lent to a kiosk for printing offline. A kiosk keeps a
// block topped up (backend.lend_size, at most 500 in its configuration),
// so honest kiosks never meet them; they bound what one stolen kiosk
// credential can take from a branch's day.
const (
	// MaxBlock is the most numbers one request gets; a larger size is
	// shortened to it.
	MaxBlock = 100
	// MaxOutstanding is the most numbers a kiosk may hold lent and not yet
	// used on one day: a request beyond it is shortened to what is left,
	// and refused (409 lend-limit) when nothing is.
	MaxOutstanding = 500
)

func lendLimit() *httpError {
	return fail(http.StatusConflict, api.CodeLendLimit,
		"this kiosk holds the most lent numbers allowed today; use them before asking for more")
}
