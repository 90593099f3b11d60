package screen_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hcsc-kz/kiosk/flows/i18n"
)

// catalogKey matches a string literal shaped like a catalog key.
var catalogKey = regexp.MustCompile(`"((?:button|screen|field|sex|device|service|lang|precheck|ticket|tech)\.[a-z_.]+)"`)

// TestKeysInCatalogs reads the screens' source for every catalog key they
// name and checks each is in all three languages: a typo would otherwise
// show the visitor the key instead of words.
func TestKeysInCatalogs(t *testing.T) {
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range catalogKey.FindAllStringSubmatch(string(src), -1) {
			found++
			for _, l := range i18n.Languages() {
				if !cat.Has(l, m[1]) {
					t.Errorf("%s: key %q is not in the %s catalog", f, m[1], l)
				}
			}
		}
	}
	if found < 40 {
		t.Errorf("found %d keys in the screens' source, want the 40 and more they use: has the pattern gone stale?", found)
	}
}
