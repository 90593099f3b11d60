// Package kiosk wires the visitor's kiosk together: the journey (flows/),
// the screens (kiosk/screen over kiosk/ui), the MRZ scanner and the ticket
// printer (devices/), and the uplink to the central backend.
//
// # Data flow
//
// Data moves one way. Devices report events; the runner hands each to the
// journey as an input on the UI's event loop; the journey decides the next
// state and the effects; the runner carries out the effects (submit through
// the uplink, print, look up a booking) in goroutines whose answers come
// back as inputs; the screen shows the journey's view. The UI never decides
// anything: a tap is an input like a scan.
//
// # Personal data
//
// The runner logs state names, device states and masked application ids,
// never a name, a document number, a birth date or a phone number. A reset
// (Wiped) drops the runner's copies and zeroes the keypad's buffer.
package kiosk
