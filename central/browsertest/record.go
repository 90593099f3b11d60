package browsertest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// record is what a tab did that a test may ask about after the fact: the
// addresses it requested, and the problems it met (a script error, a
// console error, a blocked or failed style, script or media), which fail
// the test at its end.
type record struct {
	mu       sync.Mutex
	requests []string
	problems []string
	expected []string      // parts of the problems a test causes on purpose
	changed  chan struct{} // closed and replaced on every new request or problem
}

func newRecord() *record { return &record{changed: make(chan struct{})} }

// listen starts recording the tab's events; it runs in the tab's event
// loop, so it only files them.
func (r *record) listen(ctx context.Context) error {
	return chromedp.Listen(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			r.request(ev.Request.URL)
		case *network.EventResponseReceived:
			// A page's own status is the test's to check (a 409 is an
			// answer), and so is a fetch's; a style, script, picture or
			// sound the page needs and cannot have is a defect.
			if needed[ev.Type] && ev.Response.Status >= 400 {
				r.problem("%s %s: %d", ev.Type, ev.Response.URL, ev.Response.Status)
			}
		case *network.EventLoadingFailed:
			if needed[ev.Type] && !ev.Canceled {
				r.problem("%s request %s failed: %s %s", ev.Type, ev.RequestID, ev.ErrorText, ev.BlockedReason)
			}
		case *runtime.EventExceptionThrown:
			r.problem("script exception: %s", exceptionText(ev.ExceptionDetails))
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
				r.problem("console.%s from the page", ev.Type)
			}
		case *log.EventEntryAdded:
			// Network entries repeat the statuses above, a document's too.
			if ev.Entry.Level == log.EntryLevelError && ev.Entry.Source != log.EntrySourceNetwork {
				r.problem("%s error: %s", ev.Entry.Source, ev.Entry.Text)
			}
		}
	})
}

// needed are the kinds of resource a page needs to look and sound right.
// Not the favicon the browser asks for by itself (type Other).
var needed = map[network.ResourceType]bool{
	network.ResourceTypeStylesheet: true, network.ResourceTypeScript: true, network.ResourceTypeImage: true,
	network.ResourceTypeMedia: true, network.ResourceTypeFont: true,
}

func exceptionText(d *runtime.ExceptionDetails) string {
	if d == nil {
		return "?"
	}
	if d.Exception != nil && d.Exception.Description != "" {
		return d.Exception.Description
	}
	return d.Text
}

func (r *record) request(url string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.requests = append(r.requests, url)
	r.change()
}

// change wakes the waiters; r.mu is held.
func (r *record) change() {
	close(r.changed)
	r.changed = make(chan struct{})
}

func (r *record) problem(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	pr := fmt.Sprintf(format, args...)
	if slices.ContainsFunc(r.expected, func(part string) bool { return strings.Contains(pr, part) }) {
		return
	}
	r.problems = append(r.problems, pr)
	r.change()
}

// Requests returns the addresses the tab has requested so far, in order.
func (p *Page) Requests() []string {
	p.rec.mu.Lock()
	defer p.rec.mu.Unlock()
	return append([]string(nil), p.rec.requests...)
}

// WaitRequest waits until the tab has requested an address containing
// part (the display's announcement, say) and returns it.
func (p *Page) WaitRequest(part string) string {
	p.t.Helper()
	return p.wait("a request of "+part, func() (string, bool) {
		for _, u := range p.rec.requests {
			if strings.Contains(u, part) {
				return u, true
			}
		}
		return "", false
	})
}

// WaitProblem waits until the tab meets a problem whose text contains
// part, and returns it; a problem saying part, before or after, is then
// no failure: for a test that causes it on purpose.
func (p *Page) WaitProblem(part string) string {
	p.t.Helper()
	return p.wait("a problem saying "+part, func() (string, bool) {
		i := slices.IndexFunc(p.rec.problems, func(pr string) bool { return strings.Contains(pr, part) })
		if i < 0 {
			return "", false
		}
		found := p.rec.problems[i]
		p.rec.problems = slices.DeleteFunc(p.rec.problems, func(pr string) bool { return strings.Contains(pr, part) })
		p.rec.expected = append(p.rec.expected, part)
		return found, true
	})
}

// wait waits until found, run under the record's lock, finds something.
func (p *Page) wait(what string, found func() (string, bool)) string {
	p.t.Helper()
	for {
		p.rec.mu.Lock()
		v, ok := found()
		changed := p.rec.changed
		p.rec.mu.Unlock()
		if ok {
			return v
		}
		select {
		case <-changed:
		case <-p.ctx.Done():
			p.t.Fatalf("no %s: %v", what, p.ctx.Err())
		}
	}
}

// check fails the test with the problems the tab met.
func (p *Page) check() {
	p.t.Helper()
	p.rec.mu.Lock()
	defer p.rec.mu.Unlock()
	for _, pr := range p.rec.problems {
		p.t.Errorf("the page met a problem: %s", pr)
	}
}
