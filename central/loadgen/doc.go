// Package loadgen simulates a hall full of kiosks submitting at once through
// the real uplink client, and measures what the backend sustains: the figures
// behind `make bench` and the command cmd/loadgen.
//
// # Bounds
//
// A run stops at Total submissions or after Duration, whichever comes first,
// and only ever talks to the URL it is given; the command refuses anything
// but a loopback address.
package loadgen
