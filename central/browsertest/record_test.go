package browsertest_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestPageProblems: what goes wrong in a page a user would not see is
// recorded: a script the page's policy blocks, a script error, a missing
// style sheet; and every address requested.
func TestPageProblems(t *testing.T) {
	ts := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			w.Header().Set("Content-Security-Policy", "script-src 'self'")
			fmt.Fprint(w, `<!doctype html><title>t</title><link rel="stylesheet" href="/missing.css">`+
				`<script>document.title = "inline ran"</script><script src="/throw.js"></script><p id="ok">ok</p>`)
		case "/throw.js":
			w.Header().Set("Content-Type", "text/javascript")
			fmt.Fprint(w, `throw new Error("broken on purpose")`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer ts.Close()
	p := chromium.Open(t, ts.URL)
	p.Go("/")
	p.WaitRequest("/throw.js")
	for _, want := range []string{"/missing.css", "broken on purpose", "Content Security Policy"} {
		t.Logf("problem: %s", p.WaitProblem(want))
	}
}
