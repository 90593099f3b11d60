package browsertest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
)

// WaitRequests waits until the tab has requested n addresses containing
// part (a number announced, then announced again) and returns them.
func (p *Page) WaitRequests(part string, n int) []string {
	p.t.Helper()
	var got []string
	p.wait(fmt.Sprintf("%d requests of %s", n, part), func() (string, bool) {
		got = got[:0]
		for _, u := range p.rec.requests {
			if strings.Contains(u, part) {
				got = append(got, u)
			}
		}
		return "", len(got) >= n
	})
	return got
}

// PollWithin waits until the JavaScript expression is truthy in the page,
// for at most d of the test's wall clock, and returns how long it took;
// it fails the test, saying how long it waited, when d passes first: for
// a figure the issue states, as a display's second.
func (p *Page) PollWithin(expr string, d time.Duration) time.Duration {
	p.t.Helper()
	start := time.Now()
	ctx, cancel := context.WithTimeout(p.ctx, d)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(0), chromedp.WithPollingInterval(10*time.Millisecond)))
	took := time.Since(start)
	if err != nil {
		p.t.Fatalf("%s not true within %v (waited %v): %v", expr, d, took.Round(time.Millisecond), err)
	}
	return took
}

// Viewport lays the page out at w×h, as a screen of that size shows it;
// a tab opens at Width×Height.
func (p *Page) Viewport(w, h int64) {
	p.t.Helper()
	p.Do(fmt.Sprintf("viewport %d×%d", w, h), chromedp.EmulateViewport(w, h))
}

// Download clicks the element the CSS selector finds (a form's button
// answering with an attachment), waits for the browser to save the file
// and returns its name as suggested and its contents.
func (p *Page) Download(css string) (string, []byte) {
	p.t.Helper()
	dir := p.t.TempDir()
	c := chromedp.FromContext(p.ctx)
	events := true
	if _, err := chromedp.CallBrowser(p.ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, BrowserContextID: c.BrowserContextID,
		DownloadPath: dir, EventsEnabled: &events}); err != nil {
		p.t.Fatalf("allow downloads: %v", err)
	}
	type done struct {
		guid string
		ok   bool
	}
	began := make(chan [2]string, 1)
	ended := make(chan done, 1)
	ctx, cancel := context.WithCancel(p.ctx)
	defer cancel()
	if err := chromedp.ListenBrowser(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *browser.EventDownloadWillBegin:
			select {
			case began <- [2]string{ev.GUID, ev.SuggestedFilename}:
			default:
			}
		case *browser.EventDownloadProgress:
			if ev.State == browser.DownloadProgressStateCompleted || ev.State == browser.DownloadProgressStateCanceled {
				select {
				case ended <- done{guid: ev.GUID, ok: ev.State == browser.DownloadProgressStateCompleted}:
				default:
				}
			}
		}
	}); err != nil {
		p.t.Fatalf("listen for downloads: %v", err)
	}
	p.Click(css)
	var b [2]string
	select {
	case b = <-began:
	case <-p.ctx.Done():
		p.t.Fatalf("press %s: no download began: %v", css, p.ctx.Err())
	}
	select {
	case d := <-ended:
		if !d.ok {
			p.t.Fatalf("press %s: the download of %s was cancelled", css, b[1])
		}
	case <-p.ctx.Done():
		p.t.Fatalf("press %s: the download of %s did not end: %v", css, b[1], p.ctx.Err())
	}
	body, err := os.ReadFile(filepath.Join(dir, b[0])) // allowAndName names it by its guid
	if err != nil {
		p.t.Fatalf("the download of %s: %v", b[1], err)
	}
	return b[1], body
}
