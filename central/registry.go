package central

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/config/zone"
	"github.com/hcsc-kz/kiosk/flows/workday"
)

// Registry is what the server knows of the country's halls: the branches,
// their kiosks and the services with their ticket prefixes. It is read from a
// JSON file at start (central serve --registry FILE) or made by Demo.
type Registry struct {
	Branches []Branch  `json:"branches"`
	Services []Service `json:"services"`
}

// Branch is one Public Service Center hall.
type Branch struct {
	ID string `json:"id"`
	// Zone is the branch's IANA time zone; numbers restart at its midnight.
	// Kazakhstan's zones are read from data built into the binary
	// (package config/zone), never from the image's zone files.
	Zone string `json:"zone"`
	// Windows is how many clerks serve at once, for the wait estimate.
	Windows int `json:"windows"`
	// ServiceTime is a clerk's average time per visitor ("6m").
	ServiceTime string `json:"serviceTime"`
	// PriorityRatio is how many priority visitors are called for each
	// ordinary one while both lanes wait.
	PriorityRatio int `json:"priorityRatio"`
	// Hours are the branch's opening hours per weekday ("mon":
	// "09:00-20:00", "sat": "09:00-13:00", "sun": "closed"), read with the
	// working-day calendar: an application after closing or on a closed day
	// joins the queue of the next day the branch opens. They decide every
	// ticket's queue day, so the branch's kiosks must have the same
	// [flow.hours] (their tickets say when the centre opens). As there,
	// a day not given keeps an ordinary centre's hours (09:00-18:00 on
	// weekdays, closed at weekends; config.OrdinaryHours), and a branch
	// without hours has an ordinary centre's.
	Hours  *config.Hours `json:"hours,omitempty"`
	Kiosks []Kiosk       `json:"kiosks"`
}

// Kiosk is one registered terminal.
type Kiosk struct {
	ID string `json:"id"`
	// OfflinePrefix starts the numbers the kiosk prints from its own range
	// while offline ("KAG"); unique in the branch.
	OfflinePrefix string `json:"offlinePrefix"`
}

// Service is a queue of the hall with its ticket prefix ("iin" → "A").
type Service struct {
	ID     string `json:"id"`
	Prefix string `json:"prefix"`
}

// LoadRegistry reads a registry from JSON and checks it.
func LoadRegistry(r io.Reader) (Registry, error) {
	var reg Registry
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&reg); err != nil {
		return Registry{}, fmt.Errorf("central: registry: %w", err)
	}
	return reg, reg.Validate()
}

// Demo returns a registry with one branch in Almaty (ALA-01, as in the
// kiosk's default settings), the IIN service, and n kiosks K-01, K-02, …
// whose offline prefixes are "K" for K-01 (the demo's kiosk) and "KAB",
// "KAC", … for the others (up to 676 kiosks). The kiosks learn them from
// the server. The branch has the demo's hours (config.DemoHours: open
// round the clock, as the demo kiosk is), so that the demo and the tests
// built on it issue and call the same day at any hour.
func Demo(n int) Registry {
	hours := config.DemoHours()
	b := Branch{ID: "ALA-01", Zone: "Asia/Almaty", Windows: 8, ServiceTime: "6m", PriorityRatio: 2, Hours: &hours}
	for i := 1; i <= n; i++ {
		prefix := "K"
		if i > 1 {
			prefix += string(rune('A'+(i-1)/26%26)) + string(rune('A'+(i-1)%26))
		}
		b.Kiosks = append(b.Kiosks, Kiosk{ID: fmt.Sprintf("K-%02d", i), OfflinePrefix: prefix})
	}
	return Registry{Branches: []Branch{b}, Services: []Service{{ID: "iin", Prefix: "A"}}}
}

// Validate checks the registry: zones exist, ids are unique and fit the
// protocol, and no two of the services' lanes and the kiosks' offline ranges
// can print the same number (a service "A" prints "AP…" in its priority lane,
// so a service "AP" is refused; see prefixErrors).
func (r Registry) Validate() error {
	var errs []error
	if len(r.Services) == 0 {
		errs = append(errs, errors.New("no services; add e.g. {\"id\": \"iin\", \"prefix\": \"A\"}"))
	}
	for _, s := range r.Services {
		if !validID(s.ID) || s.Prefix == "" {
			errs = append(errs, fmt.Errorf("service id %q: id (letters, digits, '.', '_', '-'; at most 32) and prefix are required", s.ID))
		}
	}
	kiosks := map[string]bool{}
	for _, b := range r.Branches {
		if !validID(b.ID) {
			errs = append(errs, fmt.Errorf("branch id %q: want letters, digits, '.', '_' or '-', at most 32", b.ID))
		}
		if _, err := zone.Load(b.Zone); err != nil || b.Zone == "" {
			errs = append(errs, fmt.Errorf("branch %q: zone %q is not an IANA zone such as \"Asia/Almaty\"", b.ID, b.Zone))
		}
		if _, err := b.hours().Schedule(); err != nil {
			errs = append(errs, fmt.Errorf("branch %q: %w", b.ID, err))
		}
		if b.ServiceTime != "" {
			if _, err := time.ParseDuration(b.ServiceTime); err != nil {
				errs = append(errs, fmt.Errorf("branch %q: serviceTime %q is not a duration such as \"6m\"", b.ID, b.ServiceTime))
			}
		}
		for _, k := range b.Kiosks {
			if !validID(k.ID) || kiosks[k.ID] {
				errs = append(errs, fmt.Errorf("branch %q: kiosk id %q empty, used twice, or not letters, digits, '.', '_', '-' (at most 32)", b.ID, k.ID))
			}
			kiosks[k.ID] = true
			if k.OfflinePrefix == "" {
				errs = append(errs, fmt.Errorf("branch %q kiosk %q: offline prefix is empty", b.ID, k.ID))
			} else if !isOfflinePrefix(k.OfflinePrefix) {
				// The kiosk writes its own numbers with it and takes no other.
				errs = append(errs, fmt.Errorf("branch %q kiosk %q: offline prefix %q: use 1 to 8 capital Latin letters, e.g. \"KAB\"", b.ID, k.ID, k.OfflinePrefix))
			}
		}
	}
	errs = append(errs, r.prefixErrors()...)
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("central: registry: %w", err)
	}
	return nil
}

// branchInfo is a branch ready for requests.
type branchInfo struct {
	Branch
	loc         *time.Location
	serviceTime time.Duration
	kiosks      map[string]Kiosk
	// hours and cal decide the queue day (queueDay).
	hours config.Schedule
	cal   *workday.Calendar
}

func isOfflinePrefix(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return len(s) >= 1 && len(s) <= 8
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
