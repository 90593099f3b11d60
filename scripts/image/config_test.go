package flash

import (
	"path/filepath"
	"testing"

	"github.com/hcsc-kz/kiosk/config"
)

// TestImageConfigs: the configurations the image ships load and pass the
// kiosk's own check, and the kiosk's enrols on its first boot.
func TestImageConfigs(t *testing.T) {
	for _, name := range []string{"kiosk.toml", "smoke.toml"} {
		t.Run(name, func(t *testing.T) {
			c, err := config.Load(filepath.Join("rootfs/etc/kiosk", name))
			if err != nil {
				t.Fatal(err)
			}
			if err := c.Validate(); err != nil {
				t.Fatal(err)
			}
			if name == "kiosk.toml" && (!c.Backend.Enrol || c.Kiosk.ID != "" || c.Kiosk.Branch != "") {
				t.Errorf("the image's kiosk does not enrol on its first boot: enrol %v, id %q, branch %q", c.Backend.Enrol, c.Kiosk.ID, c.Kiosk.Branch)
			}
		})
	}
}
