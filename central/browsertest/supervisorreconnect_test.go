package browsertest_test

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/chromedp"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/browsertest"
)

// TestSupervisorReconnects: the supervisor page's stream, cut and then
// refused (a 503 from a proxy while the server restarts), which closes an
// EventSource for good, is opened again once the server answers, and the
// page shows what happened meanwhile; once the session has idled out, the
// page goes to the sign-in page.
func TestSupervisorReconnects(t *testing.T) {
	h := browsertest.Start(t, browsertest.Options{})
	h.AddUser(t, "sup1", "Сара", central.RoleSupervisor, "ALA-01")
	p := chromium.Open(t, h.URL)
	signIn(t, p, "sup1", browsertest.Password)
	if st := p.Go("/console/supervisor?lang=en"); st != http.StatusOK {
		t.Fatalf("supervisor page = %d", st)
	}
	heartbeat(t, h, "ok")
	p.Poll(`document.querySelector("#kiosk-K-01").textContent.includes("online")`)

	// From now on the stream's requests are answered 503, as by a proxy
	// before a server that is down.
	var refused atomic.Int32
	failed := make(chan struct{}, 1)
	ctx := p.Context()
	if err := chromedp.Listen(ctx, func(ev any) {
		e, ok := ev.(*fetch.EventRequestPaused)
		if !ok {
			return
		}
		go chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, fetch.FulfillRequest, fetch.FulfillRequestParams{RequestID: e.RequestID, ResponseCode: http.StatusServiceUnavailable,
				Body: []byte("down")})
			if err == nil && refused.Add(1) == 1 {
				failed <- struct{}{}
			}
			return err
		}))
	}); err != nil {
		t.Fatal(err)
	}
	p.Do("refuse the stream", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*/console/supervisor/events*"}}})
		return err
	}))
	h.CloseClientConnections()
	select {
	case <-failed:
	case <-ctx.Done():
		t.Fatal("the stream was never asked for again after the cut")
	}
	heartbeat(t, h, "out") // while the page is cut off
	p.Do("answer the stream again", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, fetch.Disable, cdp.Empty{})
		return err
	}))
	p.Poll(`window.superEvents && window.superEvents.readyState === EventSource.OPEN`)
	p.Poll(`document.querySelector("#kiosk-K-01").textContent.includes("OUT")`)
	p.Screenshot("supervisor-reconnected-en")

	// The page's own refreshes kept nobody signed in: past the idle time
	// the next change takes the page to the sign-in page.
	h.Advance(central.SessionIdle + central.SessionTouch)
	heartbeat(t, h, "low")
	p.WaitVisible("form.signin")
}
