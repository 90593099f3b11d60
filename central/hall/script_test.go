package hall

import (
	"os/exec"
	"testing"
)

// TestScriptRecovers runs hall.js under node with a stand-in browser
// (testdata/recover.js): a display whose stream is refused backs off,
// tries a new stream while the server is out, and reloads only once the
// page answers.
func TestScriptRecovers(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed")
	}
	out, err := exec.Command(node, "testdata/recover.js", "static/hall.js").CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
}
