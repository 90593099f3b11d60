package central_test

import (
	"strings"
	"testing"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/storetest"
)

func TestCheckLogin(t *testing.T) {
	tests := []struct{ in, want string }{
		{"clerk1", "clerk1"},
		{"  A.Nurlanova ", "a.nurlanova"},
		{"k_2-x", "k_2-x"},
		{"", ""},
		{".hidden", ""},
		{"-x", ""},
		{"a b", ""},
		{"айгерім", ""},
		{"a/../b", ""},
		{strings.Repeat("a", 64), strings.Repeat("a", 64)},
		{strings.Repeat("a", 65), ""},
	}
	for _, tc := range tests {
		got, err := central.CheckLogin(tc.in)
		if got != tc.want || (err == nil) != (tc.want != "") {
			t.Errorf("CheckLogin(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestCheckPassword(t *testing.T) {
	tests := []struct {
		pw string
		ok bool
	}{
		{"123456789", false},
		{"1234567890", true},
		{"Құпиясөз12", true}, // ten characters, more bytes
		{"Құпиясөз1", false}, // nine characters, seventeen bytes
		{strings.Repeat("x", central.MaxPassword), true},
		{strings.Repeat("x", central.MaxPassword+1), false},
		{"\xff\xfe invalid utf-8", false},
	}
	for _, tc := range tests {
		if err := central.CheckPassword([]byte(tc.pw)); (err == nil) != tc.ok {
			t.Errorf("CheckPassword(%q) = %v, want ok %v", tc.pw, err, tc.ok)
		}
	}
}

// TestVerifyPassword: a hash verifies its password only; a malformed hash,
// or one asking for costs out of bounds (a terabyte would take the server
// down before failing), verifies nothing.
func TestVerifyPassword(t *testing.T) {
	pw := []byte("correct horse")
	h, err := central.HashPassword(pw, storetest.CheapPassword())
	if err != nil {
		t.Fatal(err)
	}
	h2, _ := central.HashPassword(pw, storetest.CheapPassword())
	if h == h2 {
		t.Error("two hashes of one password are equal: no salt")
	}
	if !central.VerifyPassword(h, pw) || central.VerifyPassword(h, []byte("correct horsE")) {
		t.Fatalf("hash %s: verifies the wrong password or not the right one", h)
	}
	parts := strings.Split(h, "$") // "", argon2id, v=19, m=64,t=1,p=1, salt, key
	with := func(i int, v string) string {
		p := append([]string(nil), parts...)
		p[i] = v
		return strings.Join(p, "$")
	}
	bad := map[string]string{
		"empty":          "",
		"argon2i":        with(1, "argon2i"),
		"old version":    with(2, "v=16"),
		"a terabyte":     with(3, "m=1073741824,t=1,p=1"),
		"a thousand":     with(3, "m=64,t=1000,p=1"),
		"no lanes":       with(3, "m=64,t=1,p=0"),
		"unknown cost":   with(3, "m=64,t=1,p=1,x=2"),
		"salt not b64":   with(4, "!!!!"),
		"short key":      with(5, "AAAA"),
		"other costs":    with(3, "m=64,t=2,p=1"),
		"missing fields": strings.Join(parts[:5], "$"),
	}
	for name, hash := range bad {
		if central.VerifyPassword(hash, pw) {
			t.Errorf("%s: %q verifies", name, hash)
		}
	}
}
