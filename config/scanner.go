package config

// Scanner is the serial MRZ scanner.
type Scanner struct {
	Port     string `toml:"port"`      // device path, e.g. "/dev/ttyACM0"; empty in the demo
	Baud     int    `toml:"baud"`      // 9600, 115200, …
	DataBits int    `toml:"data_bits"` // 7 or 8
	Parity   string `toml:"parity"`    // "none", "even", "odd", "mark", "space"
	StopBits string `toml:"stop_bits"` // "1", "1.5", "2"
	// Prefix and Suffix frame a document when the scanner is set up to send
	// them (besides CR, LF, CRLF and STX/ETX, which are always understood).
	Prefix string `toml:"prefix"`
	Suffix string `toml:"suffix"`
	// DedupeWindow drops a repeat of the same document within this window
	// (the visitor leaves the passport on the glass).
	DedupeWindow Duration `toml:"dedupe_window"`
	// ReopenMin and ReopenMax bound the backoff between reopen attempts
	// after the device is unplugged.
	ReopenMin Duration `toml:"reopen_min"`
	ReopenMax Duration `toml:"reopen_max"`
	// MaxLine is the longest line kept, in bytes (90 to 4096; 0: the
	// driver's default, 128). A longer line is skipped without being stored,
	// so a device streaming garbage cannot grow the kiosk's memory.
	MaxLine int `toml:"max_line"`
	// FrameGap drops a partial line or document whose bytes stop arriving
	// for longer than this, so a fragment cannot glue itself to the next
	// scan; a shorter pause mid-line is harmless (0: the driver's default,
	// 1s).
	FrameGap Duration `toml:"frame_gap"`
}
