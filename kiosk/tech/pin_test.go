package tech_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/kiosk/tech"
	"github.com/hcsc-kz/kiosk/kiosk/uitest"
)

// cheap are test costs: the hash format and the checks are the same as
// with the defaults, in microseconds.
func cheap() tech.Params { return tech.Params{Memory: 64, Time: 1, Threads: 1} }

func TestHashPIN(t *testing.T) {
	tests := map[string]struct {
		pin, try string
		p        tech.Params
		hashErr  error
		ok       bool
	}{
		"right PIN":          {pin: "135790", try: "135790", p: cheap(), ok: true},
		"right long PIN":     {pin: "123456789012", try: "123456789012", p: cheap(), ok: true},
		"wrong PIN":          {pin: "135790", try: "135791", p: cheap()},
		"prefix":             {pin: "1234567", try: "123456", p: cheap()},
		"letters tried":      {pin: "135790", try: "13a790", p: cheap()},
		"default costs":      {pin: "246810", try: "246810", p: tech.DefaultParams(), ok: true},
		"four digits":        {pin: "1234", p: cheap(), hashErr: tech.ErrPINFormat},
		"five digits":        {pin: "12345", p: cheap(), hashErr: tech.ErrPINFormat},
		"thirteen digits":    {pin: "1234567890123", p: cheap(), hashErr: tech.ErrPINFormat},
		"letters":            {pin: "12ab56", p: cheap(), hashErr: tech.ErrPINFormat},
		"Arabic-Indic digit": {pin: "12345٤", p: cheap(), hashErr: tech.ErrPINFormat},
		"no passes":          {pin: "135790", p: tech.Params{Memory: 64, Threads: 1}, hashErr: tech.ErrHashFormat},
		"no lanes":           {pin: "135790", p: tech.Params{Memory: 64, Time: 1}, hashErr: tech.ErrHashFormat},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			s, err := tech.HashPIN([]byte(tc.pin), tc.p)
			if !errors.Is(err, tc.hashErr) {
				t.Fatalf("HashPIN(%q) error = %v, want %v", tc.pin, err, tc.hashErr)
			}
			if err != nil {
				return
			}
			if !strings.HasPrefix(s, "$argon2id$v=19$") || strings.Contains(s, tc.pin) {
				t.Errorf("HashPIN(%q) = %q, want a PHC argon2id string without the PIN", tc.pin, s)
			}
			h, err := tech.ParseHash(s)
			if err != nil {
				t.Fatalf("ParseHash(HashPIN(%q)) error = %v", tc.pin, err)
			}
			if h.Params() != tc.p {
				t.Errorf("Params() = %+v, want %+v", h.Params(), tc.p)
			}
			if got := h.Verify([]byte(tc.try)); got != tc.ok {
				t.Errorf("Verify(%q) against %q = %t, want %t", tc.try, tc.pin, got, tc.ok)
			}
		})
	}
}

// TestHashPINSalted: one PIN hashed twice gives two strings, both right.
func TestHashPINSalted(t *testing.T) {
	a, err := tech.HashPIN([]byte("135790"), cheap())
	if err != nil {
		t.Fatal(err)
	}
	b, err := tech.HashPIN([]byte("135790"), cheap())
	if err != nil {
		t.Fatal(err)
	}
	if a == b {
		t.Errorf("HashPIN twice = %q both times, want fresh salts", a)
	}
}

func TestParseHash(t *testing.T) {
	good, err := tech.HashPIN([]byte("135790"), cheap())
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Split(good, "$") // "", alg, v, costs, salt, key
	join := func(parts ...string) string { return strings.Join(parts, "$") }
	tests := map[string]struct {
		in     string
		detail string
	}{
		"the PIN itself":  {"135790", "5 fields"},
		"empty":           {"", "5 fields"},
		"argon2i":         {join("", "argon2i", f[2], f[3], f[4], f[5]), "argon2id"},
		"bcrypt":          {"$2a$10$abcdefghijklmnopqrstuuAbCdEfGhIjKlMnOpQrStUvWxYz01234", "5 fields"},
		"old version":     {join("", f[1], "v=16", f[3], f[4], f[5]), "v=19"},
		"memory too big":  {join("", f[1], f[2], "m=4194304,t=1,p=1", f[4], f[5]), "memory"},
		"too many passes": {join("", f[1], f[2], "m=64,t=1000,p=1", f[4], f[5]), "passes"},
		"too many lanes":  {join("", f[1], f[2], "m=65536,t=1,p=300", f[4], f[5]), "lanes"},
		"unknown cost":    {join("", f[1], f[2], "m=64,t=1,p=1,x=2", f[4], f[5]), "unknown cost"},
		"cost not number": {join("", f[1], f[2], "m=lots,t=1,p=1", f[4], f[5]), "not a number"},
		"salt not base64": {join("", f[1], f[2], f[3], "!!!!", f[5]), "salt"},
		"short salt":      {join("", f[1], f[2], f[3], "c2FsdA", f[5]), "salt"},
		"short key":       {join("", f[1], f[2], f[3], f[4], "a2V5a2V5"), "key"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := tech.ParseHash(tc.in)
			var he *tech.HashError
			if !errors.Is(err, tech.ErrHashFormat) || !errors.As(err, &he) || !strings.Contains(he.Detail, tc.detail) {
				t.Fatalf("ParseHash(%q) error = %v, want ErrHashFormat saying %q", tc.in, err, tc.detail)
			}
			if len(tc.in) > 8 && strings.Contains(err.Error(), tc.in) {
				t.Errorf("ParseHash error %q quotes the hash", err)
			}
		})
	}
}

func TestLock(t *testing.T) {
	hash, err := tech.HashPIN([]byte("246813"), cheap())
	if err != nil {
		t.Fatal(err)
	}
	type try struct {
		wait time.Duration // clock moved before the try
		pin  string
		err  error
		left int
	}
	wrong := func(left int) try { return try{pin: "111111", err: tech.ErrWrongPIN, left: left} }
	right := try{pin: "246813"}
	locked := func(pin string) try { return try{pin: pin, err: tech.ErrLocked} }
	tests := map[string][]try{
		"right at once":               {right},
		"four wrong then right":       {wrong(4), wrong(3), wrong(2), wrong(1), right},
		"right resets the count":      {wrong(4), wrong(3), wrong(2), wrong(1), right, wrong(4), wrong(3), wrong(2), wrong(1), right},
		"fifth wrong locks":           {wrong(4), wrong(3), wrong(2), wrong(1), locked("111111"), locked("246813")},
		"locked until the end":        {wrong(4), wrong(3), wrong(2), wrong(1), locked("111111"), {wait: tech.Lockout - time.Second, pin: "246813", err: tech.ErrLocked}},
		"open after the lockout":      {wrong(4), wrong(3), wrong(2), wrong(1), locked("111111"), {wait: tech.Lockout, pin: "246813"}},
		"five more after the lockout": {wrong(4), wrong(3), wrong(2), wrong(1), locked("111111"), {wait: tech.Lockout, pin: "0", err: tech.ErrWrongPIN, left: 4}},
		"short PIN counts as wrong":   {{pin: "1", err: tech.ErrWrongPIN, left: 4}},
		"old 4-digit PIN as wrong":    {{pin: "2468", err: tech.ErrWrongPIN, left: 4}},
	}
	for name, tries := range tests {
		t.Run(name, func(t *testing.T) {
			clk := uitest.NewClock(time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC))
			l, err := tech.NewLock(hash, "", clk.Now)
			if err != nil {
				t.Fatal(err)
			}
			for i, tr := range tries {
				clk.Add(tr.wait)
				err := l.Try([]byte(tr.pin))
				if !errors.Is(err, tr.err) {
					t.Fatalf("try %d: Try(%q) = %v, want %v", i, tr.pin, err, tr.err)
				}
				var ae *tech.AttemptError
				if err != nil && (!errors.As(err, &ae) || ae.Left != tr.left) {
					t.Errorf("try %d: Try(%q) = %#v, want %d tries left", i, tr.pin, err, tr.left)
				}
				if err != nil && strings.Contains(err.Error(), tr.pin) && len(tr.pin) > 1 {
					t.Errorf("try %d: error %q quotes the PIN", i, err)
				}
				_, isLocked := l.Locked()
				if wantLocked := errors.Is(tr.err, tech.ErrLocked); isLocked != wantLocked {
					t.Errorf("try %d: Locked() = %t, want %t", i, isLocked, wantLocked)
				}
			}
		})
	}
}

func TestNewLock(t *testing.T) {
	for name, in := range map[string]string{"empty": "", "PIN in clear": "1234", "truncated": "$argon2id$v=19$m=64,t=1,p=1$"} {
		t.Run(name, func(t *testing.T) {
			if _, err := tech.NewLock(in, "", nil); !errors.Is(err, tech.ErrHashFormat) {
				t.Errorf("NewLock(%q) error = %v, want ErrHashFormat", in, err)
			}
		})
	}
}
