package shim

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/gox-build/gox/shim/internal/proc"
	"github.com/gox-build/gox/toolchain"
)

// The namespace route registers qemu with binfmt_misc for the target's ELF
// files. A dynamically linked cgo binary needs qemu's loader prefix (-L),
// which QEMU_LD_PREFIX carries only as far as the environment goes: a test
// binary that runs itself, or another target binary, with an environment
// of its own (cmd.Env = []string{"CHILD=1"}) lost it, and qemu failed with
// "Could not open '/lib/ld-linux-riscv64-lp64d.so.1'". Where a prefix is
// needed, the registered interpreter is gox itself, as qemuLDName in a
// directory of its own beside a file naming the emulator and the prefix:
// the kernel hands it every target binary, whatever its environment, and
// it execs qemu with -L.

// qemuLDName is the name gox runs as when it is that interpreter.
const qemuLDName = "gox-qemu-ld"

// qemuLD is the interpreter for one emulator and loader prefix.
type qemuLD struct {
	Dir    string `json:"-"`
	Self   string `json:"-"`
	Qemu   string `json:"qemu"`
	Prefix string `json:"prefix"`
}

// qemuLDFor names the interpreter directory for the gox binary self.
func qemuLDFor(stateDir, self, qemu, prefix string) qemuLD {
	dir := filepath.Join(stateDir, "qemu-ld", toolchain.HashKey(self, qemu, prefix))
	return qemuLD{Dir: dir, Self: self, Qemu: qemu, Prefix: prefix}
}

// Path is the interpreter binfmt_misc is given.
func (q qemuLD) Path() string { return filepath.Join(q.Dir, qemuLDName) }

// make writes the file naming the emulator and prefix, then the link to
// gox, each by rename: a go command starting meanwhile sees both or none.
func (q qemuLD) make() error {
	data, err := json.Marshal(q)
	if err != nil {
		return err
	}
	conf := filepath.Join(q.Dir, "qemu-ld.json")
	if old, err := os.ReadFile(conf); err != nil || string(old) != string(data) {
		if err := toolchain.WriteFileAtomic(conf, data); err != nil {
			return &toolchain.Error{What: "runner", Err: err}
		}
	}
	return wrapperLink{Dir: q.Dir, Name: qemuLDName, Self: q.Self}.make()
}

// runQemuLD is gox run by the kernel as the interpreter: argv0 is its path,
// then the target binary and its arguments.
func (s *session) runQemuLD(argv0 string, args []string) int {
	if len(args) == 0 {
		fmt.Fprintf(s.Stderr, "usage: %s BINARY [ARGS...]\n", qemuLDName)
		return 2
	}
	data, err := os.ReadFile(filepath.Join(filepath.Dir(argv0), "qemu-ld.json"))
	var q qemuLD
	if err == nil {
		err = json.Unmarshal(data, &q)
	}
	if err != nil || q.Qemu == "" {
		return s.Fail(&toolchain.Error{What: qemuLDName, Err: fmt.Errorf("no emulator is named beside %s: %v", argv0, err)})
	}
	argv := []string{q.Qemu}
	if q.Prefix != "" {
		argv = append(argv, "-L", q.Prefix)
	}
	argv = append(argv, args...)
	err = proc.Exec(q.Qemu, argv, s.Env)
	return s.Fail(&toolchain.Error{What: qemuLDName, Err: fmt.Errorf("exec %s: %v", q.Qemu, err)})
}
