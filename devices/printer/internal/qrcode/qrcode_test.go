package qrcode

import "testing"

func TestBitmap(t *testing.T) {
	tests := map[string]struct {
		data    string
		scale   int
		modules int
	}{
		"short reference":    {"ST-7QK2-9F4M", 1, 21},
		"scaled":             {"ST-7QK2-9F4M", 3, 21},
		"longer, version up": {"https://status.example/ST-7QK2-9F4M-2025-05-16", 2, 33},
		"scale below 1 is 1": {"A", 0, 21},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			bm, n, err := Bitmap(tt.data, tt.scale)
			if err != nil {
				t.Fatal(err)
			}
			s := max(tt.scale, 1)
			if n != tt.modules || bm.W != n*s || bm.H != n*s {
				t.Errorf("Bitmap(%q, %d) = %d modules, %d×%d dots; want %d modules", tt.data, tt.scale, n, bm.W, bm.H, tt.modules)
			}
			// The finder pattern: the top-left module is dark, the one
			// inside its white ring is light.
			if !bm.At(0, 0) || bm.At(s, s) {
				t.Errorf("Bitmap(%q) has no finder pattern at the corner", tt.data)
			}
		})
	}
	if _, _, err := Bitmap("", 1); err == nil {
		t.Error("Bitmap(\"\") = nil error")
	}
}
