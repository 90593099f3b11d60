package vm

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"regexp"
	"strings"
	"sync"
)

// Console keeps what the serial console showed, escapes removed, and
// tells waiters when it grows.
type Console struct {
	w    io.Writer
	mu   sync.Mutex
	text strings.Builder
	grew chan struct{}
	err  error
}

// escapes are the terminal's control sequences: CSI, OSC, charset
// selection and single-character escapes.
var escapes = regexp.MustCompile(`\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|[@-Z\\-_])`)

func newConsole(c net.Conn, log io.Writer) *Console {
	k := &Console{w: c, grew: make(chan struct{})}
	go func() {
		r := bufio.NewReader(io.TeeReader(c, log))
		buf := make([]byte, 4096)
		var pending []byte
		for {
			n, err := r.Read(buf)
			pending = append(pending, buf[:n]...)
			// Keep an unfinished escape or UTF-8 sequence for the next read.
			cut := len(pending)
			if i := bytes.LastIndexByte(pending, 0x1b); i >= 0 && len(pending)-i < 32 && !escapes.Match(pending[i:]) {
				cut = i
			}
			for cut > 0 && !utf8Boundary(pending, cut) {
				cut--
			}
			clean := escapes.ReplaceAll(pending[:cut], []byte(" "))
			pending = append([]byte(nil), pending[cut:]...)
			k.mu.Lock()
			k.text.Write(clean)
			if err != nil {
				k.err = err
			}
			close(k.grew)
			k.grew = make(chan struct{})
			k.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	return k
}

// utf8Boundary reports whether b[:i] ends on a whole UTF-8 character.
func utf8Boundary(b []byte, i int) bool {
	return i == len(b) || b[i]&0xC0 != 0x80
}

// Send types s on the console.
func (k *Console) Send(s string) { _, _ = io.WriteString(k.w, s) }

// WaitFor waits until text has appeared on the console since the last
// wait found its text.
func (k *Console) WaitFor(ctx context.Context, text string) error {
	_, err := k.WaitRegexp(ctx, regexp.QuoteMeta(text))
	return err
}

// WaitRegexp waits until pattern matches what the console showed since
// the last wait matched; it returns the match and its groups. It fails
// when the console ends first (QEMU stopped) or ctx is done.
func (k *Console) WaitRegexp(ctx context.Context, pattern string) ([]string, error) {
	re := regexp.MustCompile(pattern)
	for {
		k.mu.Lock()
		all := k.text.String()
		grew, err := k.grew, k.err
		if loc := re.FindStringSubmatchIndex(all); loc != nil {
			m := re.FindStringSubmatch(all)
			k.text.Reset()
			k.text.WriteString(all[loc[1]:])
			k.mu.Unlock()
			return m, nil
		}
		k.mu.Unlock()
		if err != nil {
			return nil, fmt.Errorf("the console ended (%v) before %s", err, pattern)
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("%s not on the console: %w", pattern, ctx.Err())
		case <-grew:
		}
	}
}

// Tail gives the last n bytes of what the console showed since the last
// wait matched.
func (k *Console) Tail(n int) string {
	k.mu.Lock()
	defer k.mu.Unlock()
	s := k.text.String()
	if len(s) > n {
		s = s[len(s)-n:]
	}
	return s
}

// Ended reports whether the console's connection ended, as it does when
// QEMU stops (the guest rebooted, with -no-reboot).
func (k *Console) Ended() bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.err != nil
}
