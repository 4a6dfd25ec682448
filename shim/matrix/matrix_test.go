package matrix

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gox-build/gox/shim/cmdline"
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
	if err := planOutputs("out/{{.Nope}}", jobs("linux/amd64"), ""); err == nil || !strings.Contains(err.Error(), "unknown field {{.Nope}}") {
		t.Errorf("unknown template field: %v", err)
	}
	if err := planOutputs("out/{{.OS", jobs("linux/amd64"), ""); err == nil || !strings.Contains(err.Error(), "{{.OS is not closed with }}") {
		t.Errorf("an unclosed field: %v", err)
	}
	// a directory template, as go build -o dir/ takes one: the file is
	// named after the package, with the target's extension
	dirs := jobs("linux/arm64", "windows/amd64")
	if err := planOutputs("dist/{{.OS}}_{{.Arch}}/", dirs, ""); err != nil || dirs[0].Output != "dist/linux_arm64/app" || dirs[1].Output != "dist/windows_amd64/app.exe" {
		t.Errorf("directory outputs %q %q, %v", dirs[0].Output, dirs[1].Output, err)
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

// TestPlanMatrix pins the matrix's one decision: from a command line, the
// toolchain's ports and go list's packages to jobs, their go command lines
// and outputs, and the parallelism.
func TestPlanMatrix(t *testing.T) {
	ports := []toolchain.Port{
		{GOOS: "linux", GOARCH: "amd64", CgoSupported: true, FirstClass: true},
		{GOOS: "linux", GOARCH: "arm64", CgoSupported: true, FirstClass: true},
		{GOOS: "windows", GOARCH: "amd64", CgoSupported: true, FirstClass: true},
		{GOOS: "darwin", GOARCH: "arm64", CgoSupported: true, FirstClass: true},
	}
	app := []matrixPkg{{"example.com/app", "app"}, {"example.com/tool/v2", "tool"}}
	tests := []struct {
		line     string
		pkgs     []matrixPkg
		cpus     int
		jobs     string // one per job: target=go command line
		parallel int
		err      string
	}{
		{line: "build -target linux/arm64,windows/amd64 .", pkgs: app[:1], cpus: 2, parallel: 2,
			jobs: "linux/arm64=build -o dist/app_linux_arm64 example.com/app; windows/amd64=build -o dist/app_windows_amd64.exe example.com/app"},
		{line: "build -target firstclass -skip darwin/*,windows/* -parallel 3 -failfast -json -ldflags '-s -w' ./...", pkgs: app, cpus: 8, parallel: 3,
			jobs: "linux/amd64=build -o dist/app_linux_amd64 -ldflags '-s -w' example.com/app; linux/arm64=build -o dist/app_linux_arm64 -ldflags '-s -w' example.com/app; " +
				"linux/amd64=build -o dist/tool_linux_amd64 -ldflags '-s -w' example.com/tool/v2; linux/arm64=build -o dist/tool_linux_arm64 -ldflags '-s -w' example.com/tool/v2"},
		{line: "build -o out/ -target linux/amd64,linux/arm64 -trimpath .", pkgs: app[:1], cpus: 8, parallel: 2,
			jobs: "linux/amd64=build -o out/app_linux_amd64 -trimpath example.com/app; linux/arm64=build -o out/app_linux_arm64 -trimpath example.com/app"},
		{line: "build -o '{{.Target}}/{{.Name}}{{.Ext}}' -target windows/amd64,linux/arm64 .", pkgs: app[:1], cpus: 2, parallel: 2,
			jobs: "windows/amd64=build -o windows_amd64/app.exe example.com/app; linux/arm64=build -o linux_arm64/app example.com/app"},
		{line: "install -target linux/arm64,windows/amd64 -tags netgo ./cmd/...", cpus: 2, parallel: 2,
			jobs: "linux/arm64=install -tags netgo ./cmd/...; windows/amd64=install -tags netgo ./cmd/..."},
		{line: "test -c -target linux/arm64,linux/amd64 -parallel 1 ./...", pkgs: []matrixPkg{{"example.com/app", "app.test"}}, cpus: 2, parallel: 1,
			jobs: "linux/arm64=test -o dist/app.test_linux_arm64 -c example.com/app; linux/amd64=test -o dist/app.test_linux_amd64 -c example.com/app"},
		{line: "build -target linux/arm64,windows/amd64 .", cpus: 2, err: "no main package in ."},
		{line: "test -c -target linux/arm64,windows/amd64 ./x", cpus: 2, err: "no package with tests in ./x"},
		{line: "test -target linux/arm64,windows/amd64 ./...", pkgs: app, cpus: 2, err: "several targets work with gox build"},
		{line: "run -target linux/arm64,windows/amd64 .", pkgs: app, cpus: 2, err: "several targets work with gox build"},
		{line: "install -target linux/arm64,windows/amd64 -o x .", cpus: 2, err: "go install takes no -o"},
		{line: "build -parallel 0 -target linux/arm64,windows/amd64 .", pkgs: app, cpus: 2, err: "-parallel 0: want a number"},
		{line: "build -skip [ -target linux/arm64,windows/amd64 .", pkgs: app, cpus: 2, err: "-skip ["},
		{line: "build -o out/{{.Name}} -target linux/arm64,windows/amd64 .", pkgs: app[:1], cpus: 2, err: "would both write out/app"},
		{line: "build -target linux/nope,linux/arm64 .", pkgs: app, cpus: 2, err: "no port linux/nope"},
	}
	for _, tt := range tests {
		args, err := toolchain.SplitQuoted(tt.line)
		if err != nil {
			t.Fatal(err)
		}
		l, err := cmdline.Parse(args, cmdline.Options{Gox: true, Matrix: true})
		if err != nil {
			t.Fatalf("%q: %v", tt.line, err)
		}
		mp, err := planMatrix(matrixInput{Line: l, Ports: ports, HostGOOS: "linux", Packages: tt.pkgs, CPUs: tt.cpus})
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%q: err = %v, want %q", tt.line, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tt.line, err)
			continue
		}
		var jobs []string
		for _, j := range mp.Jobs {
			jobs = append(jobs, j.Target.String()+"="+toolchain.JoinQuoted(mp.jobArgs(l.Sub, j)))
		}
		if got := strings.Join(jobs, "; "); got != tt.jobs {
			t.Errorf("%q: jobs\n%s\nwant\n%s", tt.line, got, tt.jobs)
		}
		if mp.Parallel != tt.parallel {
			t.Errorf("%q: parallel %d, want %d", tt.line, mp.Parallel, tt.parallel)
		}
	}
	l, _ := cmdline.Parse(strings.Fields("build -target firstclass -skip windows/* -failfast -json ."), cmdline.Options{Gox: true, Matrix: true})
	if mp, err := planMatrix(matrixInput{Line: l, Ports: ports, HostGOOS: "linux", Packages: app[:1], CPUs: 2}); err != nil || !mp.failfast || !mp.json || len(mp.skip) != 1 {
		t.Errorf("matrix flags %+v, %v", mp.matrixFlags, err)
	}
}

func TestMatrixPackages(t *testing.T) {
	listed := "example.com/app main 0 0\nexample.com/lib lib 2 1\nexample.com/cmd/v3 main 1 0\nexample.com/x x 0 0\n"
	var got []string
	for _, p := range matrixPackages("build", listed) {
		got = append(got, p.path+"="+p.name)
	}
	for _, p := range matrixPackages("test", listed) {
		got = append(got, p.path+"="+p.name)
	}
	if want := "example.com/app=app example.com/cmd/v3=cmd example.com/lib=lib.test example.com/cmd/v3=cmd.test"; strings.Join(got, " ") != want {
		t.Errorf("got  %s\nwant %s", strings.Join(got, " "), want)
	}
}

// On a terminal the progress display redraws one line per job in place.
func TestProgressRedraw(t *testing.T) {
	var b strings.Builder
	arm64, _ := toolchain.ParseTarget("linux/arm64", "linux")
	win, _ := toolchain.ParseTarget("windows/amd64", "linux")
	jobs := []*job{{Target: arm64, Name: "app", State: done}, {Target: win, Name: "app", State: queued}}
	p := &progress{w: &b, jobs: jobs, tty: true, done: make(chan struct{})}
	p.redraw()
	first := b.String()
	if strings.Contains(first, "\x1b[2A") || strings.Count(first, "\x1b[2K") != 2 || !strings.Contains(first, "✓ linux/arm64 app") || !strings.Contains(first, "windows/amd64 app") {
		t.Fatalf("first draw %q", first)
	}
	b.Reset()
	jobs[1].State = failed
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
	jobs := []*job{{Target: arm64, Name: "app", State: queued}, {Target: riscv, Name: "app", State: queued}}
	p := &progress{w: &b, jobs: jobs, tty: true, done: make(chan struct{})}
	p.tick(time.Millisecond)
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				p.update(j, func() { j.Start, j.State = time.Now(), building })
				time.Sleep(200 * time.Microsecond)
				p.update(j, func() { j.State, j.Elapsed = done, time.Since(j.Start) })
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
