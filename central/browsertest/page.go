package browsertest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// Page is one tab of a test, on one server: its methods fail the test on
// an error, so a test reads as what a user does.
type Page struct {
	t     testing.TB
	ctx   context.Context
	base  string // the server's address, to which paths are relative
	shots string // where screenshots go
	rec   *record
}

// Open opens a tab on the server at base (an httptest server's URL) in a
// browser context of its own, so its cookies are its own.
func (c *Chromium) Open(t testing.TB, base string) *Page {
	t.Helper()
	return open(t, c.tab(t), base, screenshots(t))
}

// open records the tab's events and checks its problems at the test's end.
func open(t testing.TB, ctx context.Context, base, shots string) *Page {
	t.Helper()
	p := &Page{t: t, ctx: ctx, base: base, shots: shots, rec: newRecord()}
	if err := p.rec.listen(ctx); err != nil {
		t.Fatalf("browsertest: listening to the tab: %v", err)
	}
	t.Cleanup(p.check)
	return p
}

// Context is the tab's context, for chromedp actions of a test's own.
func (p *Page) Context() context.Context { return p.ctx }

// NewTab opens another tab in the same browser context: the same cookies,
// so the same signed-in user, as a clerk's second tab.
func (p *Page) NewTab() *Page {
	p.t.Helper()
	ctx, cancel := chromedp.NewContext(p.ctx)
	p.t.Cleanup(cancel)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(Width, Height)); err != nil {
		p.t.Fatalf("browsertest: opening a second tab: %v", err)
	}
	return open(p.t, ctx, p.base, p.shots)
}

// Do runs actions in the tab.
func (p *Page) Do(what string, actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, actions...); err != nil {
		p.t.Fatalf("%s: %v", what, err)
	}
}

// Go opens path on the server and waits for the page to load; it returns
// the answer's HTTP status.
func (p *Page) Go(path string) int64 {
	p.t.Helper()
	resp, err := chromedp.Run(p.ctx, chromedp.NavigateResponse(p.base+path))
	if err != nil {
		p.t.Fatalf("open %s: %v", path, err)
	}
	return resp.Status
}

// Await runs the trigger (a click, a key) and waits for the page it leads
// to, returning that page's HTTP status: a form posted and the redirect it
// answers with followed. A trigger that leads nowhere fails the test when
// the tab's time is out.
func (p *Page) Await(what string, trigger chromedp.Action[chromedp.Void]) int64 {
	p.t.Helper()
	resp, err := chromedp.RunResponse(p.ctx, trigger)
	if err != nil {
		p.t.Fatalf("%s: %v", what, err)
	}
	if resp == nil {
		p.t.Fatalf("%s: led to no page", what)
	}
	return resp.Status
}

// Press clicks the first element the CSS selector finds, once visible,
// and waits for the page the click leads to: for a form's buttons.
func (p *Page) Press(css string) int64 {
	p.t.Helper()
	return p.Await("press "+css, chromedp.Click(chromedp.CSS(css), chromedp.NodeVisible))
}

// Click clicks the first element the CSS selector finds, once visible,
// and waits for nothing: for a radio button, a copy button.
func (p *Page) Click(css string) {
	p.t.Helper()
	p.Do("click "+css, chromedp.Click(chromedp.CSS(css), chromedp.NodeVisible))
}

// Shortcut presses Alt with a letter, an access key on Linux, and waits
// for the page it leads to.
func (p *Page) Shortcut(letter rune) int64 {
	p.t.Helper()
	if letter < 'a' || letter > 'z' {
		p.t.Fatalf("shortcut Alt+%c: only a to z", letter)
	}
	return p.Await("Alt+"+string(letter), altKey(letter))
}

// altKey presses Alt with a letter as Chromium's own window does: a raw
// key down, a char event and a key up. chromedp.KeyEvent drops the char
// event when Alt is held (it would type the letter in a field), but Blink
// triggers access keys from the char event alone.
func altKey(letter rune) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		text := string(letter)
		code := int64(letter - 'a' + 'A') // the letter's Windows virtual key
		key := input.DispatchKeyEventParams{Modifiers: int64(chromedp.ModifierAlt), Key: text,
			Code: "Key" + strings.ToUpper(text), WindowsVirtualKeyCode: code, NativeVirtualKeyCode: code}
		down, char, up := key, key, key
		down.Type = input.DispatchKeyEventTypeRawKeyDown
		char.Type, char.Text, char.UnmodifiedText = input.DispatchKeyEventTypeChar, text, text
		char.WindowsVirtualKeyCode, char.NativeVirtualKeyCode = int64(letter), int64(letter)
		up.Type = input.DispatchKeyEventTypeKeyUp
		for _, ev := range []input.DispatchKeyEventParams{down, char, up} {
			if _, err := cdp.Call(ctx, t, input.DispatchKeyEvent, ev); err != nil {
				return fmt.Errorf("key Alt+%c: %w", letter, err)
			}
		}
		return nil
	})
}

// Fill types value into the field the CSS selector finds.
func (p *Page) Fill(css, value string) {
	p.t.Helper()
	p.Do("fill "+css, chromedp.SendKeys(chromedp.CSS(css), value, chromedp.NodeVisible))
}

// Text waits for the element the CSS selector finds to be visible and
// returns its text as shown.
func (p *Page) Text(css string) string {
	p.t.Helper()
	s, err := chromedp.Run(p.ctx, chromedp.Text(chromedp.CSS(css), chromedp.NodeVisible))
	if err != nil {
		p.t.Fatalf("text of %s: %v", css, err)
	}
	return s
}

// Count returns how many elements the CSS selector finds now.
func (p *Page) Count(css string) int {
	p.t.Helper()
	n, err := chromedp.Run(p.ctx, chromedp.Evaluate[int](`document.querySelectorAll(`+strconv.Quote(css)+`).length`))
	if err != nil {
		p.t.Fatalf("count %s: %v", css, err)
	}
	return n
}

// WaitVisible waits until the element the CSS selector finds is visible.
func (p *Page) WaitVisible(css string) {
	p.t.Helper()
	p.Do("wait for "+css, chromedp.WaitVisible(chromedp.CSS(css)))
}

// Poll waits until the JavaScript expression is truthy in the page.
func (p *Page) Poll(expr string) {
	p.t.Helper()
	if _, err := chromedp.Run(p.ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(0))); err != nil {
		p.t.Fatalf("wait for %s: %v", expr, err)
	}
}

// Eval returns the value of a JavaScript expression in the page.
func Eval[T any](p *Page, expr string) T {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		p.t.Fatalf("eval %s: %v", expr, err)
	}
	return v
}

// Screenshot saves the whole page, as laid out at Width×Height, as
// name.png in ScreenshotsEnv's directory (else the test's own), and returns the file's path.
func (p *Page) Screenshot(name string) string {
	p.t.Helper()
	png, err := chromedp.Run(p.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		p.t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(p.shots, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		p.t.Fatalf("screenshot %s: %v", name, err)
	}
	return path
}

// screenshots returns the directory screenshots go in: ScreenshotsEnv's,
// made if missing, else the test's temporary directory.
func screenshots(t testing.TB) string {
	t.Helper()
	d := os.Getenv(ScreenshotsEnv)
	if d == "" {
		return t.TempDir()
	}
	if err := os.MkdirAll(d, 0o755); err != nil {
		t.Fatalf("screenshots: %v", err)
	}
	return d
}

// AllowClipboard lets the page write and read the clipboard without
// asking, as a clerk's browser does once the console has asked, and keeps
// the page focused as a clerk's is (the clipboard needs it).
func (p *Page) AllowClipboard() {
	p.t.Helper()
	id := chromedp.FromContext(p.ctx).BrowserContextID
	for _, name := range []string{"clipboard-read", "clipboard-write"} {
		if _, err := chromedp.CallBrowser(p.ctx, browser.SetPermission, browser.SetPermissionParams{
			Permission: &browser.PermissionDescriptor{Name: name}, Setting: browser.PermissionSettingGranted,
			Origin: p.base, BrowserContextID: id}); err != nil {
			p.t.Fatalf("allow %s: %v", name, err)
		}
	}
	p.Do("focus", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true})
		return err
	}))
}

// Clipboard returns the clipboard's text, once AllowClipboard has run.
func (p *Page) Clipboard() string {
	p.t.Helper()
	return Eval[string](p, `navigator.clipboard.readText()`)
}
