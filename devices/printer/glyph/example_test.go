package glyph_test

import (
	"fmt"

	"github.com/hcsc-kz/kiosk/devices/printer/glyph"
)

// The cell of Ң as a printer prints it, drawn in text (rows 3 to 21).
func ExampleRender() {
	s, err := glyph.Render(12, 24, []rune("Ң"))
	if err != nil {
		fmt.Println(err)
		return
	}
	bm := s.Bitmap('Ң')
	for y := 3; y < 22; y++ {
		line := ""
		for x := 0; x < bm.W; x++ {
			if bm.At(x, y) {
				line += "#"
			} else {
				line += "."
			}
		}
		fmt.Println(line)
	}
	// Output:
	// ............
	// ............
	// ............
	// ###...###...
	// ###...###...
	// ###...###...
	// ###...###...
	// ###...###...
	// #########...
	// #########...
	// ###...###...
	// ###...###...
	// ###...###...
	// ###...###...
	// ###...#####.
	// ###...#####.
	// ........###.
	// ........###.
	// ........###.
}
