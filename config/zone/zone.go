// Package zone loads the time zones of the branches: Kazakhstan's from zone
// data built into the binary, so that neither the kiosk nor the backend
// depends on the zone files of the image it runs on.
//
// Kazakhstan moved to one zone, UTC+5, at 00:00 on 1 March 2024 (tzdata
// 2024a). An image whose /usr/share/zoneinfo is older still puts Almaty and
// Qostanay at +06, and time.LoadLocation prefers those files (and ZONEINFO)
// to Go's own copy (time/tzdata), which is only its fallback: the ready date
// and the ticket's time would be an hour off. Load reads Kazakhstan's zones
// from the copy in tzdata/ first and falls back to time.LoadLocation only for
// other zones.
package zone

import (
	"embed"
	"io/fs"
	"path"
	"slices"
	"time"
	_ "time/tzdata" // the fallback for zones other than Kazakhstan's on an image without zone files
)

//go:generate go run gen.go

// Version is the tzdata release the built-in zones were copied from
// (gen.go copies them from the Go distribution).
const Version = "2025c"

//go:embed tzdata
var tzdata embed.FS

// Load returns the zone called name. Kazakhstan's zones (Kazakh lists them)
// come from the built-in data whatever the image's files or ZONEINFO say;
// any other name is loaded by time.LoadLocation.
func Load(name string) (*time.Location, error) {
	if fs.ValidPath(name) {
		if b, err := tzdata.ReadFile(path.Join("tzdata", name)); err == nil {
			return time.LoadLocationFromTZData(name, b)
		}
	}
	return time.LoadLocation(name)
}

// Kazakh returns the names of the built-in zones, sorted: Kazakhstan's zones
// in the tz database.
func Kazakh() []string {
	var names []string
	// The walk reads only the embedded tree, which cannot fail.
	_ = fs.WalkDir(tzdata, "tzdata", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			names = append(names, p[len("tzdata/"):])
		}
		return err
	})
	slices.Sort(names)
	return names
}
