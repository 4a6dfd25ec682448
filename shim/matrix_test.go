package shim

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gox-build/gox/toolchain"
)

func TestExpandTargets(t *testing.T) {
	ports := []toolchain.Port{
		{GOOS: "linux", GOARCH: "amd64", CgoSupported: true, FirstClass: true},
		{GOOS: "linux", GOARCH: "arm64", CgoSupported: true, FirstClass: true},
		{GOOS: "linux", GOARCH: "arm", CgoSupported: true, FirstClass: true},
		{GOOS: "linux", GOARCH: "loong64", CgoSupported: true},
		{GOOS: "windows", GOARCH: "amd64", CgoSupported: true, FirstClass: true},
		{GOOS: "js", GOARCH: "wasm"},
		{GOOS: "linux", GOARCH: "mips", Broken: true},
	}
	names := func(ts []toolchain.Target) string {
		var s []string
		for _, t := range ts {
			s = append(s, t.String())
		}
		return strings.Join(s, " ")
	}
	for _, c := range []struct {
		spec string
		skip []string
		want string
	}{
		{"linux/arm64,windows/amd64", nil, "linux/arm64 windows/amd64"},
		{"linux/arm/v6,softfloat,linux/arm64", nil, "linux/arm/v6,softfloat linux/arm64"},
		{"all", nil, "linux/amd64 linux/arm64 linux/arm linux/loong64 windows/amd64 js/wasm"},
		{"firstclass", []string{"windows/*", "linux/arm"}, "linux/amd64 linux/arm64"},
		{"cgo,js/wasm", []string{"linux/loong64", "linux/arm"}, "linux/amd64 linux/arm64 windows/amd64 js/wasm"},
		{"linux/arm64,arm64", nil, "linux/arm64"},
	} {
		got, err := expandTargets(c.spec, ports, "linux", c.skip)
		if err != nil || names(got) != c.want {
			t.Errorf("expandTargets(%q, %q) = %q, %v; want %q", c.spec, c.skip, names(got), err, c.want)
		}
	}
	if _, err := expandTargets("all", ports, "linux", []string{"*/*"}); err == nil {
		t.Error("everything skipped: no error")
	}
	if _, err := expandTargets("linux/nope,linux/arm64", ports, "linux", nil); err == nil {
		t.Error("a bad target accepted")
	}
}

func TestPlanOutputs(t *testing.T) {
	tg := func(s string) toolchain.Target {
		x, err := toolchain.ParseTarget(s, "linux")
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	jobs := func(targets ...string) []*job {
		var js []*job
		for _, s := range targets {
			js = append(js, &job{Target: tg(s), Name: "app"})
		}
		return js
	}
	js := jobs("linux/amd64", "linux/arm/v7", "linux/arm/v6,softfloat", "windows/amd64", "linux/amd64/v3", "linux/amd64/musl")
	if err := planOutputs(DefaultOutput, js, ""); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, j := range js {
		got = append(got, j.Output)
	}
	want := "dist/app_linux_amd64 dist/app_linux_armv7 dist/app_linux_armv6softfloat dist/app_windows_amd64.exe dist/app_linux_amd64v3 dist/app_linux_amd64_musl"
	if strings.Join(got, " ") != want {
		t.Errorf("outputs\n%s\nwant\n%s", strings.Join(got, " "), want)
	}
	if err := planOutputs("out/{{.Name}}", jobs("linux/amd64", "linux/arm64"), ""); err == nil || !strings.Contains(err.Error(), "would both write out/app") {
		t.Errorf("collision: %v", err)
	}
	if err := planOutputs("out/{{.Nope}}", jobs("linux/amd64"), ""); err == nil {
		t.Error("unknown template field accepted")
	}
	arch := jobs("linux/arm64", "windows/amd64")
	if err := planOutputs("{{.Target}}/{{.Name}}{{.Ext}}", arch, "c-archive"); err != nil || arch[0].Output != "linux_arm64/app.a" || arch[1].Output != "windows_amd64/app.a" {
		t.Errorf("c-archive outputs %q %q, %v", arch[0].Output, arch[1].Output, err)
	}
	shared := jobs("windows/amd64")
	if err := planOutputs("{{.Name}}{{.Ext}}", shared, "c-shared"); err != nil || shared[0].Output != "app" {
		t.Errorf("c-shared output %q, %v", shared[0].Output, err)
	}
}

func TestExtractMatrixFlags(t *testing.T) {
	args, mf, err := extractMatrixFlags(strings.Fields("build -parallel 3 -skip windows/*,darwin/* -failfast -json -ldflags -s ./cmd/app"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(args, " ") != "build -ldflags -s ./cmd/app" || mf.parallel != 3 || len(mf.skip) != 2 || !mf.failfast || !mf.json {
		t.Errorf("got %q %+v", args, mf)
	}
	for _, bad := range []string{"build -parallel 0 .", "build -parallel", "build -skip [ ."} {
		if _, _, err := extractMatrixFlags(strings.Fields(bad)); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// On a terminal the progress display redraws one line per job in place.
func TestProgressRedraw(t *testing.T) {
	var b strings.Builder
	arm64, _ := toolchain.ParseTarget("linux/arm64", "linux")
	win, _ := toolchain.ParseTarget("windows/amd64", "linux")
	jobs := []*job{{Target: arm64, Name: "app", State: "done"}, {Target: win, Name: "app", State: "queued"}}
	p := &progress{w: &b, jobs: jobs, tty: true, done: make(chan struct{})}
	p.redraw()
	first := b.String()
	if strings.Contains(first, "\x1b[2A") || strings.Count(first, "\x1b[2K") != 2 || !strings.Contains(first, "✓ linux/arm64 app") || !strings.Contains(first, "windows/amd64 app") {
		t.Fatalf("first draw %q", first)
	}
	b.Reset()
	jobs[1].State = "failed"
	p.redraw()
	if again := b.String(); !strings.HasPrefix(again, "\x1b[2A") || !strings.Contains(again, "✗ windows/amd64 app") {
		t.Errorf("redraw %q: want the cursor moved up over both lines, then the new states", again)
	}
}

// TestProgressTickerRace runs the terminal ticker while jobs change state
// from their own goroutines, as runJobs does; go test -race checks that
// every change happens under the lock the ticker reads with.
func TestProgressTickerRace(t *testing.T) {
	var mu sync.Mutex
	var b lockedBuilder
	b.mu = &mu
	arm64, _ := toolchain.ParseTarget("linux/arm64", "linux")
	riscv, _ := toolchain.ParseTarget("linux/riscv64", "linux")
	jobs := []*job{{Target: arm64, Name: "app", State: "queued"}, {Target: riscv, Name: "app", State: "queued"}}
	p := &progress{w: &b, jobs: jobs, tty: true, done: make(chan struct{})}
	p.tick(time.Millisecond)
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				p.update(j, func() { j.Start, j.State = time.Now(), "building" })
				time.Sleep(200 * time.Microsecond)
				p.update(j, func() { j.State, j.Elapsed = "done", time.Since(j.Start) })
			}
		}()
	}
	wg.Wait()
	p.stop()
	if !strings.Contains(b.String(), "✓ linux/riscv64 app") {
		t.Errorf("no final state drawn: %q", b.String())
	}
}

type lockedBuilder struct {
	mu *sync.Mutex
	b  strings.Builder
}

func (l *lockedBuilder) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuilder) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
