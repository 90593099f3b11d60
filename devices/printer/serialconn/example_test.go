package serialconn_test

import (
	"fmt"

	"periph.io/x/conn/v3/physic"
	"periph.io/x/conn/v3/uart"

	"github.com/hcsc-kz/kiosk/devices/printer/serialconn"
)

// A printer on a USB-serial adapter at 115200 baud, 8N1, capped at 38400
// for a long cable.
func ExampleOpen() {
	p, err := serialconn.Open("/dev/ttyUSB0")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer p.Close()
	if err := p.LimitSpeed(38400 * physic.Hertz); err != nil {
		fmt.Println(err)
		return
	}
	c, err := p.Connect(115200*physic.Hertz, uart.One, uart.NoParity, uart.NoFlow, 8)
	if err != nil {
		fmt.Println(err)
		return
	}
	status := make([]byte, 1)
	if err := c.Tx([]byte{0x10, 0x04, 0x04}, status); err != nil { // DLE EOT 4
		fmt.Println(err)
		return
	}
	fmt.Printf("paper sensor: %#02x\n", status[0])
}
