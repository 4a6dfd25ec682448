// Package runners chooses how a target's binaries run here (natively,
// through the kernel's binfmt_misc registration, qemu-user, Wine, Node.js,
// gox's WebAssembly runtime, or a user's command), and holds what each way
// needs: binfmt_misc registrations, the user namespaces of gox's
// namespace route, Wine prefixes and the loader-prefix probe for dynamic
// cgo binaries under qemu.
package runners
