package scanner_test

import (
	"reflect"
	"testing"
	"time"

	"go.bug.st/serial"
	"periph.io/x/conn/v3/physic"

	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/devices/scanner"
)

func TestFromConfig(t *testing.T) {
	full := config.Scanner{
		Port: "/dev/ttyACM0", Baud: 115200, DataBits: 7, Parity: "even", StopBits: "2",
		Prefix: "]M", Suffix: "\r\r", DedupeWindow: config.Duration(3 * time.Second),
		ReopenMin: config.Duration(time.Second), ReopenMax: config.Duration(time.Minute),
		MaxLine: 200, FrameGap: config.Duration(500 * time.Millisecond),
	}
	cases := map[string]struct {
		in       config.Scanner
		wantPort *scanner.Serial
		wantOpts *scanner.Opts
		ok       bool
	}{
		"every field": {
			in: full,
			wantPort: &scanner.Serial{
				Path: "/dev/ttyACM0", Baud: 115200 * physic.Hertz, DataBits: 7,
				Parity: serial.EvenParity, StopBits: serial.TwoStopBits,
			},
			wantOpts: &scanner.Opts{
				Prefix: "]M", Suffix: "\r\r", MaxLine: 200, FrameGap: 500 * time.Millisecond,
				DedupeWindow: 3 * time.Second, ReopenMin: time.Second, ReopenMax: time.Minute,
			},
			ok: true,
		},
		"only a port": {
			in:       config.Scanner{Port: "/dev/ttyUSB0"},
			wantPort: &scanner.Serial{Path: "/dev/ttyUSB0"},
			wantOpts: &scanner.Opts{},
			ok:       true,
		},
		"the defaults have no port": {in: config.Default().Scanner},
		"parity":                    {in: config.Scanner{Port: "/dev/x", Parity: "evn"}},
		"stop bits":                 {in: config.Scanner{Port: "/dev/x", StopBits: "3"}},
		"data bits":                 {in: config.Scanner{Port: "/dev/x", DataBits: 9}},
		"negative baud":             {in: config.Scanner{Port: "/dev/x", Baud: -9600}},
		"max line":                  {in: config.Scanner{Port: "/dev/x", MaxLine: 50}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			port, opts, err := scanner.FromConfig(tc.in)
			if (err == nil) != tc.ok {
				t.Fatalf("FromConfig(%+v) error = %v, want ok=%v", tc.in, err, tc.ok)
			}
			if !tc.ok {
				return
			}
			if !reflect.DeepEqual(port, tc.wantPort) {
				t.Errorf("port = %+v, want %+v", port, tc.wantPort)
			}
			if !reflect.DeepEqual(opts, tc.wantOpts) {
				t.Errorf("opts = %+v, want %+v", opts, tc.wantOpts)
			}
		})
	}
}
