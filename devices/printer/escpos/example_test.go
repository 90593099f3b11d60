package escpos_test

import (
	"fmt"

	"github.com/hcsc-kz/kiosk/devices/printer/escpos"
)

// Kazakh text on the KZ-1048 table (ESC t 53 on Epson printers).
func ExampleBuilder() {
	kz := escpos.KZ1048()
	var text []byte
	for _, r := range "Қош келдіңіз" {
		c, ok := kz.Encode(r)
		if !ok {
			c = '?' // a real layout transliterates instead
		}
		text = append(text, c)
	}
	var b escpos.Builder
	b.Init().CancelKanji().CodeTable(53).Align(escpos.Center).Text(text).LF().Cut()
	fmt.Printf("% x\n", b.Bytes())
	// Output:
	// 1b 40 1c 2e 1b 74 35 1b 61 01 8d ee f8 20 ea e5 eb e4 b3 be b3 e7 0a 1d 56 42 00
}
