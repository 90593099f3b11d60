package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/pelletier/go-toml/v2"

	"github.com/hcsc-kz/kiosk/config"
)

// defaultConfigPath is where an installed kiosk keeps its configuration.
const defaultConfigPath = "/etc/kiosk/kiosk.toml"

// cmdConfig runs "kiosk config VERB".
func cmdConfig(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 {
		configUsage(e.stderr)
		return 2
	}
	switch args[0] {
	case "check":
		return configCheck(e, args[1:])
	case "help", "-h", "--help":
		configUsage(e.stdout)
		return 0
	}
	fmt.Fprintf(e.stderr, "kiosk config: unknown verb %q\n", args[0])
	configUsage(e.stderr)
	return 2
}

func configUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: kiosk [--config FILE] config check [FILE | -]")
	fmt.Fprintln(w, "\nValidates a configuration and prints the effective settings as TOML.")
	fmt.Fprintln(w, "Without FILE it checks what the kiosk would run with: --config FILE,")
	fmt.Fprintf(w, "$KIOSK_CONFIG, %s if it exists, else the built-in defaults.\n", defaultConfigPath)
	fmt.Fprintln(w, "FILE \"-\" reads the configuration from stdin.")
	fmt.Fprintln(w, "Exit status: 0 valid, 1 problems (listed on stderr), 2 usage error.")
}

// configCheck validates one configuration and prints the settings in
// effect, so a technician sees the defaults a short file relies on.
func configCheck(e *env, args []string) int {
	for _, a := range args {
		switch {
		case a == "-h" || a == "--help":
			configUsage(e.stdout)
			return 0
		case strings.HasPrefix(a, "-") && a != "-":
			fmt.Fprintf(e.stderr, "kiosk config check: unknown flag %q\n", a)
			configUsage(e.stderr)
			return 2
		}
	}
	if len(args) > 1 {
		fmt.Fprintln(e.stderr, "kiosk config check: give at most one FILE")
		configUsage(e.stderr)
		return 2
	}

	var (
		c   *config.Config
		src string
		err error
	)
	switch {
	case len(args) == 1 && args[0] == "-":
		src = "<stdin>"
		var data []byte
		if data, err = io.ReadAll(e.stdin); err == nil {
			c, err = config.Parse(src, data)
		}
	case len(args) == 1:
		src = args[0]
		c, err = config.Load(src)
	default:
		c, src, err = loadConfigFrom(e, defaultConfigPath)
	}
	if err != nil {
		fmt.Fprintln(e.stderr, err)
		var ce *config.Error
		if errors.As(err, &ce) {
			fmt.Fprintf(e.stderr, "kiosk config check: %s: %d problem(s)\n", src, len(ce.Problems))
		}
		return 1
	}
	out, err := toml.Marshal(c)
	if err != nil {
		fmt.Fprintf(e.stderr, "kiosk config check: %v\n", err)
		return 1
	}
	for _, n := range c.Notices {
		fmt.Fprintf(e.stderr, "%s:%d: %s: %s\n", src, n.Line, n.Key, n.Msg)
	}
	fmt.Fprintf(e.stdout, "# Effective settings from %s.\n", src)
	e.stdout.Write(out)
	return 0
}

// loadConfig gives the configuration a subcommand runs with: the file named
// by --config or $KIOSK_CONFIG, else /etc/kiosk/kiosk.toml when it exists,
// else the built-in defaults (the demo on a fresh machine).
func loadConfig(e *env) (*config.Config, error) {
	c, _, err := loadConfigFrom(e, defaultConfigPath)
	return c, err
}

// loadConfigFrom is loadConfig with the installed path as a parameter, for
// tests. It also names the source, for messages.
func loadConfigFrom(e *env, installed string) (*config.Config, string, error) {
	if e.configPath != "" {
		c, err := config.Load(e.configPath)
		return c, e.configPath, err
	}
	c, err := config.Load(installed)
	switch {
	case err == nil:
		return c, installed, nil
	case errors.Is(err, fs.ErrNotExist):
		// Only a missing file means "no file": an unreadable one is a fault
		// to report, not a reason to run the demo settings in a hall.
		return config.Default(), "the built-in defaults", nil
	}
	return nil, installed, err
}
