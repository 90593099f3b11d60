// Package flows holds the visitor's side of the kiosk with no UI in it: what
// the kiosk decides, not how it is drawn.
//
// # Packages
//
//   - [github.com/hcsc-kz/kiosk/flows/journey]: the visitor's journey as an
//     explicit state machine (language → service → who applies → scan →
//     confirm → precheck → phone → submit → ticket → goodbye, and the booked
//     visit's check-in), driven by inputs and an injected clock.
//   - [github.com/hcsc-kz/kiosk/flows/precheck]: the document precheck, the
//     checklist of what to bring to the window, and the IIN's ready date.
//   - [github.com/hcsc-kz/kiosk/flows/workday]: Kazakhstan's working days,
//     from the calendar data in config.
//   - [github.com/hcsc-kz/kiosk/flows/validate]: the IIN and phone numbers a
//     visitor types.
//   - [github.com/hcsc-kz/kiosk/flows/i18n]: the Kazakh, Russian and English
//     message catalogs for every string a visitor or a ticket shows.
//
// # Rules
//
// Nothing here imports a UI package, reads a device or the network, or keeps
// package-level state. A visitor never sees a Go error: every reason the
// flows give is a message key the catalogs translate.
package flows
