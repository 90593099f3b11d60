package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/config"
)

// runConfigCmd runs the command in-process and returns its exit status and
// output.
func runConfigCmd(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	e := &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errOut, now: time.Now}
	code = run(context.Background(), e, args)
	return code, out.String(), errOut.String()
}

func writeTestFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestConfigCheck(t *testing.T) {
	t.Setenv("KIOSK_CONFIG", "")
	dir := t.TempDir()
	good := writeTestFile(t, dir, "good.toml", "[kiosk]\nid = \"K-07\"\n[scanner]\nbaud = 115200\n")
	bad := writeTestFile(t, dir, "bad.toml", "[kiosk]\nid = \"K 07\"\n\n[scanner]\nbuad = 9600\n")
	missing := filepath.Join(dir, "none.toml")

	tests := map[string]struct {
		args   []string
		stdin  string
		code   int
		stdout []string // parts stdout must contain
		stderr []string // parts stderr must contain
	}{
		"file": {
			args:   []string{"config", "check", good},
			stdout: []string{"# Effective settings from " + good, "id = 'K-07'", "baud = 115200", "time_zone = 'Asia/Almaty'"},
		},
		"file by --config": {
			args:   []string{"--config", good, "config", "check"},
			stdout: []string{"id = 'K-07'"},
		},
		"file by --config=": {
			args:   []string{"--config=" + good, "config", "check"},
			stdout: []string{"id = 'K-07'"},
		},
		"FILE wins over --config": {
			args:   []string{"--config", bad, "config", "check", good},
			stdout: []string{"id = 'K-07'"},
		},
		"stdin": {
			args:   []string{"config", "check", "-"},
			stdin:  "[kiosk]\nbranch = \"AST-02\"\n",
			stdout: []string{"# Effective settings from <stdin>.", "branch = 'AST-02'"},
		},
		"problems": {
			args: []string{"config", "check", bad},
			code: 1,
			stderr: []string{
				bad + ":2: kiosk.id: \"K 07\": use up to 16 Latin letters",
				bad + ":5: scanner.buad: unknown key; did you mean \"scanner.baud\"?",
				"2 problem(s)",
			},
		},
		"problems by --config": {
			args:   []string{"--config", bad, "config", "check"},
			code:   1,
			stderr: []string{bad + ":5: scanner.buad"},
		},
		"missing file": {
			args:   []string{"config", "check", missing},
			code:   1,
			stderr: []string{"no such file"},
		},
		"missing --config file": {
			args:   []string{"--config", missing, "config", "check"},
			code:   1,
			stderr: []string{"no such file"},
		},
		"no verb": {
			args:   []string{"config"},
			code:   2,
			stderr: []string{"usage: kiosk [--config FILE] config check"},
		},
		"unknown verb": {
			args:   []string{"config", "lint"},
			code:   2,
			stderr: []string{`unknown verb "lint"`},
		},
		"two files": {
			args:   []string{"config", "check", good, bad},
			code:   2,
			stderr: []string{"at most one FILE"},
		},
		"unknown flag": {
			args:   []string{"config", "check", "-v"},
			code:   2,
			stderr: []string{`unknown flag "-v"`},
		},
		"help": {
			args:   []string{"config", "check", "-h"},
			stdout: []string{"usage: kiosk [--config FILE] config check"},
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			code, stdout, stderr := runConfigCmd(t, tt.stdin, tt.args...)
			if code != tt.code {
				t.Errorf("kiosk %q = exit %d, want %d\nstdout: %s\nstderr: %s", tt.args, code, tt.code, stdout, stderr)
			}
			for _, s := range tt.stdout {
				if !strings.Contains(stdout, s) {
					t.Errorf("kiosk %q stdout = %q, want it to contain %q", tt.args, stdout, s)
				}
			}
			for _, s := range tt.stderr {
				if !strings.Contains(stderr, s) {
					t.Errorf("kiosk %q stderr = %q, want it to contain %q", tt.args, stderr, s)
				}
			}
			if code != 0 && stdout != "" && !strings.Contains(stdout, "usage") {
				t.Errorf("kiosk %q failed with stdout %q, want nothing on stdout", tt.args, stdout)
			}
		})
	}
}

// TestConfigCheckOutputLoads checks that what "config check" prints is a
// valid configuration with the same settings: a technician may save it as
// the branch file.
func TestConfigCheckOutputLoads(t *testing.T) {
	t.Setenv("KIOSK_CONFIG", "")
	for _, file := range []string{"../../config/kiosk.example.toml", "../../config/testdata/branch.toml"} {
		t.Run(filepath.Base(file), func(t *testing.T) {
			code, stdout, stderr := runConfigCmd(t, "", "config", "check", file)
			if code != 0 {
				t.Fatalf("kiosk config check %s = exit %d, stderr %s", file, code, stderr)
			}
			got, err := config.Parse("stdout", []byte(stdout))
			if err != nil {
				t.Fatalf("Parse(output of kiosk config check %s) error = %v", file, err)
			}
			want, err := config.Load(file)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Parse(output of kiosk config check %s) = %+v, want %+v", file, got, want)
			}
		})
	}
}

func TestLoadConfigFrom(t *testing.T) {
	dir := t.TempDir()
	installed := writeTestFile(t, dir, "kiosk.toml", "[kiosk]\nid = \"K-09\"\n")
	given := writeTestFile(t, dir, "given.toml", "[kiosk]\nid = \"K-05\"\n")
	bad := writeTestFile(t, dir, "bad.toml", "[kiosk]\nid = 5\n")

	tests := map[string]struct {
		configPath string
		installed  string
		wantID     string // "" when an error is wanted
		wantSrc    string
	}{
		"--config file":               {given, installed, "K-05", given},
		"installed file":              {"", installed, "K-09", installed},
		"no file: defaults":           {"", filepath.Join(dir, "none.toml"), "K-01", "the built-in defaults"},
		"missing --config file":       {filepath.Join(dir, "none.toml"), installed, "", ""},
		"bad --config file":           {bad, installed, "", ""},
		"bad installed file":          {"", bad, "", ""},
		"installed path not a file":   {"", dir, "", ""},
		"installed path under a file": {"", filepath.Join(installed, "x.toml"), "", ""},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			e := &env{configPath: tt.configPath}
			c, src, err := loadConfigFrom(e, tt.installed)
			if tt.wantID == "" {
				if err == nil {
					t.Errorf("loadConfigFrom(%q, %q) = %+v from %s, want an error", tt.configPath, tt.installed, c, src)
				}
				return
			}
			if err != nil {
				t.Fatalf("loadConfigFrom(%q, %q) error = %v", tt.configPath, tt.installed, err)
			}
			if c.Kiosk.ID != tt.wantID || src != tt.wantSrc {
				t.Errorf("loadConfigFrom(%q, %q) = id %q from %q, want id %q from %q", tt.configPath, tt.installed, c.Kiosk.ID, src, tt.wantID, tt.wantSrc)
			}
		})
	}
}

func TestLoadConfig(t *testing.T) {
	path := writeTestFile(t, t.TempDir(), "kiosk.toml", "[kiosk]\nid = \"K-03\"\n")
	c, err := loadConfig(&env{configPath: path})
	if err != nil || c.Kiosk.ID != "K-03" {
		t.Errorf("loadConfig(--config %s) = %+v, %v; want kiosk.id \"K-03\"", path, c, err)
	}
}

// TestConfigCheckDefaults runs "config check" with nothing given, which
// checks the installed file, or the defaults on a machine without one.
func TestConfigCheckDefaults(t *testing.T) {
	t.Setenv("KIOSK_CONFIG", "")
	if _, err := os.Stat(defaultConfigPath); err == nil {
		t.Skipf("%s exists on this machine", defaultConfigPath)
	}
	code, stdout, stderr := runConfigCmd(t, "", "config", "check")
	if code != 0 {
		t.Fatalf("kiosk config check = exit %d, stderr %s", code, stderr)
	}
	if !strings.HasPrefix(stdout, "# Effective settings from the built-in defaults.") {
		t.Errorf("kiosk config check stdout = %q, want the defaults named first", stdout)
	}
	got, err := config.Parse("stdout", []byte(stdout))
	if err != nil {
		t.Fatalf("Parse(output) error = %v", err)
	}
	if !reflect.DeepEqual(got, config.Default()) {
		t.Errorf("Parse(output of kiosk config check) = %+v, want Default()", got)
	}
}
