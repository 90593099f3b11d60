package api_test

import (
	"testing"

	"github.com/hcsc-kz/kiosk/central/api"
)

func TestValidID(t *testing.T) {
	cases := map[string]bool{
		"5f0c6a8e-3b7d-4c1e-9a2f-6d8b1e4c7a90":  true,
		"5F0C6A8E-3B7D-4C1E-9A2F-6D8B1E4C7A90":  false, // canonical form is lower case
		"5f0c6a8e3b7d4c1e9a2f6d8b1e4c7a90":      false,
		"5f0c6a8e-3b7d-4c1e-9a2f-6d8b1e4c7a9":   false,
		"5f0c6a8e-3b7d-4c1e-9a2f-6d8b1e4c7a90x": false,
		"5f0c6a8e_3b7d-4c1e-9a2f-6d8b1e4c7a90":  false,
		"":                                      false,
	}
	for in, want := range cases {
		if got := api.ValidID(in); got != want {
			t.Errorf("ValidID(%q) = %v, want %v", in, got, want)
		}
	}
	seen := map[string]bool{}
	for range 100 {
		id := api.NewID()
		if !api.ValidID(id) || id[14] != '4' || seen[id] {
			t.Fatalf("NewID() = %q: not a fresh version-4 UUID", id)
		}
		seen[id] = true
	}
}

func TestMaskID(t *testing.T) {
	cases := map[string]string{"5f0c6a8e-3b7d-4c1e-9a2f-6d8b1e4c7a90": "5f0c6a8e…", "short": "short"}
	for in, want := range cases {
		if got := api.MaskID(in); got != want {
			t.Errorf("MaskID(%q) = %q, want %q", in, got, want)
		}
	}
}
