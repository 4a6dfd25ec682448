package toolchain

import "github.com/gox-build/gox/toolchain/arch"

// QemuArch is qemu-user's name for a Go architecture, or "".
func QemuArch(goarch string) string {
	a, _ := arch.Of(goarch)
	return a.Qemu
}

// VariantVar names the variable that selects an architecture's variant,
// or "" for architectures that have none.
func VariantVar(goarch string) string {
	a, _ := arch.Of(goarch)
	return a.VariantVar
}

// DefaultVariant is the variant the go command uses for goarch when none
// is set.
func DefaultVariant(goarch string) string {
	a, _ := arch.Of(goarch)
	return a.DefaultVariant
}

// zigArch is zig's name for goarch's architecture, or "".
func zigArch(goarch string) string {
	a, _ := arch.Of(goarch)
	return a.Zig
}
