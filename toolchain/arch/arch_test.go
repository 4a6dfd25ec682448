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
