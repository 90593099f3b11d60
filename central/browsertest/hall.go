package browsertest

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/central/console"
	"github.com/hcsc-kz/kiosk/central/store/sqlite"
	"github.com/hcsc-kz/kiosk/central/storetest"
	"github.com/hcsc-kz/kiosk/devices/mrz"
)

// Password is every user's password in a Hall.
const Password = "correct horse battery"

// Hall is a central server as cmd/central serves it, the console mounted
// at /console/, on TLS loopback (the console's cookies are Secure), with a
// real SQLite store in the test's directory and a settable clock.
type Hall struct {
	*httptest.Server
	Store    central.Store
	Clock    *storetest.Clock
	Registry central.Registry
	Central  *central.Server
}

// Options configure a Hall; the zero value is the demo's one branch,
// ALA-01, with kiosk K-01.
type Options struct {
	// Registry is the branches; empty means central.Demo(1).
	Registry central.Registry
	// Mount mounts more pages on the server before it serves, as
	// cmd/central does; nil mounts only the console.
	Mount func(srv *central.Server, st central.Store, o MountOptions) error
	// Logger gets the server's log; nil discards it.
	Logger *slog.Logger
}

// MountOptions is what Mount may need of the hall.
type MountOptions struct {
	Registry central.Registry
	Now      func() time.Time
	Logger   *slog.Logger
}

// Start serves a hall for the test; it stops with the test.
func Start(t testing.TB, o Options) *Hall {
	t.Helper()
	if len(o.Registry.Branches) == 0 {
		o.Registry = central.Demo(1)
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "central.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	clock := storetest.NewClock(storetest.Morning())
	srv, err := central.NewServer(central.Options{Store: st, Registry: o.Registry, Key: storetest.Key(), Now: clock.Now, Logger: o.Logger})
	if err != nil {
		st.Close()
		t.Fatal(err)
	}
	con, err := console.New(console.Options{Users: st, Registry: o.Registry, Now: clock.Now,
		Password: storetest.CheapPassword(), Queue: srv, Logger: o.Logger})
	if err != nil {
		srv.Close()
		st.Close()
		t.Fatal(err)
	}
	srv.Mount("/console/", con)
	if o.Mount != nil {
		if err := o.Mount(srv, st, MountOptions{Registry: o.Registry, Now: clock.Now, Logger: o.Logger}); err != nil {
			srv.Close()
			st.Close()
			t.Fatal(err)
		}
	}
	ts := httptest.NewTLSServer(srv)
	t.Cleanup(func() {
		srv.Close()
		ts.Close()
		st.Close()
	})
	return &Hall{Server: ts, Store: st, Clock: clock, Registry: o.Registry, Central: srv}
}

// AddUser adds a console user with Password.
func (h *Hall) AddUser(t testing.TB, login, name string, role central.Role, branch string) {
	t.Helper()
	if _, err := central.AddUser(context.Background(), h.Store, login, name, role, branch, []byte(Password),
		storetest.CheapPassword(), h.Clock.Now()); err != nil {
		t.Fatal(err)
	}
}

// Token mints a bearer token of the role for the branch (and kiosk, for
// a kiosk): a display's token goes in its address, ?token=.
func (h *Hall) Token(t testing.TB, role central.Role, branch, kiosk string) string {
	t.Helper()
	return storetest.Mint(t, h.Store, role, branch, kiosk)
}

// Advance moves the hall's clock on.
func (h *Hall) Advance(d time.Duration) { h.Clock.Set(h.Clock.Now().Add(d)) }

// Submit sends an application as its kiosk does and returns the ticket.
func (h *Hall) Submit(t testing.TB, a api.Application) api.Ticket {
	t.Helper()
	c := storetest.Bearer(h.Client(), h.Token(t, central.RoleKiosk, a.BranchID, a.KioskID))
	st, b := storetest.Do(t, c, "POST", h.URL+"/v1/applications", a)
	if st != http.StatusCreated {
		t.Fatalf("submit = %d: %s", st, b)
	}
	return storetest.Decode[api.Ticket](t, b)
}

// RussianPassport is the MRZ of the demo's Russian internal passport
// specimen (kiosk/demo, "RUS PN"), which codes the Cyrillic names.
var RussianPassport = [2]string{
	"PNRUSIVANOV<<IVAN<IVANOVI3<<<<<<<<<<<<<<<<<<",
	"4501234568RUS8001014M<<<<<<09250210770007<86",
}

// RussianApplication is what kiosk K-01 of ALA-01 submits for the
// Russian internal passport specimen, made from the parsed MRZ as the
// kiosk makes it: ИВАНОВ ИВАН ИВАНОВИЧ, in Latin IVANOV IVAN IVANOVICH.
func RussianApplication(t testing.TB, at time.Time) api.Application {
	t.Helper()
	d, err := mrz.ParseLines(RussianPassport[:], at)
	if err != nil {
		t.Fatalf("the RUS PN specimen: %v", err)
	}
	if d.Russian == nil {
		t.Fatal("the RUS PN specimen parsed without its Cyrillic names")
	}
	a := storetest.Application("K-01", api.LaneOrdinary, at)
	a.Phone = "+77011234567"
	a.Applicant = api.Applicant{DocumentCode: d.DocumentCode, DocumentNumber: d.DocumentNumber,
		IssuingState: d.IssuingState, Nationality: d.Nationality,
		Latin:     api.Name{Surname: d.Russian.LatinSurname, GivenNames: d.Russian.LatinGivenNames},
		Cyrillic:  &api.Name{Surname: d.Surname, GivenNames: d.GivenNames},
		BirthDate: d.BirthDate.String(), ExpiryDate: d.ExpiryDate.String(), Sex: d.Sex.String(), MRZValid: d.Valid}
	a.Precheck = api.Precheck{Decision: api.DecisionNeedsDocuments, TranslationRequired: true, TranslationSource: "policy",
		Checklist: []string{"precheck.item.passport", "precheck.item.notarized_translation"}}
	return a
}
