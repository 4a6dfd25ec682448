package arch

import "testing"

// TestArchTable checks the architecture table against itself and the
// names it is read by: every row with an object format reads back to its
// GOARCH, the kernel's first name maps to it, and VariantVars lists every
// variant variable the table names.
func TestArchTable(t *testing.T) {
	vars := map[string]bool{}
	for _, a := range table {
		if a.VariantVar != "" {
			vars[a.VariantVar] = true
			if a.VariantVar != "GOWASM" && a.DefaultVariant == "" {
				t.Errorf("%s: %s has no default", a.GOARCH, a.VariantVar)
			}
		}
		if a.ELF == 0 {
			continue
		}
		if x, ok := ByELF(a.ELF, a.Class, a.Order()); !ok || x.GOARCH != a.GOARCH {
			t.Errorf("%s: ByELF finds %s", a.GOARCH, x.GOARCH)
		}
		if got := ByKernel(a.Kernel[0]); got != a.GOARCH {
			t.Errorf("%s: uname -m %s maps to %q", a.GOARCH, a.Kernel[0], got)
		}
		if a.Qemu == "" || MachineName(a.ELF, a.Class) != a.Machine {
			t.Errorf("%s: qemu %q, machine %q (want %q)", a.GOARCH, a.Qemu, MachineName(a.ELF, a.Class), a.Machine)
		}
		if a.MachO != 0 && MachOName(a.MachO) != AppleName(a.GOARCH) {
			t.Errorf("%s: Mach-O CPU %s, Apple arch %s", a.GOARCH, MachOName(a.MachO), AppleName(a.GOARCH))
		}
	}
	if len(vars) != len(VariantVars()) {
		t.Errorf("VariantVars() %q, the table names %d", VariantVars(), len(vars))
	}
	for _, v := range VariantVars() {
		if !vars[v] {
			t.Errorf("VariantVars has %s, which no row names", v)
		}
	}
}

// TestVariantColumns: the variant and alias columns answer what the go
// command accepts (cmd/internal/objabi, internal/buildcfg) and what the
// target syntax's messages say.
func TestVariantColumns(t *testing.T) {
	for _, c := range []struct {
		goarch, v string
		ok        bool
	}{
		{"arm", "7", true}, {"arm", "6,softfloat", true}, {"arm", "6,softfloat,hardfloat", false}, {"arm", "8", false},
		{"arm64", "v8.2,lse,crypto", true}, {"arm64", "v9.6", false}, {"arm64", "v8.0,sve", false},
		{"amd64", "v3", true}, {"amd64", "v3,x", false}, {"riscv64", "rva22u64", true},
		{"ppc64le", "power10", true}, {"mips64le", "softfloat", true}, {"s390x", "z13", false}, {"wasm", "satconv", false},
	} {
		a, _ := Of(c.goarch)
		if got := a.ValidVariant(c.v); got != c.ok {
			t.Errorf("%s ValidVariant(%q) = %v, want %v", c.goarch, c.v, got, c.ok)
		}
	}
	for goarch, want := range map[string]string{
		"arm":     "v5, v6 or v7, optionally with ,softfloat or ,hardfloat",
		"arm64":   "v8.0 to v8.9 or v9.0 to v9.5, optionally with ,lse and ,crypto",
		"amd64":   "v1, v2, v3 or v4",
		"s390x":   "no variants gox knows",
		"riscv64": "rva20u64, rva22u64 or rva23u64",
	} {
		a, _ := Of(goarch)
		if got := a.VariantHelp(); got != want {
			t.Errorf("%s VariantHelp = %q, want %q", goarch, got, want)
		}
	}
	for name, want := range map[string]string{"aarch64": "arm64", "x86_64": "amd64", "i686": "386", "ppc64el": "ppc64le", "mipsel": "mipsle", "loong64": "loong64"} {
		if a, ok := Named(name); !ok || a.GOARCH != want {
			t.Errorf("Named(%q) = %s, %v; want %s", name, a.GOARCH, ok, want)
		}
	}
	if _, ok := Named("armhf"); ok {
		t.Error("armhf is a target (linux/arm/v7), not an architecture")
	}
	if a, _ := Of("386"); len(a.Wine) == 0 || a.Wine[0] != "/usr/lib/wine/wine" {
		t.Errorf("386's Wine loaders: %q", a.Wine)
	}
}
