// Package config is the kiosk's typed configuration, read from a TOML file.
//
// Every device and flow takes its settings from here: serial ports and
// framing, the printer's transport, timeouts, languages, the kiosk and
// branch ids and the backend's address. With no file at all, Default gives
// settings that run the demo on a fresh machine.
//
// # Loading
//
// Load reads a file over Default, so a branch file names only what differs.
// Reading is strict: an unknown key (most often a typo, such as
// "scanner.buad") or a value of the wrong type is an error, never silently
// ignored, because a setting that does not take effect is found only when a
// device misbehaves in a full hall.
//
// # Errors
//
// Load checks the whole file and returns every problem at once in an
// *Error, each Problem naming its dotted key and line:
//
//	kiosk.toml:12: scanner.baud: 12345 is not a standard baud rate (1200, 2400, …)
//	kiosk.toml:20: flow.hours.sat: "13:00-09:00": closes before it opens (…)
//
// Use errors.As to get at the list. Validate runs the same value checks on a
// Config built or changed in code; its problems carry no lines.
//
// # The example file
//
// kiosk.example.toml in this folder documents every key with its default;
// the tests load it, so it cannot drift from the code. "kiosk config check
// FILE" validates a file and prints the effective settings.
package config
