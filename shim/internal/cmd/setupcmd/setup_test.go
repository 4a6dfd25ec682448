package setupcmd

import (
	"strings"
	"testing"

	"github.com/gox-build/gox/shim/plan"
	"github.com/gox-build/gox/toolchain"
)

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
	h := plan.Host{GOOS: "linux", GOARCH: "amd64"}
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
