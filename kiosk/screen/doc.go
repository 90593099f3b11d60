// Package screen turns the journey's state into what the kiosk shows: one
// ui.Page per step, every word from the catalogs in the visitor's language,
// every tap a journey input. It holds no state of the journey's own; the
// only thing it keeps is what the visitor is typing on the keypad before it
// is submitted, and Wipe zeroes that.
package screen
