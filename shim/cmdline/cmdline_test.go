package cmdline

import (
	"errors"
	"strings"
	"testing"

	"github.com/gox-build/gox/toolchain"
)

// TestParse pins the model against real command lines: what the go command
// reads as flags, packages and the program's arguments, and what gox takes
// for itself. vals are flag lookups: name=value, or name=! for "not set".
func TestParse(t *testing.T) {
	tests := []struct {
		line    string // the command line after "go"; quoted as a shell would
		gox     bool   // run as gox
		goflags string
		goArgs  string // "" means the same as line less nothing
		pkgs    string
		prog    string
		target  string
		vals    string
		err     string
	}{
		// go build: flags stop at the first package
		{line: "build", pkgs: "", vals: "o=!"},
		{line: "build .", pkgs: "."},
		{line: "build ./...", pkgs: "./..."},
		{line: "build -o out .", pkgs: ".", vals: "o=out"},
		{line: "build -o=out .", pkgs: ".", vals: "o=out"},
		{line: "build --o=out .", pkgs: ".", vals: "o=out"},
		{line: "build -o dist/ ./cmd/a ./cmd/b", pkgs: "./cmd/a ./cmd/b", vals: "o=dist/"},
		{line: "build -o /dev/null .", pkgs: ".", vals: "o=/dev/null"},
		{line: "build -C sub -o bin/ ./...", pkgs: "./...", vals: "C=sub o=bin/"},
		{line: "build -C=sub .", pkgs: ".", vals: "C=sub"},
		{line: "build ./x -o y", pkgs: "./x -o y", vals: "o=!"},
		{line: "build -x -v -a .", pkgs: ".", vals: "x=true v=true a=true"},
		{line: "build -x=false .", pkgs: ".", vals: "x=false"},
		{line: "build -trimpath -ldflags '-s -w' .", pkgs: ".", vals: "ldflags=-s -w trimpath=true"},
		{line: "build -ldflags=-X=main.v=1 .", pkgs: ".", vals: "ldflags=-X=main.v=1"},
		{line: "build -gcflags all=-N .", pkgs: ".", vals: "gcflags=all=-N"},
		{line: "build -tags netgo,osusergo -mod=vendor .", pkgs: ".", vals: "tags=netgo,osusergo mod=vendor"},
		{line: "build -buildmode c-shared -o lib.so ./lib", pkgs: "./lib", vals: "buildmode=c-shared o=lib.so"},
		{line: "build -overlay o.json -pgo off .", pkgs: ".", vals: "overlay=o.json pgo=off"},
		{line: "build -pgo=default.pgo .", pkgs: ".", vals: "pgo=default.pgo"},
		{line: "build -cover -covermode atomic -coverpkg ./... .", pkgs: ".", vals: "cover=true covermode=atomic coverpkg=./..."},
		{line: "build -buildvcs=false .", pkgs: ".", vals: "buildvcs=false"},
		{line: "build -toolexec 'a b' .", pkgs: ".", vals: "toolexec=a b"},
		{line: "build -debug-actiongraph g.json .", pkgs: ".", vals: "debug-actiongraph=g.json"},
		{line: "build -json .", pkgs: ".", vals: "json=true"},
		{line: "build -- -weird", pkgs: "-weird"},
		{line: "build main.go util.go", pkgs: "main.go util.go"},
		{line: "build -p 1 -race .", pkgs: ".", vals: "p=1 race=true"},
		// GOFLAGS: applied before the command line, only flags the command knows
		{line: "build .", goflags: "-mod=mod -trimpath", pkgs: ".", vals: "mod=mod trimpath=true"},
		{line: "build -mod=vendor .", goflags: "-mod=mod", pkgs: ".", vals: "mod=vendor"},
		{line: "build .", goflags: "-count=1 -exec=qemu", pkgs: ".", vals: "count=! exec=!"},
		{line: "test .", goflags: "-count=1 -exec=qemu -v", pkgs: ".", vals: "count=1 exec=qemu v=true"},
		{line: "test .", goflags: "-o", pkgs: ".", vals: "o=!"},
		// go install
		{line: "install ./cmd/...", pkgs: "./cmd/..."},
		{line: "install example.com/cmd@latest", pkgs: "example.com/cmd@latest"},
		{line: "install -o x .", pkgs: "x .", vals: "o=!"},
		// go run: the program's arguments are the program's
		{line: "run .", pkgs: "."},
		{line: "run . -target x", pkgs: ".", prog: "-target x"},
		{line: "run -exec 'qemu-aarch64 -cpu max' . a b", pkgs: ".", prog: "a b", vals: "exec=qemu-aarch64 -cpu max"},
		{line: "run main.go helper.go -v", pkgs: "main.go helper.go", prog: "-v", vals: "v=!"},
		{line: "run -race ./cmd/x -- -y", pkgs: "./cmd/x", prog: "-- -y", vals: "race=true"},
		{line: "run example.com/cmd@v1.2.3 -h", pkgs: "example.com/cmd@v1.2.3", prog: "-h"},
		{line: "run -C sub . arg", pkgs: ".", prog: "arg", vals: "C=sub"},
		// go test: flags before and after packages; the test binary's arguments
		{line: "test", pkgs: ""},
		{line: "test ./...", pkgs: "./..."},
		{line: "test -v ./...", pkgs: "./...", vals: "v=true"},
		{line: "test ./... -v", pkgs: "./...", vals: "v=true"},
		{line: "test ./a ./b -run TestX -count=1", pkgs: "./a ./b", vals: "run=TestX count=1"},
		{line: "test -vet off ./x", pkgs: "./x", vals: "vet=off"},
		{line: "test -vet=off ./x", pkgs: "./x", vals: "vet=off"},
		{line: "test -exec 'a b' ./x", pkgs: "./x", vals: "exec=a b"},
		{line: "test -c ./x", pkgs: "./x", vals: "c=true"},
		{line: "test -c=false ./x", pkgs: "./x", vals: "c=false"},
		{line: "test -c -o dir/ ./a ./b", pkgs: "./a ./b", vals: "c=true o=dir/"},
		{line: "test -o x.test ./x", pkgs: "./x", vals: "o=x.test c=!"},
		{line: "test -json ./...", pkgs: "./...", vals: "json=true"},
		{line: "test -cover -coverprofile c.out ./...", pkgs: "./...", vals: "cover=true coverprofile=c.out"},
		{line: "test -test.v -test.run=X .", pkgs: ".", vals: "v=true run=X"},
		{line: "test -list . ./x", pkgs: "./x", vals: "list=."},
		{line: "test -bench . -benchmem ./x", pkgs: "./x", vals: "bench=. benchmem=true"},
		{line: "test -shuffle on -timeout 30s .", pkgs: ".", vals: "shuffle=on timeout=30s"},
		{line: "test -fuzz FuzzX -fuzztime 10s .", pkgs: ".", vals: "fuzz=FuzzX fuzztime=10s"},
		{line: "test ./x -args -target keep -v", pkgs: "./x", prog: "-target keep -v", vals: "v=!"},
		{line: "test ./x --args -test.v", pkgs: "./x", prog: "-test.v", vals: "v=!"},
		{line: "test ./x -- -v", pkgs: "./x", prog: "-- -v", vals: "v=!"},
		{line: "test -myflag ./x", pkgs: "", prog: "-myflag ./x"},
		{line: "test ./x -myflag value -v", pkgs: "./x", prog: "-myflag value", vals: "v=true"},
		{line: "test ./x -myflag=1 extra -v", pkgs: "./x", prog: "-myflag=1 extra -v", vals: "v=!"},
		{line: "test ./x -v extra", pkgs: "./x", prog: "extra", vals: "v=true"},
		{line: "test -run", err: "flag needs an argument: -run"},
		{line: "test -C sub -overlay o.json ./...", pkgs: "./...", vals: "C=sub overlay=o.json"},
		// go list, vet and env
		{line: "list -f '{{.Dir}}' ./...", pkgs: "./...", vals: "f={{.Dir}}"},
		{line: "list -json=Dir,Name -e -deps .", pkgs: ".", vals: "json=Dir,Name e=true deps=true"},
		{line: "list -m all", pkgs: "all", vals: "m=true"},
		{line: "list -compiled -export -tags foo std", pkgs: "std", vals: "compiled=true export=true tags=foo"},
		{line: "vet -c 3 ./...", pkgs: "./...", vals: "c=3"},
		{line: "vet -vettool /bin/x -printf=false .", pkgs: ".", vals: "vettool=/bin/x printf=!"},
		{line: "env -w GOARCH=arm64", pkgs: "GOARCH=arm64", vals: "w=true"},
		{line: "env -json GOOS GOARCH", pkgs: "GOOS GOARCH", vals: "json=true"},
		// commands gox never plans: the words are theirs
		{line: "mod tidy -v", pkgs: ""},
		{line: "tool dist list -json", pkgs: ""},
		{line: "version -m ./bin/x", pkgs: ""},
		// gox's -target, only run as gox
		{line: "build -target linux/arm64 ./...", gox: true, goArgs: "build ./...", pkgs: "./...", target: "linux/arm64"},
		{line: "build -target linux/arm64 ./...", pkgs: "linux/arm64 ./...", vals: "target=!"},
		{line: "build --target=linux/arm64 -o out .", gox: true, goArgs: "build -o out .", pkgs: ".", target: "linux/arm64", vals: "target=!"},
		{line: "test -target arm64 -run TestX ./... -args -target keep", gox: true, goArgs: "test -run TestX ./... -args -target keep", pkgs: "./...", prog: "-target keep", target: "arm64"},
		{line: "run -target linux/arm64 . -target prog-arg", gox: true, goArgs: "run . -target prog-arg", pkgs: ".", prog: "-target prog-arg", target: "linux/arm64"},
		{line: "build -o -target .", gox: true, pkgs: ".", vals: "o=-target"},
		{line: "test ./x -target linux/arm64 -v", gox: true, goArgs: "test ./x -v", pkgs: "./x", target: "linux/arm64"},
		{line: "test -vet off -target linux/arm64 ./x", gox: true, goArgs: "test -vet off ./x", pkgs: "./x", target: "linux/arm64"},
		{line: "test ./x --args -target keep", gox: true, pkgs: "./x", prog: "-target keep"},
		{line: "test ./x -- -target keep", gox: true, pkgs: "./x", prog: "-- -target keep"},
		{line: "build -C sub -o bin/ -target arm64 ./...", gox: true, goArgs: "build -C sub -o bin/ ./...", pkgs: "./...", target: "arm64"},
		{line: "build -target a -target b", gox: true, err: "-target given twice (a, then b)"},
		{line: "build ./x -target linux/arm64", gox: true, err: "-target linux/arm64 comes after the package ./x"},
		{line: "build -target", gox: true, err: "flag needs an argument: -target"},
		{line: "build -target=", gox: true, err: "-target needs a target"},
		{line: "list -target windows/amd64 -f '{{.GoFiles}}' .", gox: true, goArgs: "list -f '{{.GoFiles}}' .", pkgs: ".", target: "windows/amd64", vals: "f={{.GoFiles}}"},
	}
	if len(tests) < 60 {
		t.Fatalf("%d command lines; the model is pinned by at least 60", len(tests))
	}
	for _, tt := range tests {
		args, err := toolchain.SplitQuoted(tt.line)
		if err != nil {
			t.Fatal(err)
		}
		l, err := Parse(args, Options{Gox: tt.gox})
		if tt.err != "" {
			var ce *Error
			if err == nil || !strings.Contains(err.Error(), tt.err) || !errors.As(err, &ce) {
				t.Errorf("%q: err = %v, want *Error %q", tt.line, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tt.line, err)
			continue
		}
		l = l.WithGOFLAGS(tt.goflags)
		wantArgs := tt.goArgs
		if wantArgs == "" {
			wantArgs = tt.line
		}
		want, _ := toolchain.SplitQuoted(wantArgs)
		if got := l.GoArgs(); strings.Join(got, "\x00") != strings.Join(want, "\x00") {
			t.Errorf("%q: GoArgs = %q, want %q", tt.line, got, want)
		}
		if got := strings.Join(l.Packages, " "); got != tt.pkgs {
			t.Errorf("%q: Packages = %q, want %q", tt.line, got, tt.pkgs)
		}
		if got := strings.Join(l.Program, " "); got != tt.prog {
			t.Errorf("%q: Program = %q, want %q", tt.line, got, tt.prog)
		}
		if l.Target != tt.target {
			t.Errorf("%q: Target = %q, want %q", tt.line, l.Target, tt.target)
		}
		for _, kv := range splitVals(tt.vals) {
			name, want, _ := strings.Cut(kv, "=")
			got, ok := l.Lookup(name)
			switch {
			case want == "!" && ok:
				t.Errorf("%q: -%s = %q, want it unset", tt.line, name, got)
			case want != "!" && (!ok || got != want):
				t.Errorf("%q: -%s = %q (set %v), want %q", tt.line, name, got, ok, want)
			}
		}
	}
}

// splitVals splits "a=1 b=x y" style expectations where a value may hold
// spaces: a new pair starts at a word with "=" whose name has no space.
func splitVals(s string) []string {
	var out []string
	for _, w := range strings.Fields(s) {
		name, _, ok := strings.Cut(w, "=")
		if ok && name != "" && !strings.ContainsAny(name, "-/.{") || len(out) == 0 {
			out = append(out, w)
			continue
		}
		out[len(out)-1] += " " + w
	}
	return out
}

func TestBoolAndListFlags(t *testing.T) {
	l, err := Parse(strings.Fields("test -o out -tags foo,bar -mod=vendor -C sub -v -pgo=off -c=1 ./..."), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(l.ListFlags(), " "); got != "-C sub -tags foo,bar -mod=vendor -pgo=off" {
		t.Errorf("ListFlags = %q", got)
	}
	if !l.Bool("c") || !l.Bool("v") || l.Bool("json") || l.Bool("tags") {
		t.Errorf("Bool: c %v v %v json %v tags %v", l.Bool("c"), l.Bool("v"), l.Bool("json"), l.Bool("tags"))
	}
	if got := strings.Join(l.FlagWords(func(f Flag) bool { return f.Name != "o" }), " "); got != "-tags foo,bar -mod=vendor -C sub -v -pgo=off -c=1" {
		t.Errorf("FlagWords = %q", got)
	}
	if got := strings.Join(l.PackagesOrDot(), " "); got != "./..." {
		t.Errorf("PackagesOrDot = %q", got)
	}
	if l, _ := Parse([]string{"build"}, Options{}); strings.Join(l.PackagesOrDot(), " ") != "." {
		t.Errorf("PackagesOrDot of go build = %q", l.PackagesOrDot())
	}
}

// An empty first word is the go command's to refuse ("go : unknown
// command"): it passes through as it came, and no words stay none.
func TestGoArgsEmptyWord(t *testing.T) {
	for _, args := range [][]string{{""}, {"", "build"}, nil} {
		l, err := Parse(args, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := l.GoArgs(); strings.Join(got, "\x00") != strings.Join(args, "\x00") || len(got) != len(args) {
			t.Errorf("%q: GoArgs = %q", args, got)
		}
	}
}
