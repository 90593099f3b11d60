package config_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/config"
)

// TestValidationRules gives each rule a file that breaks it and checks the
// problem's key, line and message.
func TestValidationRules(t *testing.T) {
	tests := map[string]struct {
		doc  string
		want []want
	}{
		"kiosk id empty": {
			"[kiosk]\nid = \"\"\n",
			[]want{{"kiosk.id", 2, `empty: set it, e.g. "K-01"`}},
		},
		"kiosk id with a space": {
			"[kiosk]\nid = \"K 01\"\n",
			[]want{{"kiosk.id", 2, "Latin letters, digits"}},
		},
		"kiosk id Cyrillic": {
			"[kiosk]\nid = \"К-01\"\n",
			[]want{{"kiosk.id", 2, "Latin letters"}},
		},
		"kiosk id too long": {
			"[kiosk]\nid = \"K-0123456789ABCDEF\"\n",
			[]want{{"kiosk.id", 2, "up to 16"}},
		},
		"branch empty": {
			"[kiosk]\nbranch = \"\"\n",
			[]want{{"kiosk.branch", 2, "empty"}},
		},
		"no languages": {
			"[kiosk]\nlanguages = []\n",
			[]want{{"kiosk.languages", 2, "empty"}},
		},
		"unknown language": {
			"[kiosk]\nlanguages = [\"kk\", \"de\"]\n",
			[]want{{"kiosk.languages[1]", 2, `"de" has no texts: use "kk", "ru" or "en"`}},
		},
		"language twice": {
			"[kiosk]\nlanguages = [\n  \"kk\",\n  \"ru\",\n  \"ru\",\n]\n",
			[]want{{"kiosk.languages[2]", 5, `"ru" is listed twice`}},
		},
		"Kazakh not first": {
			"[kiosk]\nlanguages = [\"ru\", \"kk\"]\n",
			[]want{{"kiosk.languages", 2, `start the list with "kk"`}},
		},
		"time zone empty": {
			"[kiosk]\ntime_zone = \"\"\n",
			[]want{{"kiosk.time_zone", 2, "empty"}},
		},
		"time zone Local": {
			"[kiosk]\ntime_zone = \"Local\"\n",
			[]want{{"kiosk.time_zone", 2, "depends on the machine"}},
		},
		"time zone unknown": {
			"[kiosk]\ntime_zone = \"Asia/Alma-Ata\"\n",
			[]want{{"kiosk.time_zone", 2, `unknown time zone "Asia/Alma-Ata"`}},
		},
		"state dir empty": {
			"[kiosk]\nstate_dir = \" \"\n",
			[]want{{"kiosk.state_dir", 2, "empty"}},
		},
		"scanner port spaces": {
			"[scanner]\nport = \"/dev/ttyACM0 \"\n",
			[]want{{"scanner.port", 2, "spaces"}},
		},
		"scanner baud": {
			"[scanner]\nbaud = 12345\n",
			[]want{{"scanner.baud", 2, "12345 is not a standard baud rate (1200, 2400, 4800, 9600, 19200"}},
		},
		"scanner data bits": {
			"[scanner]\ndata_bits = 9\n",
			[]want{{"scanner.data_bits", 2, "9: use 5, 6, 7 or 8"}},
		},
		"scanner parity": {
			"[scanner]\nparity = \"N\"\n",
			[]want{{"scanner.parity", 2, `"N": use "none", "even", "odd", "mark" or "space"`}},
		},
		"scanner stop bits": {
			"[scanner]\nstop_bits = \"3\"\n",
			[]want{{"scanner.stop_bits", 2, `"3": use "1", "1.5" or "2"`}},
		},
		"scanner prefix equals suffix": {
			"[scanner]\nprefix = \"#\"\nsuffix = \"#\"\n",
			[]want{{"scanner.suffix", 3, "the same as scanner.prefix"}},
		},
		"scanner dedupe zero": {
			"[scanner]\ndedupe_window = \"0s\"\n",
			[]want{{"scanner.dedupe_window", 2, "more than zero"}},
		},
		"scanner reopen negative": {
			"[scanner]\nreopen_min = \"-1s\"\n",
			[]want{{"scanner.reopen_min", 2, "more than zero"}},
		},
		"scanner reopen max below min": {
			"[scanner]\nreopen_min = \"10s\"\nreopen_max = \"1s\"\n",
			[]want{{"scanner.reopen_max", 3, "less than scanner.reopen_min (10s)"}},
		},
		"scanner max line": {
			"[scanner]\nmax_line = 40\n",
			[]want{{"scanner.max_line", 2, "use 90 to 4096"}},
		},
		"scanner frame gap": {
			"[scanner]\nframe_gap = \"-1s\"\n",
			[]want{{"scanner.frame_gap", 2, "negative"}},
		},
		"printer transport": {
			"[printer]\ntransport = \"usb\"\n",
			[]want{{"printer.transport", 2, `"usb": use "serial", "device", "tcp" or "file"`}},
		},
		"printer serial needs path, at the transport's line": {
			"[printer]\ntransport = \"serial\"\n",
			[]want{{"printer.path", 2, `transport "serial" needs the serial port`}},
		},
		"printer serial baud": {
			"[printer]\ntransport = \"serial\"\npath = \"/dev/ttyS1\"\nbaud = 0\n",
			[]want{{"printer.baud", 4, "0 is not a standard baud rate"}},
		},
		"printer device needs path": {
			"[printer]\ntransport = \"device\"\n",
			[]want{{"printer.path", 2, `transport "device" needs the character device`}},
		},
		"printer tcp needs address": {
			"[printer]\ntransport = \"tcp\"\n",
			[]want{{"printer.address", 2, "needs host:port"}},
		},
		"printer tcp address without port": {
			"[printer]\ntransport = \"tcp\"\naddress = \"192.168.1.50\"\n",
			[]want{{"printer.address", 3, "is not host:port"}},
		},
		"printer tcp bad port": {
			"[printer]\ntransport = \"tcp\"\naddress = \"printer:99999\"\n",
			[]want{{"printer.address", 3, "not a number from 1 to 65535"}},
		},
		"printer profile": {
			"[printer]\nprofile = \"\"\n",
			[]want{{"printer.profile", 2, "empty"}},
		},
		"printer one pin for two sensors": {
			"[printer]\npaper_near_end_pin = \"GPIO17\"\ncover_open_pin = \"GPIO17\"\n",
			[]want{{"printer.cover_open_pin", 3, "one pin cannot sense both"}},
		},
		"printer status timeout": {
			"[printer]\nstatus_timeout = \"0s\"\n",
			[]want{{"printer.status_timeout", 2, "more than zero"}},
		},
		"printer reopen": {
			"[printer]\nreopen_max = \"100ms\"\n",
			[]want{{"printer.reopen_max", 2, "less than printer.reopen_min"}},
		},
		"flow idle timeout": {
			"[flow]\nidle_timeout = \"2s\"\n",
			[]want{{"flow.idle_timeout", 2, "at least 5s"}},
		},
		"flow countdown under 20s": {
			"[flow]\nstill_there_countdown = \"19s\"\n",
			[]want{{"flow.still_there_countdown", 2, "at least 20s"}},
		},
		"flow goodbye timeout": {
			"[flow]\ngoodbye_timeout = \"0s\"\n",
			[]want{{"flow.goodbye_timeout", 2, "more than zero"}},
		},
		"flow ticket timeout": {
			"[flow]\nticket_timeout = \"2s\"\n",
			[]want{{"flow.ticket_timeout", 2, "at least 5s"}},
		},
		"flow expiry days": {
			"[flow]\nexpiry_warning_days = -1\n",
			[]want{{"flow.expiry_warning_days", 2, "from 0 to 3650"}},
		},
		"flow hours close before open": {
			"[flow.hours]\nmon = \"09:00-18:00\"\nsat = \"13:00-09:00\"\n",
			[]want{{"flow.hours.sat", 3, "closes before it opens"}},
		},
		"flow hours open equals close": {
			"[flow.hours]\nfri = \"09:00-09:00\"\n",
			[]want{{"flow.hours.fri", 2, "closes before it opens"}},
		},
		"flow hours unknown weekday": {
			"[flow.hours]\nsaturday = \"09:00-13:00\"\n",
			[]want{{"flow.hours.saturday", 2, "[flow.hours] has: mon, tue"}},
		},
		"flow hours bad time": {
			"[flow.hours]\nmon = \"9am-6pm\"\ntue = \"09:00-25:00\"\nwed = \"09:00\"\nthu = \"8:00-18:00\"\n",
			[]want{
				{"flow.hours.mon", 2, "not a time of day"},
				{"flow.hours.tue", 3, "not a time of day"},
				{"flow.hours.wed", 4, `use "HH:MM-HH:MM"`},
				{"flow.hours.thu", 5, "not a time of day"},
			},
		},
		"flow hours never open": {
			"[flow.hours]\nmon = \"closed\"\ntue = \"closed\"\nwed = \"closed\"\nthu = \"closed\"\nfri = \"closed\"\n",
			[]want{{"flow.hours", 1, "closed on every day"}},
		},
		"flow hours duty centre": {
			"[flow.hours]\nmon = \"09:00-20:00\"\nsat = \"09:00-13:00\"\nsun = \"closed\"\n",
			nil,
		},
		"flow hours to midnight": {
			"[flow.hours]\nmon = \"09:00-24:00\"\n",
			nil,
		},
		"flow priority age": {
			"[flow]\npriority_age = -1\n",
			[]want{{"flow.priority_age", 2, "age in years"}},
		},
		"flow max scan failures": {
			"[flow]\nmax_scan_failures = 0\n",
			[]want{{"flow.max_scan_failures", 2, "at least 1"}},
		},
		"flow booking code length": {
			"[flow]\nbooking_enabled = true\nbooking_code_length = 3\n",
			[]want{{"flow.booking_code_length", 3, "4 to 12 digits"}},
		},
		"flow booking code length ignored when off": {
			"[flow]\nbooking_enabled = false\nbooking_code_length = 0\n",
			nil,
		},
		"flow translation policy value": {
			"[flow.translation_policy]\nRUS = \"not-required\"\nCHN = \"yes\"\n",
			[]want{{"flow.translation_policy.CHN", 3, `"yes": use "required", "not-required" or "ask"`}},
		},
		"flow translation policy code": {
			"[flow.translation_policy]\nchn = \"ask\"\nCHINA = \"ask\"\n",
			[]want{
				{"flow.translation_policy.chn", 2, "not an ICAO state code"},
				{"flow.translation_policy.CHINA", 3, "not an ICAO state code"},
			},
		},
		"flow translation policy Germany": {
			"[flow.translation_policy]\nD = \"not-required\"\n",
			nil,
		},
		"flow convention state": {
			"[flow]\nconvention_states = [\"RUS\", \"Kaz\"]\n",
			[]want{{"flow.convention_states[1]", 2, `"Kaz" is not an ICAO state code`}},
		},
		"flow convention state twice": {
			"[flow]\nconvention_states = [\"RUS\", \"RUS\"]\n",
			[]want{{"flow.convention_states[1]", 2, "listed twice"}},
		},
		"backend url empty": {
			"[backend]\nurl = \"\"\n",
			[]want{{"backend.url", 2, "empty"}},
		},
		"backend url scheme": {
			"[backend]\nurl = \"ftp://backend.example.kz\"\n",
			[]want{{"backend.url", 2, "use an http:// or https:// URL"}},
		},
		"backend url no scheme": {
			"[backend]\nurl = \"backend.example.kz\"\n",
			[]want{{"backend.url", 2, "use an http:// or https:// URL"}},
		},
		"backend url unparseable": {
			"[backend]\nurl = \"http://[::1\"\n",
			[]want{{"backend.url", 2, "is not a URL"}},
		},
		"backend plain http to a remote host": {
			"[backend]\nurl = \"http://10.0.0.5:8080\"\n",
			[]want{{"backend.url", 2, "plain http is allowed only to a loopback host"}},
		},
		"backend plain http to localhost": {
			"[backend]\nurl = \"http://localhost:8080\"\n",
			nil,
		},
		"backend plain http to IPv6 loopback": {
			"[backend]\nurl = \"http://[::1]:8080\"\n",
			nil,
		},
		"backend url with password": {
			"[backend]\nurl = \"https://kiosk:secret@backend.example.kz\"\nclient_cert = \"c.pem\"\nclient_key = \"k.pem\"\n",
			[]want{{"backend.url", 2, "user name or password"}},
		},
		"backend https needs client certificate": {
			"[backend]\nurl = \"https://backend.example.kz\"\n",
			[]want{{"backend.client_cert", 2, "requires mutual TLS"}},
		},
		"backend key without certificate": {
			"[backend]\nclient_key = \"k.pem\"\n",
			[]want{{"backend.client_cert", 2, "mutual TLS needs both"}},
		},
		"backend certificate without key": {
			"[backend]\nclient_cert = \"c.pem\"\n",
			[]want{{"backend.client_key", 2, "mutual TLS needs both"}},
		},
		"backend timeout": {
			"[backend]\ntimeout = \"0s\"\n",
			[]want{{"backend.timeout", 2, "more than zero"}},
		},
		"backend token in place of its file": {
			"[backend]\ntoken_file = \"hcsc_Zm9vYmFy\"\n",
			[]want{{"backend.token_file", 2, "not a file name"}},
		},
		"technician bare PIN": {
			"[technician]\npin_hash = \"1234\"\n",
			[]want{{"technician.pin_hash", 2, "bare PIN"}},
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			checkProblems(t, tt.doc, problems(t, tt.doc), tt.want)
		})
	}
}

func TestValidateInCode(t *testing.T) {
	tests := map[string]struct {
		change func(c *config.Config)
		want   []want
	}{
		"defaults": {func(c *config.Config) {}, nil},
		"one": {
			func(c *config.Config) { c.Scanner.Baud = 9601 },
			[]want{{"scanner.baud", 0, "9601 is not a standard baud rate"}},
		},
		"several, in section order": {
			func(c *config.Config) {
				c.Kiosk.ID = ""
				c.Flow.StillThereCountdown = config.Duration(5 * time.Second)
				c.Backend.URL = "http://example.kz"
			},
			[]want{
				{"kiosk.id", 0, "empty"},
				{"flow.still_there_countdown", 0, "at least 20s"},
				{"backend.url", 0, "loopback"},
			},
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			c := config.Default()
			tt.change(c)
			err := c.Validate()
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			var ce *config.Error
			if !errors.As(err, &ce) {
				t.Fatalf("Validate() = %T %v, want *config.Error", err, err)
			}
			checkProblems(t, name, ce.Problems, tt.want)
			if !strings.HasPrefix(err.Error(), "config: ") {
				t.Errorf("Validate().Error() = %q, want it to start with \"config: \"", err)
			}
		})
	}
}
