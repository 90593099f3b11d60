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
// A package's browser tests hold the browser and close it once:
//
//	var chromium browsertest.Chromium
//
//	func TestMain(m *testing.M) {
//		code := m.Run()
//		chromium.Close()
//		os.Exit(code)
//	}
//
// and a test reads as what its user does:
//
//	h := browsertest.Start(t, browsertest.Options{})
//	h.AddUser(t, "clerk1", "", central.RoleClerk, "ALA-01")
//	p := chromium.Open(t, h.URL)
//	p.Go("/console/signin?lang=kk")
//	p.Fill(`input[name="login"]`, "clerk1")
//	p.Fill(`input[name="password"]`, browsertest.Password)
//	p.Press(`form.signin button`)
//	p.Shortcut('n')
//	p.Screenshot("console-desk-kk")
//
// A page that a bearer token opens, as the hall's display does, takes it
// in its address: h.Token(t, central.RoleDisplay, "ALA-01", ""). What the
// page fetched (an announcement) is waited for with WaitRequest; a script
// error, a blocked script or a missing style or sound fails the test.
//
// Without Chromium the tests skip, saying so loudly; with
// KIOSK_BROWSER_REQUIRED=1 (set by .ci/run) they fail instead, so CI
// cannot pass without having run them. Screenshots go to the directory
// KIOSK_SCREENSHOTS names, else to the test's temporary directory.
package browsertest
