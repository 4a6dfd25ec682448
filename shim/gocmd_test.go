package shim

import (
	"strings"
	"testing"

	"github.com/gox-build/gox/toolchain"
)

func TestExtractTarget(t *testing.T) {
	tests := []struct {
		in, args, target, err string
	}{
		{in: "build -target linux/arm64 ./...", args: "build ./...", target: "linux/arm64"},
		{in: "build --target=linux/arm64 -o out .", args: "build -o out .", target: "linux/arm64"},
		{in: "test -target arm64 -run TestX ./... -args -target keep", args: "test -run TestX ./... -args -target keep", target: "arm64"},
		{in: "run -target linux/arm64 . -target prog-arg", args: "run . -target prog-arg", target: "linux/arm64"},
		{in: "build -o -target .", args: "build -o -target .", target: ""},
		{in: "build -target a -target b", err: "-target given twice (a, then b)"},
		{in: "build ./x -target linux/arm64", err: "-target linux/arm64 comes after the package ./x"},
		{in: "test ./x -target linux/arm64 -v", args: "test ./x -v", target: "linux/arm64"},
		{in: "test -vet off -target linux/arm64 ./x", args: "test -vet off ./x", target: "linux/arm64"},
		{in: "test ./x --args -target keep", args: "test ./x --args -target keep"},
		{in: "test ./x -- -target keep", args: "test ./x -- -target keep"},
		{in: "build -C sub -o bin/ -target arm64 ./...", args: "build -C sub -o bin/ ./...", target: "arm64"},
		{in: "build -overlay o.json -pgo off -target arm64 .", args: "build -overlay o.json -pgo off .", target: "arm64"},
		{in: "build -target", err: "flag needs an argument: -target"},
		{in: "build -target=", err: "-target needs a target"},
		{in: "mod tidy", args: "mod tidy"},
	}
	for _, tt := range tests {
		inv, err := extractTarget(strings.Fields(tt.in))
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%q: err = %v, want %q", tt.in, err, tt.err)
			}
			if _, ok := err.(usageError); !ok {
				t.Errorf("%q: %T is not a usage error", tt.in, err)
			}
			continue
		}
		if err != nil || strings.Join(inv.args, " ") != tt.args || inv.target != tt.target {
			t.Errorf("%q: got %q target %q err %v; want %q target %q", tt.in, inv.args, inv.target, err, tt.args, tt.target)
		}
	}
}

func TestCrossCommand(t *testing.T) {
	for in, want := range map[string]bool{
		"build .": true, "test ./...": true, "list -m": true, "env CC": true, "vet .": true,
		"env -w GOARCH=arm64": false, "env -u CC": false, "mod tidy": false, "version": false, "": false,
	} {
		if got := (goInvocation{args: strings.Fields(in)}).crossCommand(); got != want {
			t.Errorf("%q: crossCommand = %v, want %v", in, got, want)
		}
	}
}

func TestPackagesOf(t *testing.T) {
	tests := []struct{ sub, args, want string }{
		{"build", "", "."},
		{"build", "-o out -tags foo ./cmd/x ./pkg/...", "./cmd/x ./pkg/..."},
		{"build", "-ldflags=-s ./x", "./x"},
		{"test", "-run TestX -count 1 ./a ./b -v", "./a ./b"},
		{"test", "./a -args -foo bar", "./a"},
		{"test", "./a --args -foo bar", "./a"},
		{"test", "-vet off ./x", "./x"},
		{"run", ". arg1 arg2", "."},
		{"run", "main.go util.go arg1", "main.go util.go"},
		{"run", "-exec qemu ./cmd/x -flag", "./cmd/x"},
	}
	for _, tt := range tests {
		if got := strings.Join(packagesOf(tt.sub, strings.Fields(tt.args)), " "); got != tt.want {
			t.Errorf("packagesOf(%s %q) = %q, want %q", tt.sub, tt.args, got, tt.want)
		}
	}
	if got := strings.Join(listFlags(strings.Fields("-o out -tags foo,bar -mod=vendor -C sub -v ./...")), " "); got != "-C sub -tags foo,bar -mod=vendor" {
		t.Errorf("listFlags = %q", got)
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
	got, err := setupPackages("debian", parse("linux/arm64", "linux/arm/v7", "linux/riscv64", "linux/386", "windows/amd64", "linux/amd64"), h)
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
	for _, tg := range []string{"linux/ppc64le", "linux/s390x", "linux/arm/v6", "linux/arm/v5"} {
		if _, err := setupPackages("debian", parse(tg), h); err != nil {
			t.Errorf("%s: %v", tg, err)
		}
	}
	if _, err := setupPackages("debian", parse("darwin/arm64"), h); err == nil {
		t.Error("darwin/arm64: no error")
	}
	if _, err := setupPackages("", parse("linux/arm64"), h); err == nil || !strings.Contains(err.Error(), "apt-get") {
		t.Errorf("unknown distro: %v", err)
	}
}
