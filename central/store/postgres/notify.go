package postgres

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/store/sqlstore"
	"github.com/jackc/pgx/v5"
)

// Store is the PostgreSQL store. Beyond the shared SQL store it hears of
// the branch events every server process on the database appends, with
// LISTEN/NOTIFY, so one process's streams follow the others' clerks.
type Store struct {
	*sqlstore.Store
	dsn string
	log *slog.Logger
}

var _ central.EventNotifier = (*Store)(nil)

// Notifications listens on a connection of its own for the branch events
// appended to the schema, by this process or another, until ctx ends. Each
// time it starts listening, at first and after the connection dropped and
// it connected again, it sends a notice with no branch: events appended
// before were not announced to it.
func (s *Store) Notifications(ctx context.Context) <-chan central.EventNotice {
	out := make(chan central.EventNotice, 64)
	go func() {
		defer close(out)
		send := func(n central.EventNotice) bool {
			select {
			case out <- n:
				return true
			case <-ctx.Done():
				return false
			}
		}
		wait := 100 * time.Millisecond
		for {
			err := s.listen(ctx, func() bool {
				wait = 100 * time.Millisecond
				return send(central.EventNotice{})
			}, send)
			if ctx.Err() != nil {
				return
			}
			s.log.Warn("postgres: branch events: listening connection lost; connecting again", "err", redact(err), "in", wait)
			select {
			case <-time.After(wait):
			case <-ctx.Done():
				return
			}
			wait = min(2*wait, 5*time.Second)
		}
	}()
	return out
}

// listen connects, listens and sends what it hears until an error or ctx
// ends. listening runs once LISTEN is in place.
func (s *Store) listen(ctx context.Context, listening func() bool, send func(central.EventNotice) bool) error {
	conn, err := pgx.Connect(ctx, s.dsn)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var channel string
	if err := conn.QueryRow(ctx, sqlstore.NotifyChannelSQL).Scan(&channel); err != nil {
		return fmt.Errorf("channel: %w", err)
	}
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{channel}.Sanitize()); err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	if !listening() {
		return ctx.Err()
	}
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		id, branch, ok := strings.Cut(n.Payload, " ")
		num, err := strconv.ParseInt(id, 10, 64)
		if !ok || err != nil {
			continue // not an event's: someone else's NOTIFY on the channel
		}
		if !send(central.EventNotice{Branch: branch, ID: num}) {
			return ctx.Err()
		}
	}
}
