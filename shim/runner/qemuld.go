package runner

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/gox-build/gox/shim/internal/base"

	"github.com/gox-build/gox/shim/internal/proc"
	"github.com/gox-build/gox/shim/plan"
)

// The namespace route registers qemu with binfmt_misc for the target's ELF
// files. A dynamically linked cgo binary needs qemu's loader prefix (-L),
// which QEMU_LD_PREFIX carries only as far as the environment goes: a test
// binary that runs itself, or another target binary, with an environment
// of its own (cmd.Env = []string{"CHILD=1"}) lost it, and qemu failed with
// "Could not open '/lib/ld-linux-riscv64-lp64d.so.1'". Where a prefix is
// needed, the registered interpreter is gox itself, as plan.QemuLDName in a
// directory of its own beside a file naming the emulator and the prefix:
// the kernel hands it every target binary, whatever its environment, and
// it execs qemu with -L.

// qemuLD is gox run by the kernel as the interpreter: argv0 is its path,
// then the target binary and its arguments.
func (s *session) qemuLD(argv0 string, args []string) int {
	if len(args) == 0 {
		fmt.Fprintf(s.Stderr, "usage: %s BINARY [ARGS...]\n", plan.QemuLDName)
		return 2
	}
	data, err := os.ReadFile(filepath.Join(filepath.Dir(argv0), "qemu-ld.json"))
	var q plan.QemuLD
	if err == nil {
		err = json.Unmarshal(data, &q)
	}
	if err != nil || q.Qemu == "" {
		return s.Fail(&base.Error{What: plan.QemuLDName, Err: fmt.Errorf("no emulator is named beside %s: %v", argv0, err)})
	}
	argv := []string{q.Qemu}
	if q.Prefix != "" {
		argv = append(argv, "-L", q.Prefix)
	}
	argv = append(argv, args...)
	err = proc.Exec(q.Qemu, argv, s.Env)
	return s.Fail(&base.Error{What: plan.QemuLDName, Err: fmt.Errorf("exec %s: %v", q.Qemu, err)})
}
