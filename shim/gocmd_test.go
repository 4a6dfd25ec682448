package shim

import (
	"strings"
	"testing"

	"github.com/gox-build/gox/shim/cmdline"
	"github.com/gox-build/gox/toolchain"
)

// line parses a go command line for a table test.
func line(t *testing.T, s string) cmdline.Line {
	t.Helper()
	args, err := toolchain.SplitQuoted(s)
	if err != nil {
		t.Fatal(err)
	}
	l, err := cmdline.Parse(args, cmdline.Options{})
	if err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return l
}

func TestCrossCommand(t *testing.T) {
	for in, want := range map[string]bool{
		"build .": true, "test ./...": true, "list -m": true, "env CC": true, "vet .": true,
		"env -w GOARCH=arm64": false, "env -u CC": false, "mod tidy": false, "version": false, "": false,
	} {
		if got := crossCommand(line(t, in)); got != want {
			t.Errorf("%q: crossCommand = %v, want %v", in, got, want)
		}
	}
}

func TestRunsBinaries(t *testing.T) {
	for args, want := range map[string]bool{
		"test ./...": true, "test -c ./x": false, "test -c=false ./x": true, "test -list . ./x": true,
		"test -o x.test ./x": true, "run .": true, "build .": false, "vet .": false, "test ./x -args -c": true,
	} {
		if got := runsBinaries(line(t, args)); got != want {
			t.Errorf("runsBinaries(%q) = %v", args, got)
		}
	}
}

func TestSetupPackages(t *testing.T) {
	parse := func(s ...string) []toolchain.Target {
		var out []toolchain.Target
		for _, x := range s {
			tg, err := toolchain.ParseTarget(x, "linux")
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, tg)
		}
		return out
	}
	h := host{"linux", "amd64"}
	// the host runs amd64 and (its kernel having 32-bit support) 386
	runs := func(goarch string) bool { return goarch == "amd64" || goarch == "386" }
	got, err := setupPackages("debian", parse("linux/arm64", "linux/arm/v7", "linux/riscv64", "linux/386", "windows/amd64", "linux/amd64"), h, runs)
	if err != nil {
		t.Fatal(err)
	}
	want := "gcc-aarch64-linux-gnu g++-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user " +
		"gcc-arm-linux-gnueabihf g++-arm-linux-gnueabihf libc6-dev-armhf-cross " +
		"gcc-riscv64-linux-gnu g++-riscv64-linux-gnu libc6-dev-riscv64-cross " +
		"gcc-i686-linux-gnu g++-i686-linux-gnu libc6-dev-i386-cross " +
		"gcc-mingw-w64-x86-64 g++-mingw-w64-x86-64 wine wine64"
	if strings.Join(got, " ") != want {
		t.Errorf("got  %s\nwant %s", strings.Join(got, " "), want)
	}
	// a host without 32-bit support (the runner's probe says so) needs
	// qemu for 386 as for any foreign architecture
	got, _ = setupPackages("debian", parse("linux/386"), h, func(goarch string) bool { return goarch == "amd64" })
	if !strings.Contains(strings.Join(got, " "), "qemu-user") {
		t.Errorf("386 on a host that does not run it: %q lacks qemu-user", got)
	}
	for _, tg := range []string{"linux/ppc64le", "linux/s390x", "linux/arm/v6", "linux/arm/v5"} {
		if _, err := setupPackages("debian", parse(tg), h, runs); err != nil {
			t.Errorf("%s: %v", tg, err)
		}
	}
	if _, err := setupPackages("debian", parse("darwin/arm64"), h, runs); err == nil {
		t.Error("darwin/arm64: no error")
	}
	if _, err := setupPackages("", parse("linux/arm64"), h, runs); err == nil || !strings.Contains(err.Error(), "apt-get") {
		t.Errorf("unknown distro: %v", err)
	}
}
