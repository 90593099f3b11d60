package central

import (
	"context"

	"github.com/hcsc-kz/kiosk/central/api"
)

// Emit exposes emit to the event tests of package central_test, which
// need many events faster than clerks make them.
func (s *Server) Emit(ctx context.Context, e api.BranchEvent) { s.emit(ctx, e) }
