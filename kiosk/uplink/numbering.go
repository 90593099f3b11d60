package uplink

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/hcsc-kz/kiosk/central/api"
)

// ErrNoOfflinePrefix: the backend could not be reached, no lent number was
// left, and the backend has never told this kiosk its offline prefix, so no
// offline number can be printed. Submit returns it; the kiosk sends the
// visitor to the desk (journey.SubmitFailed). The application stays in the
// outbox and reaches the backend later reported not printed, so the clerk
// at the desk finds it and nobody calls it into the hall.
var ErrNoOfflinePrefix = errors.New("uplink: no offline number: no lent number left, and the backend has not told this kiosk its offline prefix yet")

// Numbering is how the kiosk writes the numbers of its own offline range,
// as the backend last told it with a block of numbers (api.Block): there is
// no setting for it on the kiosk, so it cannot disagree with the backend's
// registry.
type Numbering struct {
	// Prefix starts the numbers ("KAB"); "" until the backend has told it.
	Prefix string
	// Width is the least number of digits after the prefix.
	Width int
	// Learned is the kiosk's day the backend last told it, YYYY-MM-DD; the
	// kiosk asks again on a later day, so a change in the registry reaches
	// it within a day.
	Learned string
}

// Format writes the kiosk's offline number seq as the backend would.
func (n Numbering) Format(seq int) string {
	return fmt.Sprintf("%s%0*d", n.Prefix, n.Width, seq)
}

// numberingFrom checks what a block says about the kiosk's numbering.
func numberingFrom(b api.Block, day string) (Numbering, error) {
	n := Numbering{Prefix: b.OfflinePrefix, Width: b.NumberWidth, Learned: day}
	ok := len(n.Prefix) >= 1 && len(n.Prefix) <= 8 && n.Width >= 1 && n.Width <= 9
	for i := 0; ok && i < len(n.Prefix); i++ {
		ok = 'A' <= n.Prefix[i] && n.Prefix[i] <= 'Z'
	}
	if !ok {
		return Numbering{}, fmt.Errorf("uplink: the backend's block gives offline prefix %q and number width %d; want 1 to 8 capital letters and 1 to 9 digits (is the backend older than the kiosk?)",
			b.OfflinePrefix, b.NumberWidth)
	}
	return n, nil
}

// The outbox's meta table keeps the numbering under these keys.
const (
	metaPrefix  = "offline_prefix"
	metaWidth   = "number_width"
	metaLearned = "numbering_learned"
)

// Numbering returns how the kiosk writes its own offline numbers; the zero
// Numbering when the backend has not told it yet.
func (o *Outbox) Numbering(ctx context.Context) (Numbering, error) {
	return numbering(ctx, o.db)
}

type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func numbering(ctx context.Context, q queryer) (Numbering, error) {
	rows, err := q.QueryContext(ctx, `SELECT name, value FROM meta WHERE name IN (?, ?, ?)`, metaPrefix, metaWidth, metaLearned)
	if err != nil {
		return Numbering{}, fmt.Errorf("uplink: outbox: %w", err)
	}
	defer rows.Close()
	var n Numbering
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return Numbering{}, fmt.Errorf("uplink: outbox: %w", err)
		}
		switch k {
		case metaPrefix:
			n.Prefix = v
		case metaWidth:
			n.Width, _ = strconv.Atoi(v)
		case metaLearned:
			n.Learned = v
		}
	}
	if err := rows.Err(); err != nil {
		return Numbering{}, fmt.Errorf("uplink: outbox: %w", err)
	}
	if n.Prefix == "" || n.Width <= 0 {
		return Numbering{}, nil
	}
	return n, nil
}

// SetNumbering keeps what the backend said, durably: a kiosk that starts
// without the network still prints its own numbers.
func (o *Outbox) SetNumbering(ctx context.Context, n Numbering) error {
	tx, err := o.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("uplink: outbox: %w", err)
	}
	defer tx.Rollback()
	for k, v := range map[string]string{metaPrefix: n.Prefix, metaWidth: strconv.Itoa(n.Width), metaLearned: n.Learned} {
		if _, err := tx.ExecContext(ctx, `INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value`, k, v); err != nil {
			return fmt.Errorf("uplink: outbox: %w", err)
		}
	}
	// The clocks of delivered entries are of no more use; this runs about
	// once a day.
	if _, err := tx.ExecContext(ctx, `DELETE FROM offline_clock WHERE id NOT IN (SELECT id FROM outbox)`); err != nil {
		return fmt.Errorf("uplink: outbox: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("uplink: outbox: %w", err)
	}
	return nil
}

// offlineClock is the clock an entry's offline ticket was printed with;
// nil when the kiosk had none then, or when what is kept of it does not
// read (a damaged row): the ticket then goes as one printed without a
// clock, which the backend places by its own, rather than not at all.
func (o *Outbox) offlineClock(ctx context.Context, id string) (*api.Clock, error) {
	var raw any
	err := o.db.QueryRowContext(ctx, `SELECT clock FROM offline_clock WHERE id = ?`, id).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("uplink: outbox: %w", err)
	}
	text, _ := raw.(string)
	c := new(api.Clock)
	if err := json.Unmarshal([]byte(text), c); err != nil {
		return nil, nil
	}
	return c, nil
}

// Numbering is how the kiosk writes its own offline numbers, as the backend
// last told it; for the technician's checks.
func (u *Uplink) Numbering(ctx context.Context) (Numbering, error) { return u.out.Numbering(ctx) }

// refreshNumbering asks the backend for the kiosk's offline prefix when it
// was never told or was told on an earlier day. A kiosk that lends numbers
// hears it with every block (topUp); one that lends none asks for a block
// of none.
func (u *Uplink) refreshNumbering(ctx context.Context) error {
	day := u.day(u.now())
	n, err := u.out.Numbering(ctx)
	if err != nil || (n.Prefix != "" && n.Learned >= day) {
		return err
	}
	c, cancel := context.WithTimeout(ctx, u.o.SubmitWait)
	defer cancel()
	b, err := u.Client.Lend(c, u.o.KioskID, api.BlockRequest{BranchID: u.o.BranchID, Service: u.o.Service, Size: 0})
	if err != nil {
		return err
	}
	return u.learn(ctx, b, day)
}

// learn keeps the numbering a block gives.
func (u *Uplink) learn(ctx context.Context, b api.Block, day string) error {
	n, err := numberingFrom(b, day)
	if err != nil {
		return err
	}
	return u.out.SetNumbering(ctx, n)
}
