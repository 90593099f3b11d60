package browsertest_test

import (
	"os"
	"testing"

	"github.com/hcsc-kz/kiosk/central/browsertest"
)

// chromium is the one browser of this test binary, a tab per test.
var chromium browsertest.Chromium

func TestMain(m *testing.M) {
	code := m.Run()
	chromium.Close()
	os.Exit(code)
}
