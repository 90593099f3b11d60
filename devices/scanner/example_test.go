package scanner_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"strings"

	"github.com/hcsc-kz/kiosk/devices/scanner"
	"github.com/hcsc-kz/kiosk/devices/scanner/scannertest"
)

// The assembler on its own: any reader, any framing. Here a scanner that
// sends noise at power-up, then a passport with CR line ends.
func ExampleAssembler() {
	in := "\x00READY\r" +
		"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\r" +
		"L898902C36UTO7408122F1204159ZE184226B<<<<<10\r"
	a, err := scanner.NewAssembler(strings.NewReader(in), nil)
	if err != nil {
		log.Fatal(err)
	}
	for {
		f, err := a.Next(context.Background())
		if err != nil {
			break // io.EOF
		}
		if f.Drop != nil {
			fmt.Println("dropped:", f.Drop)
			continue
		}
		fmt.Printf("document:\n%s\n", f.Text)
	}
	// Output:
	// dropped: scanner: dropped a line that is not an MRZ line (5 characters)
	// document:
	// P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<
	// L898902C36UTO7408122F1204159ZE184226B<<<<<10
}

// A kiosk runs the driver on the configured port and hands events to the
// UI. Here the port is a fake scanner on a pseudo-terminal.
func ExampleDev_Run() {
	dir, err := os.MkdirTemp("", "scanner-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	port, err := scannertest.New(dir)
	if err != nil {
		log.Fatal(err)
	}
	defer port.Close()

	dev, err := scanner.New(&scanner.Serial{Path: port.Path()}, nil)
	if err != nil {
		log.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		dev.Run(ctx, func(e scanner.Event) {
			switch e.Kind {
			case scanner.EventState:
				fmt.Println("scanner", e.State)
				if e.State == scanner.StateConnected {
					port.Write(scannertest.Frame([]string{
						"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
						"L898902C36UTO7408122F1204159ZE184226B<<<<<10",
					}, scannertest.CR))
				}
			case scanner.EventDocument:
				fmt.Println("document", e.Doc.Format, "valid:", e.Doc.Valid)
				cancel()
			case scanner.EventUnreadable:
				fmt.Println("please scan again:", e.Err)
			}
		})
	}()
	<-done
	// Output:
	// scanner connected
	// document TD3 valid: true
	// scanner disconnected
}
