package storetest

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
)

// testTokens asks the store itself: a token is found by its hash until it
// is revoked, after which it answers exactly as an unknown one; the list
// shows every token without its hash.
func testTokens(t *testing.T, open Open) {
	ctx := context.Background()
	st := open(t)
	t.Cleanup(func() { st.Close() })
	now := Morning()
	clerk, rec, err := central.MintToken(ctx, st, central.RoleClerk, "ALA-01", "", "window 3", now)
	if err != nil {
		t.Fatal(err)
	}
	kiosk, _, err := central.MintToken(ctx, st, central.RoleKiosk, "ALA-01", "K-01", "", now.Add(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(clerk, central.TokenPrefix) || len(clerk) < 40 || clerk == kiosk {
		t.Fatalf("tokens %q and %q: want two distinct long tokens with the prefix", clerk, kiosk)
	}
	got, err := st.TokenByHash(ctx, central.HashToken(clerk))
	if err != nil || got.ID != rec.ID || got.Role != central.RoleClerk || got.Branch != "ALA-01" || got.Kiosk != "" ||
		got.Name != "window 3" || !got.CreatedAt.Equal(now) || string(got.Hash) != string(central.HashToken(clerk)) {
		t.Fatalf("TokenByHash(clerk) = %+v, %v; want the clerk's record", got, err)
	}
	if err := st.AddToken(ctx, central.TokenRecord{ID: "other", Hash: central.HashToken(clerk), Role: central.RoleAdmin, CreatedAt: now}); !errors.Is(err, central.ErrConflict) {
		t.Errorf("AddToken with a stored hash = %v, want ErrConflict", err)
	}
	if err := st.RevokeToken(ctx, rec.ID, now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := st.RevokeToken(ctx, rec.ID, now.Add(time.Hour)); err != nil {
		t.Errorf("revoking twice = %v, want nil", err)
	}
	if err := st.RevokeToken(ctx, "nosuchid", now); !errors.Is(err, central.ErrNotFound) {
		t.Errorf("revoking an unknown id = %v, want ErrNotFound", err)
	}
	_, revoked := st.TokenByHash(ctx, central.HashToken(clerk))
	_, unknown := st.TokenByHash(ctx, central.HashToken(central.TokenPrefix+strings.Repeat("A", 43)))
	if !errors.Is(revoked, central.ErrNotFound) || !errors.Is(unknown, central.ErrNotFound) {
		t.Errorf("TokenByHash of a revoked, an unknown token = %v, %v; want ErrNotFound for both", revoked, unknown)
	}
	if _, err := st.TokenByHash(ctx, central.HashToken(kiosk)); err != nil {
		t.Errorf("the kiosk's token after the clerk's was revoked: %v", err)
	}
	list, err := st.Tokens(ctx)
	if err != nil || len(list) != 2 {
		t.Fatalf("Tokens = %d tokens, %v; want 2", len(list), err)
	}
	if l := list[0]; l.ID != rec.ID || l.Hash != nil || !l.RevokedAt.Equal(now.Add(time.Minute)) || l.Name != "window 3" {
		t.Errorf("Tokens[0] = %+v, want the clerk's, revoked at the first revocation, without hash", l)
	}
	if l := list[1]; l.Role != central.RoleKiosk || l.Kiosk != "K-01" || !l.RevokedAt.IsZero() || l.Hash != nil {
		t.Errorf("Tokens[1] = %+v, want the kiosk's, valid, without hash", l)
	}
}

// testLendLimit: a kiosk holds at most central.MaxOutstanding lent numbers a
// day; a block beyond it is shortened, then refused; numbers it uses free
// room again, and another kiosk or another day is not affected.
func testLendLimit(t *testing.T, open Open) {
	clock := NewClock(Morning())
	ts := Start(t, open(t), clock, 2)
	k1 := ts.Kiosk(t, "K-01")
	lend := func(c *http.Client, kiosk string, size int) (int, api.Block) {
		st, b := Do(t, c, "POST", ts.URL+"/v1/kiosks/"+kiosk+"/number-blocks", api.BlockRequest{BranchID: "ALA-01", Service: "iin", Size: size})
		if st != http.StatusCreated {
			if e := Decode[api.Error](t, b); st != http.StatusConflict || e.Code != api.CodeLendLimit {
				t.Errorf("lend refused with %d %+v, want 409 lend-limit", st, e)
			}
			return st, api.Block{}
		}
		return st, Decode[api.Block](t, b)
	}
	var first api.Block
	total := 0
	for i := 0; ; i++ {
		st, blk := lend(k1, "K-01", 1000)
		if i == 0 {
			first = blk
		}
		if st != http.StatusCreated {
			break
		}
		if len(blk.Numbers) > central.MaxBlock {
			t.Fatalf("block of %d numbers, want at most %d", len(blk.Numbers), central.MaxBlock)
		}
		total += len(blk.Numbers)
		if i > central.MaxOutstanding {
			t.Fatal("the lending never stops")
		}
	}
	if total != central.MaxOutstanding {
		t.Errorf("K-01 borrowed %d numbers, want %d", total, central.MaxOutstanding)
	}
	// Two lent numbers used: room for exactly two.
	for _, n := range first.Numbers[:2] {
		a := Application("K-01", api.LaneOrdinary, clock.Now())
		a.Offline = &api.OfflineTicket{Number: n, Source: api.OfflineLent, IssuedAt: clock.Now()}
		mustSubmit(t, ts, a)
	}
	if st, blk := lend(k1, "K-01", 5); st != http.StatusCreated || len(blk.Numbers) != 2 {
		t.Errorf("after two used, lend 5 = %d with %d numbers, want 201 with 2", st, len(blk.Numbers))
	}
	if st, blk := lend(ts.Kiosk(t, "K-02"), "K-02", 5); st != http.StatusCreated || len(blk.Numbers) != 5 {
		t.Errorf("K-02 lend 5 = %d with %d numbers, want 201 with 5", st, len(blk.Numbers))
	}
	clock.Set(clock.Now().Add(24 * time.Hour))
	if st, blk := lend(k1, "K-01", 5); st != http.StatusCreated || len(blk.Numbers) != 5 {
		t.Errorf("K-01 the next day, lend 5 = %d with %d numbers, want 201 with 5", st, len(blk.Numbers))
	}
}
