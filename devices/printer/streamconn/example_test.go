package streamconn_test

import (
	"context"
	"fmt"

	"github.com/hcsc-kz/kiosk/devices/printer/streamconn"
)

// A network printer on its raw port; the port defaults to 9100.
func ExampleDial() {
	c, err := streamconn.Dial(context.Background(), "192.0.2.10")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	if err := c.Tx([]byte("\x1b@Hello\n"), nil); err != nil {
		fmt.Println(err)
	}
}
