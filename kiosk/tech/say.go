package tech

import (
	"errors"
	"net/http"
	"strings"

	"github.com/hcsc-kz/kiosk/devices/printer"
	"github.com/hcsc-kz/kiosk/devices/scanner"
	"github.com/hcsc-kz/kiosk/flows/i18n"
	"github.com/hcsc-kz/kiosk/kiosk/uplink"
)

// DetailCommand is the command that prints every check with the drivers'
// own words, in English: the technician page names it where it leaves
// those words out.
const DetailCommand = "kiosk doctor"

// Keys of the technician page's words for what went wrong, in the
// catalogs' table [tech.fault]. Each failed or skipped check says one of
// them (Check.Say); the drivers' English stays in Check.Reason for kiosk
// doctor, the log and the heartbeat.
const (
	faultDetail  = "tech.fault.detail"
	faultUnknown = "tech.fault.unknown"
)

// say is c with its words on the technician page.
func say(c Check, key string, args i18n.Args) Check {
	c.Say = i18n.Message{Key: "tech.fault." + key, Args: args}
	return c
}

// sayScanner says why the scanner's port does not work.
func sayScanner(c Check, err error, port string) Check {
	key := "scanner_fault"
	switch {
	case errors.Is(err, scanner.ErrPortNotFound), errors.Is(err, scanner.ErrPortClosed):
		key = "scanner_unplugged"
	case errors.Is(err, scanner.ErrPermission):
		key = "scanner_permission"
	case errors.Is(err, scanner.ErrPortBusy):
		key = "scanner_busy"
	case errors.Is(err, scanner.ErrNotSerial):
		key = "scanner_not_serial"
	case errors.Is(err, scanner.ErrBadMode):
		key = "scanner_settings"
	}
	return say(c, key, i18n.Args{"Port": port})
}

// sayPrinter says the printer's state, or why its status was not read.
func sayPrinter(c Check, st printer.State, err error) Check {
	if err != nil {
		if st := stateOf(err); st != printer.Offline {
			return sayPrinter(c, st, nil)
		}
		return say(c, "printer_offline", nil)
	}
	switch st {
	case printer.Ready:
		return say(c, "printer_ready", nil)
	case printer.PaperNearEnd:
		return say(c, "printer_low", nil)
	case printer.PaperOut:
		return say(c, "printer_paper_out", nil)
	case printer.CoverOpen:
		return say(c, "printer_cover", nil)
	case printer.CutterError:
		return say(c, "printer_cutter", nil)
	}
	return say(c, "printer_offline", nil)
}

// stateOf is the printer state a sentinel error stands for.
func stateOf(err error) printer.State {
	switch {
	case errors.Is(err, printer.ErrPaperOut):
		return printer.PaperOut
	case errors.Is(err, printer.ErrCoverOpen):
		return printer.CoverOpen
	case errors.Is(err, printer.ErrCutter):
		return printer.CutterError
	}
	return printer.Offline
}

// sayBackend says why the heartbeat did not reach the backend: the
// address, the network, a refusal of the kiosk, or the backend's own error.
func sayBackend(c Check, err error, url string) Check {
	var re *uplink.RejectedError
	var ae *uplink.AnswerError
	switch {
	case errors.Is(err, uplink.ErrInsecure):
		return say(c, "backend_insecure", i18n.Args{"URL": url})
	case errors.As(err, &re):
		return say(c, "backend_refused", i18n.Args{"Status": re.Status})
	case errors.As(err, &ae) && ae.Status == http.StatusUnauthorized:
		return say(c, "backend_refused", i18n.Args{"Status": ae.Status})
	case errors.As(err, &ae):
		return say(c, "backend_error", i18n.Args{"Status": ae.Status})
	}
	return say(c, "backend_unreachable", i18n.Args{"URL": url})
}

// sayOutbox counts what the outbox holds that the backend lacks.
func sayOutbox(c Check, n uplink.Counts) Check {
	aside, files := 0, 0
	for r, k := range n.QuarantinedBy {
		if isFileReason(r) {
			files++
			continue
		}
		aside += k
	}
	return say(c, "outbox_problems", i18n.Args{"Refused": n.Rejected, "SetAside": aside, "Files": files})
}

// isFileReason says whether a set-aside reason is a whole file moved
// aside (a key file, an outbox file) rather than entries.
func isFileReason(r string) bool {
	return strings.HasPrefix(r, uplink.ReasonKeyFileReplaced) || strings.HasPrefix(r, uplink.ReasonCorruptFile)
}
