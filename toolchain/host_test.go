package toolchain

import (
	"runtime"
	"strings"
	"testing"
)

func TestJudgeHost(t *testing.T) {
	tests := []struct {
		name    string
		h       HostFacts
		problem bool
		goarch  string
		msg     string // substring of Message + Fix
	}{
		{"arm64 Mac, arm64 Go", HostFacts{OS: "darwin", Machine: "arm64", Gox: "arm64", GoPath: "/opt/homebrew/bin/go", GoArchs: []string{"arm64"}}, false, "arm64", ""},
		{"arm64 Mac, amd64 Go under Rosetta", HostFacts{OS: "darwin", Machine: "arm64", Gox: "arm64", GoPath: "/usr/local/bin/go", GoArchs: []string{"amd64"}}, true, "amd64",
			"darwin/amd64 toolchain running translated by Rosetta 2 on this arm64 machine"},
		{"Homebrew hint", HostFacts{OS: "darwin", Machine: "arm64", Gox: "arm64", GoPath: "/usr/local/bin/go", GoArchs: []string{"amd64"}}, true, "amd64", "/opt/homebrew"},
		{"gox itself translated", HostFacts{OS: "darwin", Machine: "arm64", Translated: true, Gox: "amd64", GoPath: "/usr/local/go/bin/go", GoArchs: []string{"amd64", "arm64"}}, true, "amd64",
			"gox runs translated by Rosetta 2"},
		{"Intel Mac", HostFacts{OS: "darwin", Machine: "amd64", Gox: "amd64", GoPath: "/usr/local/go/bin/go", GoArchs: []string{"amd64"}}, false, "amd64", ""},
		{"linux amd64, amd64 Go", HostFacts{OS: "linux", Machine: "amd64", Gox: "amd64", GoPath: "/usr/local/go/bin/go", GoArchs: []string{"amd64"}}, false, "amd64", ""},
		{"linux amd64, arm64 Go through binfmt", HostFacts{OS: "linux", Machine: "amd64", Gox: "amd64", GoPath: "/usr/local/go/bin/go", GoArchs: []string{"arm64"}}, true, "arm64",
			"linux/arm64 toolchain running emulated (binfmt_misc) on this amd64 machine: it is slow, and builds for GOARCH=arm64 by default although the machine is amd64"},
		{"tarball hint", HostFacts{OS: "linux", Machine: "amd64", Gox: "amd64", GoPath: "/usr/local/go/bin/go", GoArchs: []string{"arm64"}}, true, "arm64", "go<version>.linux-amd64.tar.gz"},
		{"universal Go on arm64", HostFacts{OS: "darwin", Machine: "arm64", Gox: "arm64", GoPath: "/usr/local/go/bin/go", GoArchs: []string{"amd64", "arm64"}}, false, "arm64", ""},
		{"universal Go without the machine's slice", HostFacts{OS: "darwin", Machine: "arm64", Gox: "arm64", GoPath: "/x/go", GoArchs: []string{"amd64", "386"}}, true, "amd64", "darwin/amd64+386 toolchain"},
		{"unknown machine: say nothing", HostFacts{OS: "linux", Gox: "amd64", GoArchs: []string{"arm64"}}, false, "arm64", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := JudgeHost(tt.h)
			if v.Problem != tt.problem || v.DefaultGOARCH != tt.goarch {
				t.Fatalf("got %+v, want problem %v, default %s", v, tt.problem, tt.goarch)
			}
			if tt.msg != "" && !strings.Contains(v.Message+" "+v.Fix, tt.msg) {
				t.Errorf("message %q + fix %q lacks %q", v.Message, v.Fix, tt.msg)
			}
			if !v.Problem && v.Message != "" {
				t.Errorf("a sane host gets a message: %q", v.Message)
			}
		})
	}
}

// TestHostMachineHere holds on any host, translated or not: a translated
// process runs code of another architecture than the machine's, and on
// macOS an untranslated one runs the machine's own.
func TestHostMachineHere(t *testing.T) {
	m, translated := HostMachine()
	if m == "" {
		t.Fatalf("HostMachine() = %q, %v: no machine", m, translated)
	}
	if translated && m == runtime.GOARCH {
		t.Errorf("HostMachine() = %q, translated, but this process is %s code", m, runtime.GOARCH)
	}
	if !translated && runtime.GOOS == "darwin" && m != runtime.GOARCH {
		t.Errorf("HostMachine() = %q, not translated, but this process is %s code", m, runtime.GOARCH)
	}
}

func TestLinkHint(t *testing.T) {
	rosetta := HostFacts{OS: "darwin", Machine: "arm64", Gox: "arm64", GoPath: "/usr/local/bin/go", GoArchs: []string{"amd64"}}
	v := JudgeHost(rosetta)
	out := "# example.com/app\n/usr/local/go/pkg/tool/darwin_amd64/link: running clang failed: exit status 1\nUndefined symbols for architecture x86_64:\n  \"_png_create_read_struct\", referenced from:\nld: symbol(s) not found for architecture x86_64\n"
	if h := LinkHint(out, v, rosetta); !strings.Contains(h, "it is for GOARCH=amd64 while the machine") || !strings.Contains(h, "/opt/homebrew") {
		t.Errorf("hint %q", h)
	}
	warn := "ld: warning: ignoring file /opt/homebrew/lib/libpng.dylib, building for macOS-x86_64 but attempting to link with file built for macOS-arm64"
	if LinkHint(warn, v, rosetta) == "" {
		t.Error("no hint for the ignoring-file warning")
	}
	if LinkHint("undefined: foo", v, rosetta) != "" {
		t.Error("hint for a compile error")
	}
	emu := HostFacts{OS: "linux", Machine: "amd64", Gox: "amd64", GoPath: "/x/bin/go", GoArchs: []string{"arm64"}}
	if LinkHint("gcc_arm64.S:56: Error: no such instruction: `blr x20'", JudgeHost(emu), emu) == "" {
		t.Error("no hint for the host assembler given arm64 code")
	}
	sane := HostFacts{OS: "darwin", Machine: "arm64", Gox: "arm64", GoArchs: []string{"arm64"}}
	if LinkHint(out, JudgeHost(sane), sane) != "" {
		t.Error("hint on a sane host")
	}
}
