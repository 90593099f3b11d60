package printer_test

import (
	"context"
	"errors"
	"fmt"

	"periph.io/x/conn/v3/conntest"

	"github.com/hcsc-kz/kiosk/devices/printer"
	"github.com/hcsc-kz/kiosk/devices/printer/escpos"
	"github.com/hcsc-kz/kiosk/devices/printer/preview"
)

// A ticket printed on a recorder, then read back with the preview decoder.
// A recorder cannot answer status requests, so the profile's dialect is
// set to none, as for a file.
func Example() {
	p, err := printer.LookupProfile("epson-tm-t20iii")
	if err != nil {
		fmt.Println(err)
		return
	}
	p.Status = printer.NoStatus
	rec := &conntest.Record{}
	dev, err := printer.New(rec, &printer.Opts{Profile: p})
	if err != nil {
		fmt.Println(err)
		return
	}
	err = dev.PrintTicket(context.Background(), &printer.Ticket{
		Number: "A042",
		Status: "ST-7QK2-9F4M",
		Blocks: []printer.Block{{
			Lang:        "kk",
			NumberLabel: "Кезек нөміріңіз",
			Service:     "Жеке сәйкестендіру нөмірін (ЖСН) алу",
			Notice:      "Қызмет тегін көрсетіледі, делдалға ақы төлемеңіз",
			// What the code is for, printed above it.
			StatusCaption: "Сканерлеңіз: кезектегі орныңыз",
		}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	job := rec.Ops[0].W
	res, err := preview.Decode(job, preview.Options{Dots: p.Dots, Tables: p.TableNames()})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d bytes\n%s", len(job), res)
	// Output:
	// 228 bytes
	// ^ Кезек нөміріңіз
	// ^ ×5 A042
	//
	// Жеке сәйкестендіру нөмірін (ЖСН) алу
	// Қызмет тегін көрсетіледі, делдалға ақы төлемеңіз
	// ^ Сканерлеңіз: кезектегі орныңыз
	//
	// ^ ×6 [QR: ST-7QK2-9F4M]
	// --- cut ---
}

// A printer out of paper refuses the ticket before sending any of it, so
// the kiosk can show the number on screen instead.
func ExampleDev_PrintTicket_paperOut() {
	pb := &conntest.Playback{
		Ops: []conntest.IO{{
			W: escpos.StatusRequest(1, 2, 3, 4), // the status check before the ticket
			R: []byte{0x1A, 0x32, 0x12, 0x72},   // offline; stopped by paper end; roll end
		}},
		DontPanic: true,
	}
	dev, err := printer.New(pb, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	err = dev.PrintTicket(context.Background(), &printer.Ticket{Number: "A042"})
	var je *printer.JobError
	if errors.As(err, &je) {
		fmt.Println(je.Stage, je.State, errors.Is(err, printer.ErrPaperOut))
	}
	fmt.Println("playback:", pb.Close())
	// Output:
	// before the ticket paper-out true
	// playback: <nil>
}
