package central

import (
	"context"
	"fmt"
	"log/slog"
)

// keyBodyHashes keys the plain body hashes a database from before keyed
// ones may hold (Store.KeyBodyHashes), before the server answers anything:
// a retry of such a row is then told from a replay as any other, and the
// database no longer gives codes and document numbers away. Every server
// of a region must be of this version first: one from before would go on
// storing plain hashes, whose retries a keyed server refuses (409).
func (s *Server) keyBodyHashes() error {
	n, err := s.store.KeyBodyHashes(context.Background(), s.seal.bodyMAC)
	if err != nil {
		return fmt.Errorf("central: key the stored body hashes: %w", err)
	}
	if n > 0 {
		s.log.LogAttrs(context.Background(), slog.LevelInfo, "keyed the body hashes of a database from before", slog.Int("tickets", n))
	}
	return nil
}
