package enrol_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central/api"
	"github.com/hcsc-kz/kiosk/flows/i18n"
	"github.com/hcsc-kz/kiosk/kiosk/enrol"
)

const hwid = "4C4C4544-0042-3510-8051-B4C04F564433"

// client is an enrolment client of the stand-in, storing in a new folder,
// logging into log.
func client(t *testing.T, s *standIn, dir string, log *bytes.Buffer) *enrol.Client {
	t.Helper()
	c, err := enrol.NewClient(enrol.ClientOptions{BaseURL: s.srv.URL, TLS: s.serverCA(), Dir: dir, HardwareID: hwid,
		Logger: slog.New(slog.NewTextHandler(log, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// keyBytes reads the stored private key's scalar and its PEM, the things
// that must never leave the identity folder.
func keyBytes(t *testing.T, dir string) (pemText []byte, secrets [][]byte) {
	t.Helper()
	pemText, err := os.ReadFile(filepath.Join(dir, "key.pem"))
	if err != nil {
		t.Fatal(err)
	}
	blk, _ := pem.Decode(pemText)
	if blk == nil || blk.Type != "PRIVATE KEY" {
		t.Fatalf("key.pem holds no PKCS #8 PEM key:\n%s", pemText)
	}
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	ek := k.(*ecdsa.PrivateKey)
	d, err := ek.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	b64 := strings.Join(strings.Split(string(pemText), "\n")[1:3], "")
	return pemText, [][]byte{d, blk.Bytes, []byte(b64), []byte(fmt.Sprintf("%x", d))}
}

// TestEnrolStores enrols with a good code and checks what is stored: the
// folder 0700, every file 0600, an identity that loads with the answer's
// kiosk id and branch, a certificate for the key on the device, and the
// key in none of the request, the log or the identity.
func TestEnrolStores(t *testing.T) {
	s := newStandIn(t)
	s.code("123456789012", "K-07", "ALA-01")
	dir := filepath.Join(t.TempDir(), "identity")
	var log bytes.Buffer
	id, err := enrol.Enrol(context.Background(), client(t, s, dir, &log), "1234 5678-9012")
	if err != nil {
		t.Fatalf("Enrol = %v", err)
	}
	if id.KioskID != "K-07" || id.Branch != "ALA-01" || id.HardwareID != hwid || time.Until(id.NotAfter) < 300*24*time.Hour {
		t.Errorf("Enrol = %+v, want K-07 of ALA-01, %s, a year's certificate", id, hwid)
	}
	st, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if m := st.Mode().Perm(); m != 0o700 {
		t.Errorf("identity folder mode = %o, want 700", m)
	}
	ents, _ := os.ReadDir(dir)
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
		info, _ := e.Info()
		if m := info.Mode().Perm(); m != 0o600 {
			t.Errorf("%s mode = %o, want 600", e.Name(), m)
		}
	}
	if got := strings.Join(names, " "); got != "ca.pem cert.pem identity.json key.pem" {
		t.Errorf("identity folder holds %s, want ca.pem cert.pem identity.json key.pem and nothing else", got)
	}
	loaded, err := enrol.Load(dir)
	if err != nil {
		t.Fatalf("Load = %v", err)
	}
	if loaded.KioskID != id.KioskID || loaded.Branch != id.Branch || !loaded.NotAfter.Equal(id.NotAfter) {
		t.Errorf("Load = %+v, want %+v", loaded, id)
	}

	_, secrets := keyBytes(t, dir)
	idJSON, _ := json.Marshal(id)
	outputs := map[string][]byte{"log": log.Bytes(), "identity": []byte(fmt.Sprintf("%+v %s", *id, idJSON))}
	for i, b := range s.received() {
		outputs[fmt.Sprintf("request %d", i)] = b
	}
	for name, out := range outputs {
		for _, sec := range secrets {
			if bytes.Contains(out, sec) {
				t.Errorf("the private key is in the %s:\n%s", name, out)
			}
		}
		if bytes.Contains(out, []byte("PRIVATE KEY")) {
			t.Errorf("a private key PEM is in the %s", name)
		}
	}
	if !strings.Contains(log.String(), "enrolled") || strings.Contains(log.String(), "123456789012") {
		t.Errorf("log = %s, want the enrolment said and the code not", log.String())
	}
}

// TestReEnrolNewKey enrols twice: the second enrolment makes a new key
// (the stand-in signs two different public keys) and the identity is the
// second's.
func TestReEnrolNewKey(t *testing.T) {
	s := newStandIn(t)
	s.code("111111111111", "K-07", "ALA-01")
	s.code("222222222222", "K-08", "ALA-02")
	dir := t.TempDir()
	var log bytes.Buffer
	c := client(t, s, dir, &log)
	if _, err := enrol.Enrol(context.Background(), c, "111111111111"); err != nil {
		t.Fatal(err)
	}
	first, _ := keyBytes(t, dir)
	if _, err := enrol.Enrol(context.Background(), c, "222222222222"); err != nil {
		t.Fatal(err)
	}
	second, _ := keyBytes(t, dir)
	if bytes.Equal(first, second) {
		t.Error("re-enrolment kept the old key, want a new one")
	}
	if len(s.keys) != 2 || s.keys[0].Equal(s.keys[1]) {
		t.Errorf("stand-in signed %d keys, want two different ones", len(s.keys))
	}
	id, err := enrol.Load(dir)
	if err != nil || id.KioskID != "K-08" || id.Branch != "ALA-02" {
		t.Errorf("Load after re-enrolment = %+v, %v; want K-08 of ALA-02", id, err)
	}
}

// TestEnrolErrors gives each documented failure and checks its kind, its
// words in every language (distinct, never the Go error), and that an
// earlier identity is left as it was.
func TestEnrolErrors(t *testing.T) {
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		setup func(s *standIn)
		code  string
		kind  error
		key   string
		sent  bool
	}{
		{"short code", nil, "12345678901", enrol.ErrCodeShape, "enrol.error.short", false},
		{"letters", nil, "12345678901a", enrol.ErrCodeShape, "enrol.error.short", false},
		{"unknown code", nil, "999999999999", enrol.ErrCodeRefused, "enrol.error.refused", true},
		{"used code", func(s *standIn) {
			s.code("333333333333", "K-09", "ALA-01")
			c := client(s.t, s, s.t.TempDir(), &bytes.Buffer{})
			if _, err := enrol.Enrol(context.Background(), c, "333333333333"); err != nil {
				s.t.Fatal(err)
			}
		}, "333333333333", enrol.ErrCodeRefused, "enrol.error.refused", true},
		{"expired code", func(s *standIn) { s.codes["444444444444"] = grant{kiosk: "K-09", expired: true} },
			"444444444444", enrol.ErrCodeRefused, "enrol.error.refused", true},
		{"too many tries", func(s *standIn) { s.wrong = s.maxWrong }, "999999999999", enrol.ErrTooManyTries, "enrol.error.too_many", true},
		{"malformed (400)", func(s *standIn) {
			s.code("555555555555", "K-09", "ALA-01")
			s.answer = func(w http.ResponseWriter, _ api.Enrolment) { s.fail(w, 400, "invalid", "malformed") }
		}, "555555555555", enrol.ErrBadAnswer, "enrol.error.bad_answer", true},
		{"server error", func(s *standIn) {
			s.code("555555555555", "K-09", "ALA-01")
			s.answer = func(w http.ResponseWriter, _ api.Enrolment) { s.fail(w, 503, "unavailable", "later") }
		}, "555555555555", enrol.ErrUnreachable, "enrol.error.unreachable", true},
		{"down", func(s *standIn) { s.srv.Close() }, "555555555555", enrol.ErrUnreachable, "enrol.error.unreachable", false},
		{"body not JSON", func(s *standIn) {
			s.code("555555555555", "K-09", "ALA-01")
			s.answer = func(w http.ResponseWriter, _ api.Enrolment) {
				w.WriteHeader(http.StatusCreated)
				w.Write([]byte("<html>"))
			}
		}, "555555555555", enrol.ErrBadAnswer, "enrol.error.bad_answer", true},
		{"certificate for another key", func(s *standIn) {
			s.code("555555555555", "K-09", "ALA-01")
			s.answer = func(w http.ResponseWriter, e api.Enrolment) {
				e.Certificate = s.caPEM // a certificate, but not for the kiosk's key
				created(w, e)
			}
		}, "555555555555", enrol.ErrBadAnswer, "enrol.error.bad_answer", true},
		{"branch not an id", func(s *standIn) {
			s.code("555555555555", "K-09", "Алматы 1")
		}, "555555555555", enrol.ErrBadAnswer, "enrol.error.bad_answer", true},
		{"certificate for another kiosk", func(s *standIn) {
			s.code("555555555555", "K-09", "ALA-01")
			s.answer = func(w http.ResponseWriter, e api.Enrolment) {
				e.KioskID = "K-10"
				created(w, e)
			}
		}, "555555555555", enrol.ErrBadAnswer, "enrol.error.bad_answer", true},
	}
	texts := map[i18n.Lang]map[string]string{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStandIn(t)
			dir := t.TempDir()
			s.code("000000000001", "K-01", "ALA-01")
			var log bytes.Buffer
			if _, err := enrol.Enrol(context.Background(), client(t, s, dir, &log), "000000000001"); err != nil {
				t.Fatal(err)
			}
			before, _ := os.ReadFile(filepath.Join(dir, "key.pem"))
			if tt.setup != nil {
				tt.setup(s)
			}
			n := len(s.received())
			_, err := enrol.Enrol(context.Background(), client(t, s, dir, &log), tt.code)
			if !errors.Is(err, tt.kind) {
				t.Fatalf("Enrol = %v, want %v", err, tt.kind)
			}
			if sent := len(s.received()) > n; sent != tt.sent && tt.name != "down" {
				t.Errorf("request sent = %v, want %v", sent, tt.sent)
			}
			if m := enrol.Message(err); m.Key != tt.key {
				t.Errorf("Message(%v) = %q, want %q", err, m.Key, tt.key)
			}
			for _, l := range i18n.Languages() {
				if !cat.Has(l, tt.key) {
					t.Fatalf("%s has no %q", l, tt.key)
				}
				text := cat.Format(l, enrol.Message(err))
				if strings.Contains(text, "enrol:") || text == tt.key {
					t.Errorf("%s message = %q, want words, not the Go error", l, text)
				}
				if texts[l] == nil {
					texts[l] = map[string]string{}
				}
				texts[l][tt.key] = text
			}
			after, _ := os.ReadFile(filepath.Join(dir, "key.pem"))
			if id, err := enrol.Load(dir); err != nil || id.KioskID != "K-01" || !bytes.Equal(before, after) {
				t.Errorf("after a failed enrolment Load = %+v, %v, key kept = %v; want the earlier K-01 untouched", id, err, bytes.Equal(before, after))
			}
		})
	}
	for l, m := range texts {
		seen := map[string]string{}
		for key, text := range m {
			if other, dup := seen[text]; dup {
				t.Errorf("%s: %s and %s say the same %q", l, key, other, text)
			}
			seen[text] = key
		}
	}
}

// TestNotEnrolled: an empty or missing folder is ErrNotEnrolled.
func TestNotEnrolled(t *testing.T) {
	for _, dir := range []string{t.TempDir(), filepath.Join(t.TempDir(), "none")} {
		if _, err := enrol.Load(dir); !errors.Is(err, enrol.ErrNotEnrolled) {
			t.Errorf("Load(%s) = %v, want ErrNotEnrolled", dir, err)
		}
	}
}
