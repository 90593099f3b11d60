package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestMakeRunSaysWhatItDoes: "make run" on a fresh checkout builds first,
// and the first build downloads the modules, which takes a while with no
// output of its own; the target says both before it starts, so a new user
// does not take the silence for a hang.
func TestMakeRunSaysWhatItDoes(t *testing.T) {
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("no make on this machine")
	}
	out, err := exec.Command("make", "-n", "-C", "../..", "run").CombinedOutput()
	if err != nil {
		t.Fatalf("make -n run: %v\n%s", err, out)
	}
	text := string(out)
	build := strings.Index(text, "go build")
	for _, want := range []string{"building", "downloads"} {
		i := strings.Index(text, want)
		if i < 0 || build >= 0 && i > build {
			t.Errorf("make run does not say it is %s before it builds:\n%s", want, text)
		}
	}
}
