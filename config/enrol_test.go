package config_test

import (
	"testing"

	"github.com/hcsc-kz/kiosk/config"
)

// TestEnrolRules: with backend.enrol the client certificate comes from the
// enrolment, so an https backend needs no client_cert, a client_cert or
// client_key set beside it is refused, and an empty kiosk id or branch is
// fine (the enrolment gives them).
func TestEnrolRules(t *testing.T) {
	tests := map[string]struct {
		doc  string
		want []want
	}{
		"https with enrolment": {
			"[backend]\nurl = \"https://backend.example.kz\"\nenrol = true\n", nil,
		},
		"enrolment and a client certificate": {
			"[backend]\nurl = \"https://backend.example.kz\"\nenrol = true\nclient_cert = \"c.pem\"\nclient_key = \"k.pem\"\n",
			[]want{{"backend.client_cert", 4, "backend.enrol is true"}},
		},
		"enrolment and a client key": {
			"[backend]\nenrol = true\nclient_key = \"k.pem\"\n",
			[]want{{"backend.client_key", 3, "leave client_cert and client_key empty"}},
		},
		"enrolment with an empty id": {
			"[kiosk]\nid = \"\"\nbranch = \"\"\n[backend]\nenrol = true\n", nil,
		},
		"enrolment with a bad id": {
			"[kiosk]\nid = \"K 01\"\n[backend]\nenrol = true\n",
			[]want{{"kiosk.id", 2, "Latin letters"}},
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			checkProblems(t, tt.doc, problems(t, tt.doc), tt.want)
		})
	}
}

// TestEnrolLeavesIdentityEmpty: an enrolled kiosk's file that does not
// name the kiosk gets no default id or branch (the demo's K-01 would
// contradict its certificate); one that names them keeps them.
func TestEnrolLeavesIdentityEmpty(t *testing.T) {
	tests := []struct {
		doc, id, branch string
	}{
		{"[backend]\nenrol = true\n", "", ""},
		{"[kiosk]\nid = \"K-07\"\n[backend]\nenrol = true\n", "K-07", ""},
		{"[kiosk]\nbranch = \"AST-02\"\n[backend]\nenrol = true\n", "", "AST-02"},
		{"[backend]\nenrol = false\n", "K-01", "ALA-01"},
	}
	for _, tt := range tests {
		c, err := config.Parse("t.toml", []byte(tt.doc))
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.doc, err)
		}
		if c.Kiosk.ID != tt.id || c.Kiosk.Branch != tt.branch {
			t.Errorf("Parse(%q) kiosk = %q, %q, want %q, %q", tt.doc, c.Kiosk.ID, c.Kiosk.Branch, tt.id, tt.branch)
		}
	}
}
