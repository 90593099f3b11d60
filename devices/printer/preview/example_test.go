package preview_test

import (
	"fmt"

	"github.com/hcsc-kz/kiosk/devices/printer/escpos"
	"github.com/hcsc-kz/kiosk/devices/printer/preview"
)

// A job on the WPC1251 table (ESC t 46) read back as text.
func ExampleDecode() {
	var b escpos.Builder
	b.Init().CodeTable(46).Align(escpos.Center).Size(4, 4)
	b.Text([]byte("A042")).LF().Size(1, 1).Align(escpos.Left)
	b.Text([]byte{0xCA, 0xE8, 0xEE, 0xF1, 0xEA}).LF() // "Киоск" in WPC1251
	b.Cut()
	res, err := preview.Decode(b.Bytes(), preview.Options{Dots: 384})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(res)
	// Output:
	// ^ ×4 A042
	// Киоск
	// --- cut ---
}
