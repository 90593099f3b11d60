package uplink

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/hcsc-kz/kiosk/central/api"
)

// Counts is what the outbox holds, for the heartbeat, the technician's
// status page and kiosk doctor. Only Pending goes away by itself; a
// rejected or quarantined entry is a printed ticket the backend does not
// have, and stays until someone settles it.
type Counts struct {
	// Pending entries wait for delivery (Depth).
	Pending int
	// Rejected entries were refused by the backend after their ticket was
	// printed; RejectedBy counts them by the status and the server's code
	// ("409 number-taken").
	Rejected   int
	RejectedBy map[string]int
	// Quarantined rows could not be read and were set aside, sealed;
	// QuarantinedBy counts them by reason (ReasonKeyReplaced, …).
	Quarantined   int
	QuarantinedBy map[string]int
}

// FillHeartbeat puts the counts into a heartbeat.
func (c Counts) FillHeartbeat(hb *api.Heartbeat) {
	hb.OutboxDepth, hb.OutboxRejected, hb.OutboxQuarantined = c.Pending, c.Rejected, c.Quarantined
}

// Counts counts the outbox without opening any entry.
func (o *Outbox) Counts(ctx context.Context) (Counts, error) {
	var c Counts
	rejected, err := o.countBy(ctx, `SELECT rejected, COUNT(*) FROM outbox GROUP BY rejected`)
	if err != nil {
		return Counts{}, err
	}
	for r, n := range rejected {
		if r == "" {
			c.Pending = n
			continue
		}
		if c.RejectedBy == nil {
			c.RejectedBy = map[string]int{}
		}
		c.Rejected += n
		c.RejectedBy[r] = n
	}
	if c.QuarantinedBy, err = o.countBy(ctx, `SELECT reason, COUNT(*) FROM quarantine GROUP BY reason`); err != nil {
		return Counts{}, err
	}
	for _, n := range c.QuarantinedBy {
		c.Quarantined += n
	}
	return c, nil
}

// countBy runs a "key, COUNT(*) … GROUP BY key" query; nil when no rows.
func (o *Outbox) countBy(ctx context.Context, query string) (map[string]int, error) {
	rows, err := o.db.QueryContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("uplink: outbox: %w", err)
	}
	defer rows.Close()
	var m map[string]int
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return nil, fmt.Errorf("uplink: outbox: %w", err)
		}
		if m == nil {
			m = map[string]int{}
		}
		m[k] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("uplink: outbox: %w", err)
	}
	return m, nil
}

// Counts counts the outbox: waiting, refused and set aside.
func (u *Uplink) Counts(ctx context.Context) (Counts, error) { return u.out.Counts(ctx) }

// rejectReason is what the outbox keeps of a refusal: the status and the
// server's code, never the message, which may quote the application.
func rejectReason(err error) string {
	var re *RejectedError
	if !errors.As(err, &re) {
		return "4xx"
	}
	if re.Body.Code == "" {
		return strconv.Itoa(re.Status)
	}
	return strconv.Itoa(re.Status) + " " + re.Body.Code
}

// legacyPrefix starts the refusals recorded before refusals were kept: the
// whole RejectedError text.
const legacyPrefix = "uplink: backend rejected the request: "

// settleLegacy puts refusals recorded before refusals were kept into
// today's form ("409 number-taken"), and wipes the refused entries that
// were never printed (refused while the visitor waited), unless refused
// for the kiosk's sake.
func (o *Outbox) settleLegacy(ctx context.Context) error {
	// A row whose id is damaged is left to Sweep's quarantine.
	rows, err := o.db.QueryContext(ctx, `SELECT id, rejected FROM outbox WHERE typeof(id) = 'text' AND rejected LIKE ?`, legacyPrefix+"%")
	if err != nil {
		return fmt.Errorf("uplink: outbox: %w", err)
	}
	fixed := map[string]string{}
	for rows.Next() {
		var id, r string
		if err := rows.Scan(&id, &r); err != nil {
			rows.Close()
			return fmt.Errorf("uplink: outbox: %w", err)
		}
		f := strings.Fields(strings.TrimPrefix(r, legacyPrefix))
		reason := "4xx"
		if len(f) > 0 {
			reason = strings.TrimSuffix(f[0], ":")
		}
		if len(f) > 1 && strings.TrimSuffix(f[1], ":") != "" {
			reason += " " + strings.TrimSuffix(f[1], ":")
		}
		fixed[id] = reason
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return fmt.Errorf("uplink: outbox: %w", err)
	}
	for id, reason := range fixed {
		if err := o.Reject(ctx, id, reason); err != nil {
			return err
		}
	}
	return o.wipeUnprintedRefused(ctx)
}

// wipeUnprintedRefused wipes the refused entries that were never printed,
// except those refused for the kiosk's sake (Retryable), which are sent
// again.
func (o *Outbox) wipeUnprintedRefused(ctx context.Context) error {
	rows, err := o.db.QueryContext(ctx, `SELECT rowid, rejected FROM outbox WHERE rejected != '' AND off_number = ''`)
	if err != nil {
		return fmt.Errorf("uplink: outbox: %w", err)
	}
	var wipe []int64
	for rows.Next() {
		var rowid int64
		var reason any
		if err := rows.Scan(&rowid, &reason); err != nil {
			rows.Close()
			return fmt.Errorf("uplink: outbox: %w", err)
		}
		if r, _ := reason.(string); !Retryable(r) {
			wipe = append(wipe, rowid)
		}
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return fmt.Errorf("uplink: outbox: %w", err)
	}
	for _, rowid := range wipe {
		if _, err := o.db.ExecContext(ctx, `DELETE FROM outbox WHERE rowid = ?`, rowid); err != nil {
			return fmt.Errorf("uplink: outbox: %w", err)
		}
	}
	return nil
}

// Retryable tells the refusals that are about the kiosk, not the
// application: its credential (401, 403: not enrolled yet, revoked and
// renewed, a certificate for another name), the route (404: a proxy or a
// backend being upgraded) or the time the request took (408). Once the
// technician fixes the kiosk, the same application is accepted, so these
// are retried. Every other refusal (400, 409 number-taken or conflict,
// 413, 422) is about the application itself: sending it again gets the
// same answer, so it waits for the supervisor.
func Retryable(reason string) bool {
	status, _, _ := strings.Cut(reason, " ")
	switch n, _ := strconv.Atoi(status); n {
	case http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusRequestTimeout:
		return true
	}
	return false
}

// retryableIDs lists the refused entries worth another try, oldest first.
func (o *Outbox) retryableIDs(ctx context.Context) ([]string, error) {
	rows, err := o.db.QueryContext(ctx, `SELECT id, rejected FROM outbox WHERE rejected != '' AND typeof(id) = 'text' ORDER BY created, id`)
	if err != nil {
		return nil, fmt.Errorf("uplink: outbox: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id, reason string
		if err := rows.Scan(&id, &reason); err != nil {
			return nil, fmt.Errorf("uplink: outbox: %w", err)
		}
		if Retryable(reason) {
			ids = append(ids, id)
		}
	}
	return ids, rows.Err()
}

// retryRejected sends the refused entries that may be accepted now (see
// Retryable), once per RejectedRetry and at the first Sync after Open. The
// first that is refused again ends the pass: the kiosk is not fixed yet.
func (u *Uplink) retryRejected(ctx context.Context) (int, error) {
	now := u.now()
	u.mu.Lock()
	due := !now.Before(u.retryAt)
	if due {
		u.retryAt = now.Add(u.o.RejectedRetry)
	}
	u.mu.Unlock()
	if !due {
		return 0, nil
	}
	ids, err := u.out.retryableIDs(ctx)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, id := range ids {
		ok, err := u.deliver(ctx, id)
		if err != nil || !ok {
			return sent, err
		}
		sent++
	}
	return sent, nil
}

// refused records a refusal of entry e: kept when its ticket was printed
// or the refusal is of the kiosk (Retryable), wiped otherwise when it was
// never printed (a kiosk that stopped before printing; the backend has
// nothing to reconcile, and nothing personal is kept without a purpose).
func (u *Uplink) refused(ctx context.Context, e Entry, err error) error {
	reason := rejectReason(err)
	switch {
	case e.Offline == nil && !Retryable(reason):
		u.log.Warn("queued application refused; it was never printed, so it is wiped", "id", api.MaskID(e.App.ID), "reason", reason)
		return u.out.Delete(ctx, e.App.ID)
	case e.Offline == nil:
		// Refused for the kiosk's sake: the application may be taken
		// once the kiosk is fixed, and then reported not printed.
		u.log.Warn("queued application refused for the kiosk; it was never printed; kept to send again", "id", api.MaskID(e.App.ID), "reason", reason)
	default:
		u.log.Warn("printed ticket refused by the backend; kept for the supervisor", "id", api.MaskID(e.App.ID),
			"number", e.Offline.Number, "reason", reason, "retry", Retryable(reason))
	}
	// A refusal seen now defers the next retry: no second request for it
	// within this pass.
	u.mu.Lock()
	if next := u.now().Add(u.o.RejectedRetry); next.After(u.retryAt) {
		u.retryAt = next
	}
	u.mu.Unlock()
	return u.out.Reject(ctx, e.App.ID, reason)
}
