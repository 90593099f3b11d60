package scanner

import (
	"errors"

	"github.com/hcsc-kz/kiosk/config"
)

// FromConfig turns the [scanner] section of the kiosk configuration into
// the port to open and the driver's options, so the config file keeps its
// plain types (an int baud, parity as a word) and the driver its typed
// ones. A port of "" is an error: the kiosk has no scanner configured.
func FromConfig(c config.Scanner) (*Serial, *Opts, error) {
	var errs []error
	if c.Port == "" {
		errs = append(errs, errors.New(`scanner: no port configured (set [scanner] port, e.g. "/dev/ttyACM0")`))
	}
	baud, err := baudOf(c.Baud)
	errs = append(errs, err)
	parity, err := parseParity(c.Parity)
	errs = append(errs, err)
	stop, err := parseStopBits(c.StopBits)
	errs = append(errs, err)
	s := &Serial{Path: c.Port, Baud: baud, DataBits: c.DataBits, Parity: parity, StopBits: stop}
	if _, err := s.mode(); err != nil {
		errs = append(errs, err)
	}
	o := &Opts{
		Prefix:       c.Prefix,
		Suffix:       c.Suffix,
		MaxLine:      c.MaxLine,
		FrameGap:     c.FrameGap.D(),
		DedupeWindow: c.DedupeWindow.D(),
		ReopenMin:    c.ReopenMin.D(),
		ReopenMax:    c.ReopenMax.D(),
	}
	if _, err := o.resolve(); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, nil, err
	}
	return s, o, nil
}
