//go:build ignore

// gen copies Kazakhstan's zones out of the Go distribution's zone data
// ($GOROOT/lib/time/zoneinfo.zip) into tzdata/, for package zone to embed.
// Run it with `go generate ./config/zone` after a Go upgrade brings newer
// zone data, and set Version in zone.go to the release it came from
// (CODE= in $GOROOT/lib/time/update.bash).
package main

import (
	"archive/zip"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"time"
)

// kazakh are Kazakhstan's zones in the tz database.
var kazakh = []string{
	"Asia/Almaty", "Asia/Aqtau", "Asia/Aqtobe", "Asia/Atyrau",
	"Asia/Oral", "Asia/Qostanay", "Asia/Qyzylorda",
}

func main() {
	zr, err := zip.OpenReader(filepath.Join(runtime.GOROOT(), "lib", "time", "zoneinfo.zip"))
	if err != nil {
		log.Fatal(err)
	}
	defer zr.Close()
	for _, name := range kazakh {
		b, err := readZone(&zr.Reader, name)
		if err != nil {
			log.Fatal(err)
		}
		// The reason the copy exists: refuse data older than tzdata 2024a.
		loc, err := time.LoadLocationFromTZData(name, b)
		if err != nil {
			log.Fatalf("%s: %v", name, err)
		}
		if _, off := time.Date(2024, time.March, 1, 12, 0, 0, 0, loc).Zone(); off != 5*60*60 {
			log.Fatalf("%s is UTC%+d on 2024-03-01: zone data older than tzdata 2024a", name, off/3600)
		}
		out := filepath.Join("tzdata", filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			log.Fatal(err)
		}
		if err := os.WriteFile(out, b, 0o644); err != nil {
			log.Fatal(err)
		}
	}
}

func readZone(zr *zip.Reader, name string) ([]byte, error) {
	for _, f := range zr.File {
		if f.Name != name {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		defer rc.Close()
		return io.ReadAll(rc)
	}
	return nil, fmt.Errorf("%s: not in the Go distribution's zoneinfo.zip", name)
}
