package browsertest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Environment variables the browser tests read.
const (
	// RequiredEnv set to 1 makes a missing or broken Chromium fail the
	// tests instead of skipping them: CI sets it.
	RequiredEnv = "KIOSK_BROWSER_REQUIRED"
	// ExecEnv names the Chromium binary, overriding DefaultExec.
	ExecEnv = "KIOSK_CHROMIUM"
	// ScreenshotsEnv names the directory screenshots are saved in.
	ScreenshotsEnv = "KIOSK_SCREENSHOTS"
)

// DefaultExec is Debian's Chromium.
const DefaultExec = "/usr/bin/chromium"

// The window every page is seen in: the console's smallest screen.
const (
	Width  = 1366
	Height = 768
)

// TabTimeout bounds one test's use of its tab: every wait in it ends by
// then, so a page that never shows what a test waits for fails the test
// rather than hanging the binary. It is generous because the tests run
// under -race on two shared cores.
const TabTimeout = 3 * time.Minute

// Chromium is one headless Chromium shared by the tests of a binary; it
// starts on the first Open. The zero value is ready to use. Close it in
// TestMain after the tests have run.
type Chromium struct {
	mu      sync.Mutex
	started bool
	err     error // why it could not start, for every later Open
	dir     string
	browser context.Context
	cancel  []context.CancelFunc
}

// Exec returns the Chromium binary to run: ExecEnv's value, DefaultExec,
// or chromium on the PATH.
func Exec() (string, error) {
	if p := os.Getenv(ExecEnv); p != "" {
		return p, nil
	}
	if _, err := os.Stat(DefaultExec); err == nil {
		return DefaultExec, nil
	}
	p, err := exec.LookPath("chromium")
	if err != nil {
		return "", fmt.Errorf("browsertest: no Chromium at %s nor on the PATH (apt-get install chromium, or set %s)", DefaultExec, ExecEnv)
	}
	return p, nil
}

// start launches the browser once; a failure is kept for every caller.
func (c *Chromium) start() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.started {
		return c.err
	}
	c.started = true
	c.err = c.launch()
	return c.err
}

func (c *Chromium) launch() error {
	path, err := Exec()
	if err != nil {
		return err
	}
	// A fresh profile per run, outside any one test's directory: the
	// browser outlives the test that started it.
	c.dir, err = os.MkdirTemp("", "kiosk-chromium-")
	if err != nil {
		return fmt.Errorf("browsertest: a profile directory: %w", err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox, // CI runs as root, where the sandbox cannot start
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-background-networking", true),
		// The display speaks without a click, as a hall's TV must.
		chromedp.Flag("autoplay-policy", "no-user-gesture-required"),
		chromedp.UserDataDir(c.dir),
		chromedp.WindowSize(Width, Height),
		chromedp.WSURLReadTimeout(time.Minute),
	)
	opts = append(opts, certOptions()...)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	browser, cancelBrowser := chromedp.NewContext(alloc)
	c.cancel = []context.CancelFunc{cancelBrowser, cancelAlloc}
	c.browser = browser
	// The first run starts the browser, with the browser's own context: a
	// context derived from it would end the browser when it ends. The
	// allocator's WSURLReadTimeout bounds the start.
	if err := chromedp.Do(browser); err != nil {
		return fmt.Errorf("browsertest: starting %s: %w", path, err)
	}
	return nil
}

// Close stops the browser and removes its profile.
func (c *Chromium) Close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, cancel := range c.cancel {
		cancel()
	}
	c.cancel = nil
	if c.dir != "" {
		os.RemoveAll(c.dir)
		c.dir = ""
	}
}

// tab opens a tab in a browser context of its own, closed at the end of
// the test, and returns it bounded by TabTimeout. A browser that cannot
// start skips the test, or fails it when RequiredEnv is 1.
func (c *Chromium) tab(t testing.TB) context.Context {
	t.Helper()
	if err := c.start(); err != nil {
		Unavailable(t, err)
	}
	tab, closeTab := chromedp.NewContext(c.browser, chromedp.WithNewBrowserContext())
	ctx, cancel := context.WithTimeout(tab, TabTimeout)
	t.Cleanup(func() {
		cancel()
		closeTab()
	})
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(Width, Height)); err != nil {
		t.Fatalf("browsertest: opening a tab: %v", err)
	}
	return ctx
}

// Unavailable ends a test that needs a browser it cannot have: a skip,
// loud in the output, or a failure when RequiredEnv is 1.
func Unavailable(t testing.TB, err error) {
	t.Helper()
	if os.Getenv(RequiredEnv) == "1" {
		t.Fatalf("%v; %s=1, so the browser tests must run", err, RequiredEnv)
	}
	msg := fmt.Sprintf("BROWSER TESTS SKIPPED: %v (set %s=1 to make this a failure)", err, RequiredEnv)
	fmt.Fprintln(os.Stderr, msg) // seen without -v
	t.Skip(msg)
}
