package matrix

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/gox-build/gox/shim/internal/base"
)

// matrixEvent is one line of -json output.
type matrixEvent struct {
	Action   string   `json:"action"` // start, done, fail
	Target   string   `json:"target"`
	Package  string   `json:"package,omitempty"`
	Output   string   `json:"output,omitempty"`
	Size     int64    `json:"size,omitempty"`
	Duration float64  `json:"durationSeconds,omitempty"`
	Verify   verdict  `json:"verify,omitempty"`
	Error    string   `json:"error,omitempty"`
	Hints    []string `json:"hints,omitempty"`
	Time     string   `json:"time"`
}

// progress shows the state of every job: on a terminal one live line per
// job, redrawn in place; otherwise one plain line per change; with -json
// one event per start and finish on stdout.
type progress struct {
	mu     sync.Mutex
	w      io.Writer
	events *json.Encoder
	jobs   []*job
	tty    bool
	drawn  int
	done   chan struct{}
	once   sync.Once
}

func newProgress(stderr, stdout io.Writer, jobs []*job, jsonEvents bool) *progress {
	p := &progress{w: stderr, jobs: jobs, done: make(chan struct{})}
	if jsonEvents {
		p.events = json.NewEncoder(stdout)
		return p
	}
	if f, ok := stderr.(*os.File); ok && os.Getenv("TERM") != "dumb" {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			p.tty = true
			p.tick(200 * time.Millisecond)
		}
	}
	return p
}

// tick redraws the terminal lines every interval until stop, so that the
// seconds count up while nothing changes.
func (p *progress) tick(interval time.Duration) {
	go func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				p.mu.Lock()
				p.redraw()
				p.mu.Unlock()
			case <-p.done:
				return
			}
		}
	}()
}

// update changes j's state under the lock the terminal ticker reads it
// with, then reports it.
func (p *progress) update(j *job, change func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	change()
	switch {
	case p.events != nil:
		ev := matrixEvent{Target: j.Target.String(), Package: j.Pkg, Output: j.Output, Time: time.Now().UTC().Format(time.RFC3339Nano)}
		switch j.State {
		case building:
			ev.Action = "start"
		case done:
			ev.Action, ev.Size, ev.Duration, ev.Verify = "done", j.Size, j.Elapsed.Seconds(), j.Verify
		case failed, skipped:
			ev.Action, ev.Duration, ev.Verify, ev.Error, ev.Hints = "fail", j.Elapsed.Seconds(), j.Verify, base.OrDefault(j.Err, j.State.String()), j.Hints
		default:
			return
		}
		_ = p.events.Encode(ev)
	case p.tty:
		p.redraw()
	case j.State != verifying:
		line := stateLine(j)
		if j.State == building {
			line = "building"
		}
		fmt.Fprintf(p.w, "gox: %s: %s\n", j.label(), line)
	}
}

func stateLine(j *job) string {
	switch j.State {
	case done:
		return fmt.Sprintf("done in %.1fs", j.Elapsed.Seconds())
	case failed:
		return fmt.Sprintf("failed after %.1fs", j.Elapsed.Seconds())
	case building, verifying:
		return fmt.Sprintf("%s %.1fs", j.State, time.Since(j.Start).Seconds())
	}
	return j.State.String()
}

// redraw rewrites the job lines in place (the cursor moves up over the
// lines drawn last time). Called with p.mu held.
func (p *progress) redraw() {
	var b strings.Builder
	if p.drawn > 0 {
		fmt.Fprintf(&b, "\x1b[%dA", p.drawn)
	}
	for _, j := range p.jobs {
		mark := " "
		switch j.State {
		case done:
			mark = "✓"
		case failed:
			mark = "✗"
		case building, verifying:
			mark = "…"
		}
		fmt.Fprintf(&b, "\x1b[2K%s %-22s %s\n", mark, j.label(), stateLine(j))
	}
	p.drawn = len(p.jobs)
	io.WriteString(p.w, b.String())
}

func (p *progress) stop() {
	p.once.Do(func() {
		close(p.done)
		if p.tty {
			p.mu.Lock()
			p.redraw()
			p.mu.Unlock()
		}
	})
}
