package plan

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/gox-build/gox/toolchain"
	"github.com/gox-build/gox/toolchain/verify"
)

func TestVerifyPlanFor(t *testing.T) {
	mod := func(dir string) (string, string) {
		if strings.HasPrefix(dir, "/src/app") {
			return "example.com/app/v2", "/src/app"
		}
		return "", ""
	}
	where := buildOutputs{Dir: "/src/app", GOPATH: "/gopath", Cross: true, Module: mod}
	arm64 := verify.Want{Target: toolchain.Target{GOOS: "linux", GOARCH: "arm64"}}
	win := verify.Want{Target: toolchain.Target{GOOS: "windows", GOARCH: "amd64"}}
	tests := []struct {
		args  string
		want  verify.Want
		files string // joined by space; "-" for no plan
		dirs  string
	}{
		{"build", arm64, "/src/app/app", ""}, // module root: v2 is a version suffix
		{"build ./cmd/tool", arm64, "/src/app/tool", ""},
		{"build -C cmd/tool", arm64, "/src/app/cmd/tool/tool", ""},
		{"build example.com/x/y", arm64, "/src/app/y", ""},
		{"build main.go util.go", arm64, "/src/app/main", ""},
		{"build ./cmd/tool", win, "/src/app/tool.exe", ""},
		{"build -buildmode=c-archive ./lib", arm64, "/src/app/lib.a", ""},
		{"build -buildmode=c-shared ./lib", win, "/src/app/lib", ""},
		{"build -buildmode=plugin -o plug.so ./plugin", arm64, "/src/app/plug.so", ""},
		{"build ./...", arm64, "-", ""},
		{"build ./a ./b", arm64, "-", ""},
		{"build -o bin/app .", arm64, "/src/app/bin/app", ""},
		{"build -o=/abs/app .", arm64, "/abs/app", ""},
		{"build -o out/ ./...", arm64, "", "/src/app/out"},
		{"build -o /dev/null .", arm64, "-", ""},
		{"install ./cmd/tool", arm64, "", "/gopath/bin/linux_arm64"},
		{"test ./lib", arm64, "-", ""},
		{"test -c ./lib", arm64, "/src/app/lib.test", ""},
		{"test -c -o t/ ./lib", arm64, "", "/src/app/t"},
		{"test -o lib.test ./lib", arm64, "/src/app/lib.test", ""},
		{"test -c=false ./lib", arm64, "-", ""},
		{"vet ./...", arm64, "-", ""},
		{"build -buildmode=shared std", arm64, "-", ""},
	}
	for _, tt := range tests {
		vp := verifyPlanFor(line(t, tt.args), tt.want, where)
		if tt.files == "-" {
			if vp != nil {
				t.Errorf("%s: plan %+v, want none", tt.args, vp)
			}
			continue
		}
		if vp == nil {
			t.Errorf("%s: no plan", tt.args)
			continue
		}
		if got := filepath.ToSlash(strings.Join(vp.Files, " ")); got != tt.files {
			t.Errorf("%s: files %q, want %q", tt.args, got, tt.files)
		}
		if got := filepath.ToSlash(strings.Join(vp.Dirs, " ")); got != tt.dirs {
			t.Errorf("%s: dirs %q, want %q", tt.args, got, tt.dirs)
		}
	}
	if vp := verifyPlanFor(line(t, "build -buildmode=pie -o x ."), arm64, where); vp.Want.BuildMode != "pie" {
		t.Errorf("build mode %q", vp.Want.BuildMode)
	}
}

func TestModulePath(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"module example.com/app\n\ngo 1.26\n", "example.com/app"},
		{"// comment\nmodule \"example.com/q\" // trailing\n", "example.com/q"},
		{"module `example.com/raw`\n", "example.com/raw"},
		{"module (\n\texample.com/paren\n)\n", "example.com/paren"},
		{"go 1.26\n", ""},
		{"modules x\n", ""},
	} {
		if got := modulePath([]byte(c.in)); got != c.want {
			t.Errorf("modulePath(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
