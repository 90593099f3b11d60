package central

import (
	"context"
	"log/slog"
	"time"

	"github.com/hcsc-kz/kiosk/central/api"
)

// AuditEntry is one thing a console user did with an application: who,
// what, which ticket and when. It names the ticket, never the visitor.
type AuditEntry struct {
	At     time.Time
	User   string // the console user's id
	Branch string
	Action string // "called", "viewed", "recalled", "no-show", "redirected", "parked", "completed", "exported"
	Ticket string // the ticket's id
	Number string // the ticket's number, for the supervisor's reading
}

// audit records what a console user did. The text log gets the user id and
// the masked ticket id only.
func (s *Server) audit(ctx context.Context, e AuditEntry) {
	s.log.LogAttrs(ctx, slog.LevelInfo, "audit", slog.String("user", e.User), slog.String("action", e.Action),
		slog.String("branch", e.Branch), slog.String("ticket", api.MaskID(e.Ticket)))
}
