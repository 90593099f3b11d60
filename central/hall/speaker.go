package hall

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os/exec"
	"strconv"
	"sync"
	"time"
)

// SpeakerOptions configure a Speaker.
type SpeakerOptions struct {
	// Espeak is the espeak-ng command: a path, or a name looked up in
	// PATH; "" means "espeak-ng". When it cannot be found the Speaker
	// chimes without speech and says so once, at New.
	Espeak string
	// CacheSize bounds the announcements kept in memory; 0 means 512 (a
	// branch's day: numbers of a few lanes at a dozen windows, about
	// 150 KB each).
	CacheSize int
	// Timeout bounds the synthesis of one announcement, from its start:
	// the wait for free espeak-ng processes and the runs of both voices;
	// 0 means 15 s. A phrase not said by then is a chime only, so no
	// queue builds up behind a stuck synthesis.
	Timeout time.Duration
	// Parallel bounds the espeak-ng processes running at once; 0 means 2.
	Parallel int
	// Logger gets the warning of a missing espeak-ng and synthesis
	// failures; nil discards.
	Logger *slog.Logger
}

// Speaker makes the hall's announcements: the chime, then the phrase in
// Kazakh and in Russian, synthesised offline by espeak-ng and kept per
// phrase. It is safe for concurrent use.
type Speaker struct {
	espeak  string // "" when espeak-ng is missing: chime only
	timeout time.Duration
	slots   chan struct{}
	log     *slog.Logger
	chime   []byte // the chime-only announcement

	mu       sync.Mutex
	cache    map[string][]byte
	order    []string // cache keys, oldest first, for eviction
	size     int
	inflight map[string]*synthCall
	runs     int
}

// synthCall is one synthesis that later requests for the same phrase wait
// for rather than running espeak-ng again.
type synthCall struct {
	done chan struct{}
	wav  []byte
	err  error
}

// maxPending bounds the phrases being synthesised or waiting for it, so
// that a flood of new numbers cannot pile up work without end.
const maxPending = 32

// ErrBusy: too many phrases wait for synthesis; the caller chimes only.
var ErrBusy = errors.New("hall: too many announcements waiting for espeak-ng")

// NewSpeaker finds espeak-ng and prepares the cache.
func NewSpeaker(o SpeakerOptions) (*Speaker, error) {
	s := &Speaker{
		timeout: o.Timeout, size: o.CacheSize, log: o.Logger,
		cache: map[string][]byte{}, inflight: map[string]*synthCall{},
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.timeout <= 0 {
		s.timeout = 15 * time.Second
	}
	if s.size <= 0 {
		s.size = 512
	}
	if o.Parallel <= 0 {
		o.Parallel = 2
	}
	s.slots = make(chan struct{}, o.Parallel)
	if o.Espeak == "" {
		o.Espeak = "espeak-ng"
	}
	if path, err := exec.LookPath(o.Espeak); err != nil {
		s.log.Warn("hall display: espeak-ng not found; displays will chime without speech (apt install espeak-ng)", slog.String("command", o.Espeak))
	} else {
		s.espeak = path
	}
	s.chime = wavFile(sampleRate, chime(sampleRate), silence(sampleRate, 0.2))
	return s, nil
}

// Speaks reports whether the announcements speak, espeak-ng being there.
func (s *Speaker) Speaks() bool { return s.espeak != "" }

// Chime is the chime alone, as a WAV file.
func (s *Speaker) Chime() []byte { return s.chime }

// Runs counts the espeak-ng runs so far, each voice of each phrase one.
func (s *Speaker) Runs() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.runs
}

// Announce returns the announcement of p as a WAV file: the chime, then
// p.KK, then p.RU. A phrase said before comes from the cache; the same
// phrase asked for twice at once is synthesised once. Without espeak-ng
// it is the chime alone. Errors: a failed or timed-out synthesis, ErrBusy,
// or ctx's.
func (s *Speaker) Announce(ctx context.Context, p Phrase) ([]byte, error) {
	if s.espeak == "" {
		return s.chime, nil
	}
	key := p.Number + "-" + strconv.Itoa(p.Window)
	s.mu.Lock()
	if wav, ok := s.cache[key]; ok {
		s.mu.Unlock()
		return wav, nil
	}
	c, ok := s.inflight[key]
	if !ok && len(s.inflight) >= maxPending {
		s.mu.Unlock()
		return nil, ErrBusy
	}
	if !ok {
		c = &synthCall{done: make(chan struct{})}
		s.inflight[key] = c
		go s.fill(key, p, c)
	}
	s.mu.Unlock()
	select {
	case <-c.done:
		return c.wav, c.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// fill makes one announcement and keeps it. It runs apart from the
// request that asked, so a display that hangs up does not waste the work
// the next one will ask for; its deadline starts now, before it waits for
// a process.
func (s *Speaker) fill(key string, p Phrase, c *synthCall) {
	defer close(c.done)
	ctx, cancel := context.WithTimeout(context.Background(), s.timeout)
	defer cancel()
	c.wav, c.err = s.synthesise(ctx, p)
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.inflight, key)
	if c.err != nil {
		return
	}
	if len(s.order) >= s.size {
		delete(s.cache, s.order[0])
		s.order = s.order[1:]
	}
	s.cache[key] = c.wav
	s.order = append(s.order, key)
}

// synthesise runs espeak-ng for each voice and joins the chime and the
// two phrases.
func (s *Speaker) synthesise(ctx context.Context, p Phrase) ([]byte, error) {
	kk, err := s.run(ctx, "kk", p.KK)
	if err != nil {
		return nil, err
	}
	ru, err := s.run(ctx, "ru", p.RU)
	if err != nil {
		return nil, err
	}
	rate, kkPCM, err := pcmOf(kk)
	if err != nil {
		return nil, fmt.Errorf("hall: espeak-ng kk: %w", err)
	}
	rate2, ruPCM, err := pcmOf(ru)
	if err != nil || rate2 != rate {
		return nil, fmt.Errorf("hall: espeak-ng ru: %w", errors.Join(err, errWAV))
	}
	return wavFile(rate, chime(rate), silence(rate, 0.3), kkPCM, silence(rate, 0.6), ruPCM, silence(rate, 0.3)), nil
}

// maxWAV bounds what one espeak-ng run may write: a phrase is a few
// seconds, about 150 KB.
const maxWAV = 4 << 20

// run has espeak-ng say text in voice, a WAV on its standard output,
// once a process slot is free, all before ctx's deadline.
func (s *Speaker) run(ctx context.Context, voice, text string) ([]byte, error) {
	select {
	case s.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, fmt.Errorf("hall: espeak-ng -v %s: waiting for a free process: %w", voice, ctx.Err())
	}
	defer func() { <-s.slots }()
	s.mu.Lock()
	s.runs++
	s.mu.Unlock()
	// The text is an argument after "--", never parsed as an option, and
	// built by ParsePhrase from a checked number and window.
	cmd := exec.CommandContext(ctx, s.espeak, "-v", voice, "-s", "140", "--stdout", "--", text)
	var out, stderr bytes.Buffer
	cmd.Stdout = &limitWriter{w: &out, n: maxWAV}
	cmd.Stderr = &limitWriter{w: &stderr, n: 4096}
	cmd.WaitDelay = time.Second
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("hall: espeak-ng -v %s: %w: %s", voice, err, bytes.TrimSpace(stderr.Bytes()))
	}
	return out.Bytes(), nil
}

// limitWriter keeps the first n bytes and refuses the rest.
type limitWriter struct {
	w io.Writer
	n int
}

func (l *limitWriter) Write(p []byte) (int, error) {
	if len(p) > l.n {
		return 0, errors.New("hall: espeak-ng wrote too much")
	}
	l.n -= len(p)
	return l.w.Write(p)
}
