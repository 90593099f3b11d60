package central

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/hcsc-kz/kiosk/central/api"
)

// KioskOfflineAfter is how long a kiosk may stay silent before the
// supervisor sees it offline: three of its heartbeats (one a minute), so
// that one lost heartbeat raises no alarm.
const KioskOfflineAfter = 3 * time.Minute

// HeartbeatRecord is a kiosk's latest heartbeat as stored.
type HeartbeatRecord struct {
	Kiosk string
	At    time.Time // the server's time of receipt
	Body  []byte    // api.Heartbeat as JSON
}

// WindowSession is a live console session at a window, with its user.
type WindowSession struct {
	Window int
	User   UserRecord // Hash ""
	SeenAt time.Time
}

// Overview is a branch as its supervisor sees it: the queues, the open
// windows and the kiosks. No personal data: numbers of people, logins,
// kiosk ids and device states.
type Overview struct {
	Branch string
	// At is when it was taken, in the branch's zone, as are its times.
	At      time.Time
	Queues  []QueueStat
	Windows []OpenWindow
	Kiosks  []KioskState
	// Parked are the visitors clerks set aside today and have not called
	// back, in the order they were parked.
	Parked []ParkedStat
}

// ParkedStat is a parked visitor as the supervisor sees it: the number,
// never the person.
type ParkedStat struct {
	Number  string
	Service string
	Lane    api.Lane
	Window  string // where the visitor was parked
	User    string // the id of the clerk who parked
	Login   string // that clerk's login; "" for a user no longer stored
	Since   time.Time
}

// QueueStat is one service's lane of the waiting queue.
type QueueStat struct {
	Service string
	Lane    api.Lane
	Waiting int
	// Longest is the wait of the one waiting longest.
	Longest time.Duration
	// Parked counts the visitors set aside by a clerk, to be called back:
	// not waiting in the queue, but not served either.
	Parked int
}

// OpenWindow is a window with a signed-in clerk.
type OpenWindow struct {
	Window int
	User   string // the user's id
	Login  string
	Role   Role
	SeenAt time.Time // the clerk's last request, at SessionTouch's resolution
}

// KioskState is a kiosk of the branch as its last heartbeat tells.
type KioskState struct {
	ID string
	// Seen is when its last heartbeat came; zero when none ever came.
	Seen time.Time
	// Online: a heartbeat came within KioskOfflineAfter.
	Online bool
	// Heartbeat is the last one; its zero value when none came or it could
	// not be read.
	Heartbeat api.Heartbeat
}

// Device returns the state of the kiosk's device of that name ("scanner",
// "printer"), "" when the heartbeat did not report it.
func (k KioskState) Device(name string) api.Device {
	for _, d := range k.Heartbeat.Devices {
		if d.Name == name {
			return d
		}
	}
	return api.Device{}
}

// BranchOverview returns a branch's queues per service and lane, its open
// windows and its kiosks' states. Errors: ErrNotFound for an unknown
// branch.
func (s *Server) BranchOverview(ctx context.Context, branch string) (Overview, error) {
	b := s.branches[branch]
	if b == nil {
		return Overview{}, fmt.Errorf("central: branch: %w", ErrNotFound)
	}
	now := s.now()
	o := Overview{Branch: b.ID, At: now.In(b.loc)}
	recs, err := s.store.Tickets(ctx, b.ID, s.day(b, now))
	if err != nil {
		return Overview{}, err
	}
	type key struct {
		service string
		lane    api.Lane
	}
	stats := map[key]*QueueStat{}
	for _, r := range recs {
		waiting := r.State == api.StateWaiting || r.State == api.StateNotPrinted
		if !waiting && r.State != api.StateParked {
			continue
		}
		k := key{r.Service, r.Lane}
		q := stats[k]
		if q == nil {
			q = &QueueStat{Service: r.Service, Lane: r.Lane}
			stats[k] = q
		}
		if !waiting {
			q.Parked++
			continue
		}
		q.Waiting++
		q.Longest = max(q.Longest, now.Sub(r.IssuedAt))
	}
	if o.Parked, err = s.parkedStats(ctx, b, now); err != nil {
		return Overview{}, err
	}
	for _, q := range stats {
		o.Queues = append(o.Queues, *q)
	}
	slices.SortFunc(o.Queues, func(a, b QueueStat) int {
		return cmp.Or(cmp.Compare(a.Service, b.Service), cmp.Compare(laneOrder(a.Lane), laneOrder(b.Lane)))
	})

	sessions, err := s.store.WindowSessions(ctx, b.ID, now)
	if err != nil {
		return Overview{}, err
	}
	for _, ws := range sessions {
		o.Windows = append(o.Windows, OpenWindow{Window: ws.Window, User: ws.User.ID, Login: ws.User.Login, Role: ws.User.Role, SeenAt: ws.SeenAt.In(b.loc)})
	}

	ids := make([]string, 0, len(b.Kiosks))
	for _, k := range b.Kiosks {
		ids = append(ids, k.ID)
	}
	hbs, err := s.store.Heartbeats(ctx, ids)
	if err != nil {
		return Overview{}, err
	}
	last := make(map[string]HeartbeatRecord, len(hbs))
	for _, h := range hbs {
		last[h.Kiosk] = h
	}
	for _, id := range ids {
		k := KioskState{ID: id}
		if h, ok := last[id]; ok {
			k.Seen = h.At.In(b.loc)
			k.Online = now.Sub(h.At) < KioskOfflineAfter
			if err := json.Unmarshal(h.Body, &k.Heartbeat); err != nil {
				// Stored by this server from a checked body: a damaged row is
				// shown as a kiosk that reported nothing, not a failed page.
				s.log.LogAttrs(ctx, slog.LevelWarn, "stored heartbeat unreadable", slog.String("kiosk", id), slog.Any("err", err))
				k.Heartbeat = api.Heartbeat{}
			}
		}
		o.Kiosks = append(o.Kiosks, k)
	}
	return o, nil
}

// parkedStats lists a branch's parked visitors of today with the logins
// of the clerks who parked them.
func (s *Server) parkedStats(ctx context.Context, b *branchInfo, now time.Time) ([]ParkedStat, error) {
	ps, err := s.store.Parked(ctx, b.ID, s.day(b, now))
	if err != nil || len(ps) == 0 {
		return nil, err
	}
	users, err := s.store.Users(ctx)
	if err != nil {
		return nil, err
	}
	logins := make(map[string]string, len(users))
	for _, u := range users {
		logins[u.ID] = u.Login
	}
	out := make([]ParkedStat, 0, len(ps))
	for _, p := range ps {
		r := p.Record
		out = append(out, ParkedStat{Number: r.Number, Service: r.Service, Lane: r.Lane, Window: p.Window,
			User: p.User, Login: logins[p.User], Since: p.ParkedAt.In(b.loc)})
	}
	return out, nil
}

// laneOrder puts the lanes in the order call-next serves them.
func laneOrder(l api.Lane) int {
	switch l {
	case api.LaneBooked:
		return 0
	case api.LanePriority:
		return 1
	}
	return 2
}
