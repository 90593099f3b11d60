package hall_test

import (
	"context"
	"fmt"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central"
)

// TestDisplayStalled: the stream of a TV that stops reading ends once a
// write waits past the write timeout, and with it its subscription.
func TestDisplayStalled(t *testing.T) {
	h := startWith(t, "/nonexistent/espeak-ng", hallOptions{writeTimeout: 200 * time.Millisecond, sendBuffer: 4096})
	var last string
	for w := 1; w <= 7; w++ {
		h.submit(t)
		last = h.call(t, w).Status.Ticket.ApplicationID
	}
	// A TV that asks for the stream and then reads nothing, with a small
	// receive buffer, so that the server's writes soon wait.
	d := net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
		return c.Control(func(fd uintptr) { syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) })
	}}
	conn, err := d.Dial("tcp", h.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET /display/ALA-01/events?token=%s HTTP/1.1\r\nHost: hall\r\n\r\n", h.token)
	// Recalls fill the stream until the server gives up on it.
	for i := 0; !strings.Contains(h.log.String(), "i/o timeout"); i++ {
		if i == 3000 {
			t.Fatal("the stream of a TV that reads nothing never ended")
		}
		if _, err := h.srv.Act(context.Background(), central.ClerkAction{Branch: "ALA-01", ID: last, Action: central.ActionRecall}); err != nil {
			t.Fatal(err)
		}
	}
}
