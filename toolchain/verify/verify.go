// Package verify checks that a compiled file is what a build was for: its
// format and operating system, architecture and variant (GOARM, GOAMD64),
// float ABI, cgo, build mode, C library, static linking and the highest
// glibc symbol version it needs. It reads files with toolchain/objfile and
// is pure: Verify is a function of the file's description and the want.
package verify

import (
	"fmt"
	"strings"

	"github.com/gox-build/gox/toolchain"
	"github.com/gox-build/gox/toolchain/objfile"
)

// Want is what a binary must be to pass verification.
type Want struct {
	Target toolchain.Target
	// Cgo is the CGO_ENABLED the build used ("1" or "0"); "" checks
	// nothing (gox verify on a file of unknown origin).
	Cgo string
	// BuildMode is the -buildmode of the build, "" for the default.
	BuildMode string
	// Static requires a file that loads no shared library.
	Static bool
	// MaxGLIBC is the highest GLIBC_x.y symbol version allowed (the
	// target's glibc floor, when lower, applies too; "" for
	// any).
	MaxGLIBC string
}

// Problem is one way a binary is not what was wanted. The first problem
// of a wrong-target binary is the headline: "built for linux/amd64, want
// linux/arm64".
type Problem string

// armVariant splits a GOARM value into its level and float ABI: GOARM=5
// is soft float unless it says ",hardfloat"; 6 and 7 are hard float
// unless they say ",softfloat".
func armVariant(v string) (level string, soft bool) {
	level, suffix, _ := strings.Cut(v, ",")
	switch suffix {
	case "softfloat":
		return level, true
	case "hardfloat":
		return level, false
	}
	return level, level == "5"
}

// Verify checks b against w and returns every problem found; none means
// the binary is what the build was for.
func Verify(b *objfile.Binary, w Want) []Problem {
	t := w.Target
	if b.Format == "macho-fat" {
		var names []string
		for i := range b.Slices {
			s := &b.Slices[i]
			if s.GOARCH == t.GOARCH {
				return Verify(s, w)
			}
			names = append(names, objfile.OrQ(s.GOARCH))
		}
		return []Problem{Problem(fmt.Sprintf("universal binary for %s has no %s slice", strings.Join(names, ", "), t.GOARCH))}
	}
	var ps []Problem
	add := func(format string, a ...any) { ps = append(ps, Problem(fmt.Sprintf(format, a...))) }
	want := objfile.FormatFor(t.GOOS)
	goos := b.GOOS
	if g := b.Go.Setting("GOOS"); g != "" {
		goos = g
	}
	// A Go package archive holds Go object code, in no OS's format.
	formatOK := b.Format == want || b.Format == "goarchive"
	wrongPort := !formatOK || b.GOARCH != t.GOARCH || goos != "" && goos != t.GOOS && !(goos == "linux" && t.GOOS == "android") ||
		b.Go.Setting("GOARCH") != "" && b.Go.Setting("GOARCH") != t.GOARCH
	if wrongPort {
		add("built for %s, want %s", b.Port(), t.Port())
		if !formatOK {
			add("%s file, %s needs %s", objfile.FormatName(b.Format), t.GOOS, objfile.FormatName(want))
		}
		return ps
	}
	if b.Go != nil {
		if vv := toolchain.VariantVar(t.GOARCH); vv != "" {
			got, exp := b.Go.Setting(vv), t.Variant
			if exp == "" {
				exp = toolchain.DefaultVariant(t.GOARCH)
			}
			same := got == exp
			if t.GOARCH == "arm" {
				gl, gs := armVariant(got)
				el, es := armVariant(exp)
				same = gl == el && gs == es
			}
			if got != "" && !same {
				add("built with %s=%s, want %s=%s", vv, got, vv, exp)
			}
		}
		if c := b.Go.Setting("CGO_ENABLED"); w.Cgo != "" && c != "" && c != w.Cgo {
			add("built with CGO_ENABLED=%s, want CGO_ENABLED=%s", c, w.Cgo)
		}
		if m := b.Go.Setting("-buildmode"); w.BuildMode != "" && m != "" && m != w.BuildMode {
			add("built with -buildmode=%s, want %s", m, w.BuildMode)
		}
	}
	if t.GOARCH == "arm" && b.Float != "" {
		v := t.Variant
		if v == "" {
			v = toolchain.DefaultVariant("arm")
		}
		if _, soft := armVariant(v); soft != (b.Float == "soft") {
			wantFloat := "hard"
			if soft {
				wantFloat = "soft"
			}
			add("uses the %s-float ABI, GOARM=%s needs %s-float", b.Float, v, wantFloat)
		}
	}
	if b.Format == "elf" && b.Interp != "" {
		switch {
		case t.Libc == "musl" && b.Libc != "musl":
			add("dynamically linked against %s (%s), want musl", objfile.OrQ(b.Libc), b.Interp)
		case t.Libc == "" && t.GOOS == "linux" && b.Libc == "musl":
			add("dynamically linked against musl (%s), want glibc (or use the %s/musl target)", b.Interp, t.Port())
		}
	}
	if b.Format == "elf" && b.Static && t.Libc == "musl" && b.Libc == "glibc" {
		add("statically linked against glibc (its ABI tag note is in the file), want musl")
	}
	if w.Static && !b.Static {
		switch {
		case b.Interp != "":
			add("dynamically linked (loader %s, needs %s), want static", b.Interp, strings.Join(b.Needed, ", "))
		case len(b.Needed) > 0:
			add("needs shared libraries (%s), want static", strings.Join(b.Needed, ", "))
		default:
			add("is a %s, want a static executable", b.Type)
		}
	}
	maxGLIBC, floor := w.MaxGLIBC, ""
	if w.Target.Glibc != "" && (maxGLIBC == "" || objfile.VersionLess(w.Target.Glibc, maxGLIBC)) {
		maxGLIBC, floor = w.Target.Glibc, " (the target's floor, "+w.Target.String()+")"
	}
	switch {
	case maxGLIBC == "":
	case objfile.VersionLess(maxGLIBC, b.GLIBC):
		add("needs GLIBC_%s, newer than the allowed GLIBC_%s%s", b.GLIBC, maxGLIBC, floor)
	case b.Format == "elf" && b.Interp != "" && b.Libc != "glibc":
		// a floor for glibc says the file must run on a glibc system: a
		// loader of another C library is not there
		add("dynamically linked against %s (%s), not glibc: no glibc of any version runs it", objfile.OrQ(b.Libc), b.Interp)
	}
	return ps
}
