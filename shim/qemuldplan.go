package shim

import (
	"encoding/json"
	"os"
	"path/filepath"

	"github.com/gox-build/gox/toolchain"
)

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
