package objfile

import (
	"strings"

	"github.com/gox-build/gox/toolchain/arch"
)

// Port is the GOOS/GOARCH the binary is for, from its header, else its
// build info; "?" for what neither tells.
func (b *Binary) Port() string {
	goos := b.GOOS
	if g := b.Go.Setting("GOOS"); g != "" && (goos == "" || goos == "linux" && g == "android" || goos == "darwin" && g == "ios") {
		goos = g
	}
	goarch := b.GOARCH
	if goarch == "" {
		goarch = b.Machine
	}
	return OrQ(goos) + "/" + OrQ(goarch)
}

// OrQ is s, or "?" when it is empty.
func OrQ(s string) string {
	if s == "" {
		return "?"
	}
	return s
}

// FormatName is a format as people name it: "ELF", "Mach-O".
func FormatName(f string) string {
	switch f {
	case "elf":
		return "ELF"
	case "pe":
		return "PE"
	case "macho", "macho-fat":
		return "Mach-O"
	case "xcoff":
		return "XCOFF"
	case "plan9":
		return "Plan 9 a.out"
	case "goarchive":
		return "Go package archive"
	}
	return f
}

// Summary is the one-line description gox verify prints for a file:
// "ELF aarch64 linux, go1.26.8, CGO_ENABLED=1, dynamic (glibc, needs
// GLIBC_2.34)".
func (b *Binary) Summary() string {
	var parts []string
	head := FormatName(b.Format)
	switch {
	case b.Format == "goarchive":
		head += " " + b.GOARCH
	case b.Format != "wasm":
		head += " " + b.Machine
	}
	if b.Type != "executable" && b.Format != "goarchive" {
		head += " " + b.Type
	}
	if goos := strings.SplitN(b.Port(), "/", 2)[0]; goos != "?" {
		head += " " + goos
	}
	if b.Float != "" {
		head += " " + b.Float + "-float"
	}
	parts = append(parts, head)
	if b.Go != nil {
		parts = append(parts, b.Go.Version)
		if a, _ := arch.Of(b.GOARCH); a.VariantVar != "" && b.Go.Setting(a.VariantVar) != "" {
			vv := a.VariantVar
			parts = append(parts, vv+"="+b.Go.Setting(vv))
		}
		if c := b.Go.Setting("CGO_ENABLED"); c != "" {
			parts = append(parts, "CGO_ENABLED="+c)
		}
		if m := b.Go.Setting("-buildmode"); m != "" && m != "exe" {
			parts = append(parts, "-buildmode="+m)
		}
	}
	switch {
	case b.Format == "macho-fat", b.Format == "wasm", b.Format == "goarchive":
	case b.Static:
		parts = append(parts, "static")
	case b.Type == "archive" || b.Type == "object":
	default:
		var d []string
		if b.Libc != "" {
			d = append(d, b.Libc)
		}
		if b.GLIBC != "" {
			d = append(d, "needs GLIBC_"+b.GLIBC)
		}
		if len(d) == 0 && len(b.Needed) > 0 {
			d = append(d, strings.Join(b.Needed, ", "))
		}
		s := "dynamic"
		if len(d) > 0 {
			s += " (" + strings.Join(d, ", ") + ")"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}
