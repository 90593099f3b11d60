package vm

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
)

// Printer plays an ESC/POS printer on a serial port: it answers the
// real-time status requests (DLE EOT n: online, paper present) and the
// transmit-status request that ends a job (GS r 1: paper present), and
// hands over each job's bytes.
type Printer struct {
	jobs chan []byte
}

// NewPrinter plays the printer on c until c ends.
func NewPrinter(c net.Conn) *Printer {
	p := &Printer{jobs: make(chan []byte, 4)}
	go func() {
		r := bufio.NewReader(c)
		var job []byte
		for {
			b, err := r.ReadByte()
			if err != nil {
				return
			}
			job = append(job, b)
			switch {
			case bytes.HasSuffix(job, []byte{0x10, 0x04}):
				if _, err := r.ReadByte(); err != nil { // n: which status; all are fine
					return
				}
				job = job[:len(job)-2]
				_, _ = c.Write([]byte{0x12})
			case bytes.HasSuffix(job, []byte{0x1D, 'r', 1}):
				_, _ = c.Write([]byte{0x00})
				// A job that is only a status exchange is no ticket.
				if j := job[:len(job)-3]; len(bytes.TrimSpace(j)) > 16 {
					p.jobs <- j
				}
				job = nil
			}
		}
	}()
	return p
}

// WaitJob waits for the next job that is more than a status exchange.
func (p *Printer) WaitJob(ctx context.Context) ([]byte, error) {
	select {
	case <-ctx.Done():
		return nil, fmt.Errorf("no ticket printed: %w", ctx.Err())
	case j := <-p.jobs:
		return j, nil
	}
}
