// Package browsertest runs central's web pages in a real headless
// Chromium, driven over the DevTools protocol with chromedp, as a clerk,
// a hall's television or a supervisor would use them.
//
// A test binary shares one browser, a [Chromium] held by the package's
// tests and closed by their TestMain; each test opens a [Page] of its own,
// in a browser context of its own (its own cookies), on a [Hall]: a real
// central server with the console mounted, on TLS loopback, with a SQLite
// store in the test's temporary directory and a settable clock.
//
// Without Chromium the tests skip, saying so loudly; with
// KIOSK_BROWSER_REQUIRED=1 (set by .ci/run) they fail instead, so CI
// cannot pass without having run them. Screenshots go to the directory
// KIOSK_SCREENSHOTS names, else to the test's temporary directory.
package browsertest
