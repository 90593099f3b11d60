package config

// Printer is the ESC/POS thermal ticket printer.
type Printer struct {
	// Transport is "serial" (a UART), "device" (a raw character device such
	// as /dev/usb/lp0), "tcp" (a network printer, port 9100) or "file"
	// (tickets written as files: the demo and previews).
	Transport string `toml:"transport"`
	Path      string `toml:"path"`    // serial port, character device, or output folder for "file"
	Address   string `toml:"address"` // host:port for "tcp"
	Baud      int    `toml:"baud"`    // for "serial"
	// Profile names the printer model profile (code pages, dots per line,
	// Kazakh strategy, cutter, status dialect).
	Profile string `toml:"profile"`
	// PaperNearEndPin and CoverOpenPin name optional GPIO sensors, looked up
	// through periph's gpioreg; empty when not fitted.
	PaperNearEndPin string   `toml:"paper_near_end_pin"`
	CoverOpenPin    string   `toml:"cover_open_pin"`
	StatusTimeout   Duration `toml:"status_timeout"`
	// JobTimeout bounds a ticket from its first byte to the printer's
	// answer that it is printed.
	JobTimeout Duration `toml:"job_timeout"`
	// PollInterval is how often the idle printer's status is read, so paper
	// running out is on the welcome screen before the next visitor.
	PollInterval Duration `toml:"poll_interval"`
	ReopenMin    Duration `toml:"reopen_min"`
	ReopenMax    Duration `toml:"reopen_max"`
}
