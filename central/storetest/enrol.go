package storetest

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central"
)

// codeHash stands for a code's keyed hash in the store's tests: the store
// keeps whatever bytes it is given.
func codeHash(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

// testEnrolCodes: the rules of the one-time codes as the store keeps them.
// A code works until it expires, once, for its own kiosk; a new code for
// the kiosk replaces the old; a use revokes the kiosk's earlier
// certificate and makes the new one current.
func testEnrolCodes(t *testing.T, open Open) {
	now := Morning()
	code := func(name, kiosk string) central.EnrolCode {
		return central.EnrolCode{Hash: codeHash(name), Branch: "ALA-01", Kiosk: kiosk, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
	}
	cert := func(serial, kiosk string, at time.Time) central.KioskCert {
		return central.KioskCert{Serial: serial, Kiosk: kiosk, Branch: "ALA-01", HardwareID: "dmi:" + serial, IssuedAt: at, NotAfter: at.Add(365 * 24 * time.Hour)}
	}
	type use struct {
		code   string // the code's name, hashed
		kiosk  string
		at     time.Duration // after now
		serial string
		ok     bool
	}
	for _, tc := range []struct {
		name    string
		codes   []central.EnrolCode // stored in order
		uses    []use
		current string // K-01's current serial after the uses; "" for none
	}{
		{"works before it expires", []central.EnrolCode{code("a", "K-01")},
			[]use{{"a", "K-01", 59 * time.Minute, "01", true}}, "01"},
		{"refused when it expires", []central.EnrolCode{code("a", "K-01")},
			[]use{{"a", "K-01", time.Hour, "01", false}}, ""},
		{"works once", []central.EnrolCode{code("a", "K-01")},
			[]use{{"a", "K-01", time.Minute, "01", true}, {"a", "K-01", 2 * time.Minute, "02", false}}, "01"},
		{"only for its kiosk", []central.EnrolCode{code("a", "K-01")},
			[]use{{"a", "K-02", time.Minute, "01", false}, {"a", "K-01", 2 * time.Minute, "02", true}}, "02"},
		{"unknown code", []central.EnrolCode{code("a", "K-01")},
			[]use{{"b", "K-01", time.Minute, "01", false}}, ""},
		{"a new code replaces the unused old one", []central.EnrolCode{code("a", "K-01"), code("b", "K-01")},
			[]use{{"a", "K-01", time.Minute, "01", false}, {"b", "K-01", 2 * time.Minute, "02", true}}, "02"},
		{"enrolling again revokes the old certificate", []central.EnrolCode{code("a", "K-01")},
			[]use{{"a", "K-01", time.Minute, "01", true}}, "03"}, // and a second code below
		{"another kiosk's code leaves K-01 alone", []central.EnrolCode{code("a", "K-01"), code("b", "K-02")},
			[]use{{"a", "K-01", time.Minute, "01", true}, {"b", "K-02", 2 * time.Minute, "02", true}}, "01"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			st := open(t)
			t.Cleanup(func() { st.Close() })
			for _, c := range tc.codes {
				if err := st.AddEnrolCode(ctx, c); err != nil {
					t.Fatalf("AddEnrolCode: %v", err)
				}
			}
			for _, u := range tc.uses {
				at := now.Add(u.at)
				found, ferr := st.EnrolCodeByHash(ctx, codeHash(u.code), at)
				err := st.Enrol(ctx, codeHash(u.code), cert(u.serial, u.kiosk, at))
				if u.ok != (err == nil) || (err != nil && !errors.Is(err, central.ErrNotFound)) {
					t.Errorf("code %s for %s at +%v: Enrol = %v, want ok=%v (else ErrNotFound)", u.code, u.kiosk, u.at, err, u.ok)
				}
				if u.ok && (ferr != nil || found.Kiosk != u.kiosk || found.Branch != "ALA-01") {
					t.Errorf("code %s at +%v: EnrolCodeByHash = %+v, %v before use; want its kiosk", u.code, u.at, found, ferr)
				}
				if _, err := st.EnrolCodeByHash(ctx, codeHash(u.code), at); u.ok && !errors.Is(err, central.ErrNotFound) {
					t.Errorf("code %s after the use at +%v: EnrolCodeByHash = %v, want ErrNotFound", u.code, u.at, err)
				}
			}
			if tc.current == "03" {
				again := code("c", "K-01")
				again.CreatedAt, again.ExpiresAt = now.Add(time.Hour), now.Add(2*time.Hour)
				if err := st.AddEnrolCode(ctx, again); err != nil {
					t.Fatal(err)
				}
				if err := st.Enrol(ctx, codeHash("c"), cert("03", "K-01", now.Add(90*time.Minute))); err != nil {
					t.Fatalf("enrolling again: %v", err)
				}
				list, err := st.KioskCerts(ctx)
				if err != nil || len(list) != 2 {
					t.Fatalf("KioskCerts = %+v, %v; want the old and the new", list, err)
				}
				if !list[0].RevokedAt.Equal(now.Add(90*time.Minute)) || list[0].Serial != "01" || !list[1].RevokedAt.IsZero() ||
					list[1].HardwareID != "dmi:03" || !list[1].IssuedAt.Equal(now.Add(90*time.Minute)) {
					t.Errorf("KioskCerts = %+v; want 01 revoked at the new one's issue, 03 current", list)
				}
			}
			got, err := st.CurrentKioskCert(ctx, "K-01")
			switch {
			case tc.current == "" && !errors.Is(err, central.ErrNotFound):
				t.Errorf("CurrentKioskCert(K-01) = %+v, %v; want ErrNotFound", got, err)
			case tc.current != "" && (err != nil || got.Serial != tc.current || got.Branch != "ALA-01"):
				t.Errorf("CurrentKioskCert(K-01) = %+v, %v; want serial %s", got, err, tc.current)
			}
		})
	}
}

// testEnrolRace: of many enrolments racing with one code, exactly one
// wins, and its certificate is the kiosk's current one.
func testEnrolRace(t *testing.T, open Open) {
	ctx := context.Background()
	st := open(t)
	t.Cleanup(func() { st.Close() })
	now := Morning()
	if err := st.AddEnrolCode(ctx, central.EnrolCode{Hash: codeHash("race"), Branch: "ALA-01", Kiosk: "K-01", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = st.Enrol(ctx, codeHash("race"), central.KioskCert{Serial: fmt.Sprint(i), Kiosk: "K-01", Branch: "ALA-01",
				IssuedAt: now.Add(time.Minute), NotAfter: now.Add(time.Hour)})
		}()
	}
	wg.Wait()
	winner := -1
	for i, err := range errs {
		switch {
		case err == nil && winner >= 0:
			t.Errorf("enrolments %d and %d both won", winner, i)
		case err == nil:
			winner = i
		case !errors.Is(err, central.ErrNotFound):
			t.Errorf("enrolment %d: %v, want ErrNotFound for a loser", i, err)
		}
	}
	if winner < 0 {
		t.Fatal("no enrolment won")
	}
	if c, err := st.CurrentKioskCert(ctx, "K-01"); err != nil || c.Serial != fmt.Sprint(winner) {
		t.Errorf("CurrentKioskCert = %+v, %v; want the winner's serial %d", c, err, winner)
	}
	if list, err := st.KioskCerts(ctx); err != nil || len(list) != 1 {
		t.Errorf("KioskCerts = %+v, %v; want the winner's alone", list, err)
	}
}

// testKioskRevoke: revoking leaves the kiosk without a current
// certificate, once; other kiosks keep theirs; a code of another kiosk
// with the same hash is refused.
func testKioskRevoke(t *testing.T, open Open) {
	ctx := context.Background()
	st := open(t)
	t.Cleanup(func() { st.Close() })
	now := Morning()
	for i, k := range []string{"K-01", "K-02"} {
		h := codeHash(k)
		if err := st.AddEnrolCode(ctx, central.EnrolCode{Hash: h, Branch: "ALA-01", Kiosk: k, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		if err := st.Enrol(ctx, h, central.KioskCert{Serial: fmt.Sprint(i), Kiosk: k, Branch: "ALA-01", IssuedAt: now, NotAfter: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.AddEnrolCode(ctx, central.EnrolCode{Hash: codeHash("K-01"), Branch: "ALA-01", Kiosk: "K-03", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); !errors.Is(err, central.ErrConflict) {
		t.Errorf("AddEnrolCode with another kiosk's hash = %v, want ErrConflict", err)
	}
	if n, err := st.RevokeKioskCerts(ctx, "K-01", now.Add(time.Minute)); n != 1 || err != nil {
		t.Errorf("RevokeKioskCerts(K-01) = %d, %v; want 1", n, err)
	}
	if n, err := st.RevokeKioskCerts(ctx, "K-01", now.Add(time.Hour)); n != 0 || err != nil {
		t.Errorf("RevokeKioskCerts(K-01) again = %d, %v; want 0", n, err)
	}
	if _, err := st.CurrentKioskCert(ctx, "K-01"); !errors.Is(err, central.ErrNotFound) {
		t.Errorf("CurrentKioskCert(K-01) after revoke = %v, want ErrNotFound", err)
	}
	if c, err := st.CurrentKioskCert(ctx, "K-02"); err != nil || c.Serial != "1" {
		t.Errorf("CurrentKioskCert(K-02) = %+v, %v; want serial 1", c, err)
	}
	list, err := st.KioskCerts(ctx)
	if err != nil || len(list) != 2 || !list[0].RevokedAt.Equal(now.Add(time.Minute)) || !list[1].RevokedAt.IsZero() {
		t.Errorf("KioskCerts = %+v, %v; want K-01's revoked at the first revocation and K-02's current", list, err)
	}
}
