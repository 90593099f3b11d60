package ui

import "github.com/gdamore/tcell/v2"

// Colors is a foreground and background pair.
type Colors struct {
	Fg, Bg tcell.Color
}

func (c Colors) style() tcell.Style { return tcell.StyleDefault.Foreground(c.Fg).Background(c.Bg) }

// Theme holds the colours of every element.
type Theme struct {
	Screen    Colors // the page background and body text
	Header    Colors // the header bar
	Title     tcell.Color
	Muted     tcell.Color // the footer, reasons under checklist items
	Good      tcell.Color
	Warn      tcell.Color
	Bad       tcell.Color
	Primary   Colors // the action that moves the visitor on
	Secondary Colors // back, cancel, other choices
	Danger    Colors
	Selected  Colors // the current language
	Focus     Colors // the action the keyboard would press
	Overlay   Colors // the "are you still there?" box
}

// HighContrast is the hall theme: light text on black, yellow for what to
// press, readable from a metre away under bright ceiling lights.
func HighContrast() Theme {
	return Theme{
		Screen:    Colors{Fg: tcell.ColorWhite, Bg: tcell.ColorBlack},
		Header:    Colors{Fg: tcell.ColorWhite, Bg: tcell.ColorNavy},
		Title:     tcell.ColorYellow,
		Muted:     tcell.ColorSilver,
		Good:      tcell.ColorLime,
		Warn:      tcell.ColorYellow,
		Bad:       tcell.ColorRed,
		Primary:   Colors{Fg: tcell.ColorBlack, Bg: tcell.ColorYellow},
		Secondary: Colors{Fg: tcell.ColorWhite, Bg: tcell.ColorBlue},
		Danger:    Colors{Fg: tcell.ColorWhite, Bg: tcell.ColorMaroon},
		Selected:  Colors{Fg: tcell.ColorBlack, Bg: tcell.ColorWhite},
		Focus:     Colors{Fg: tcell.ColorBlack, Bg: tcell.ColorAqua},
		Overlay:   Colors{Fg: tcell.ColorWhite, Bg: tcell.ColorNavy},
	}
}
