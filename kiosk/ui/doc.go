// Package ui is the kiosk's widget layer: the only package that imports
// tview. Screens describe what to show as a [Page] (plain data: texts,
// actions, a keypad, a big queue number, an overlay) and [App.Show] builds
// the widgets for it, so a change of widget library touches this package
// alone.
//
// # Touch
//
// A tap on the touch screen arrives as a mouse press and release. tview turns
// two clicks within its DoubleClickInterval, anywhere on screen, into a
// double-click that Button ignores, so a quick tap on a second button would
// be lost. The App's policy: every tap is a click (double-clicks are turned
// back into clicks), and taps in the first TapGuard after a page change are
// dropped, so a double tap on "Next" cannot press what the next page shows
// under the finger.
//
// A finger that moves between press and release is a swipe, never a tap:
// it presses nothing, even when it ends on the cell it started on.
//
// # Layout on any display
//
// A page is laid out when drawn, for the screen's size: the header on
// top, the action row and anything being typed (the value, its hint, the
// keypad) always on screen at the bottom, and between them the rest
// (title, big number, text, checklist, choices), which scrolls by a swipe
// or the wheel when it does not fit. While it scrolls, its last row points
// the way the rest is (▼, or ▲ at the end) and a scroll bar stands in the
// right margin: signs with no words, read alike in every language. On a
// short screen the page gives up its spacing, lets the footer scroll,
// lays the keypad out wider and flatter, and draws the big number smaller,
// then plain. Buttons in a row break onto more rows rather than cut a
// label.
//
// The hidden gesture for technicians on a kiosk with no keyboard is
// SecretTaps taps within SecretWindow on the top-right corner cell.
//
// # Keys
//
// Every action can carry a key as well; Tab and the arrow keys move the
// focus between actions and Enter presses the focused one. Control keys
// (Ctrl+C, Ctrl+Z, Ctrl+\, Ctrl+D, …) do nothing: a visitor must not get
// out of the kiosk.
//
// # Concurrency
//
// One event loop owns the widgets. Other goroutines go through [App.Do];
// action callbacks already run on the loop and must not call Do and wait.
package ui
