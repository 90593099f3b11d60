package i18n_test

import (
	"os"
	"strings"
	"testing"
)

// TestOneWordForPassport checks the Kazakh catalog says «төлқұжат» for a
// passport everywhere: a visitor who reads «паспорт» on one screen and
// «төлқұжат» on the next wonders whether they are two documents.
func TestOneWordForPassport(t *testing.T) {
	src, err := os.ReadFile("catalog/kk.toml")
	if err != nil {
		t.Fatal(err)
	}
	for i, line := range strings.Split(string(src), "\n") {
		if strings.Contains(strings.ToLower(line), "паспорт") {
			t.Errorf("kk.toml:%d: %q says «паспорт»; the Kazakh word is «төлқұжат»", i+1, line)
		}
	}
}
