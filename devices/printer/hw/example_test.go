package hw_test

import (
	"context"
	"fmt"

	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/devices/printer/hw"
)

// The printer from the configuration; Run keeps its state current and
// reconnects it after an unplug.
func ExampleOpen() {
	cfg := config.Default()
	ctx := context.Background()
	dev, err := hw.Open(ctx, cfg)
	if dev == nil {
		fmt.Println(err)
		return
	}
	defer dev.Close()
	if err != nil {
		fmt.Println("offline for now:", err)
	}
	go dev.Run(ctx)
	for s := range dev.Watch(ctx) {
		fmt.Println("printer", s)
	}
}
