package ui

import "github.com/gdamore/tcell/v2"

// Kind is an action's role, which sets its colour.
type Kind uint8

// The kinds of action.
const (
	Primary Kind = iota
	Secondary
	Danger
	Selected // a choice already made, such as the current language
)

// Action is one touch target, with the key that presses it too. Actions are
// data: the page's buttons, its key bindings and the tests all read them.
type Action struct {
	ID    string // stable name for tests and logs, e.g. "next", "lang-kk"
	Label string
	Kind  Kind
	// Key and Rune bind a keyboard key; zero values bind none.
	Key  tcell.Key
	Rune rune
	Do   func()
}

// Tone colours a line of text.
type Tone uint8

// The tones of text.
const (
	Normal Tone = iota
	Good
	Warn
	Bad
	Muted
)

// Line is one paragraph of body text.
type Line struct {
	Text string
	Tone Tone
}

// Item is one checklist entry: what, and why, in a tone.
type Item struct {
	Text   string
	Reason string
	Tone   Tone
	// Mark, when set, replaces the tone's mark before the item: "☐" for
	// something still to do, where the tone's "✓" would say it is done.
	Mark string
}

// Field is a value being typed on the on-screen keypad.
type Field struct {
	Label string
	Value string
	Hint  string // shown under the value, e.g. the expected format or a problem
	Tone  Tone   // of the hint
}

// Choice is one of a list of options laid out one under another, each a
// full-width button with a line of explanation under it.
type Choice struct {
	Action
	Hint string
}

// Overlay is a box over the page, such as "are you still there?".
type Overlay struct {
	Title   string
	Lines   []Line
	Actions []Action
}

// Page is everything one screen shows. Empty parts are left out.
type Page struct {
	// ID names the screen. Showing a page with the ID of the one on screen
	// is a refresh (a key typed, a countdown ticking): it keeps the focus
	// and does not restart the tap guard, so quick typing loses no key.
	ID string

	// Languages are the language switch, always shown when set.
	Languages []Action
	// Step and Steps draw the step indicator; StepLabel reads it out
	// ("Step 2 of 6" in the visitor's language).
	Step, Steps int
	StepLabel   string

	Title string
	Lines []Line
	Items []Item
	// Notes follow the items: what to know once the list is read.
	Notes []Line
	// Choices are options one under another (a service, who applies).
	Choices []Choice
	// Big is drawn in large block letters: the queue number.
	Big   string
	Field *Field
	// Keypad actions are laid out in a grid of three columns.
	Keypad  []Action
	Actions []Action
	// Hidden actions have keys but no button (technician and demo keys).
	Hidden  []Action
	Footer  string
	Overlay *Overlay
}
