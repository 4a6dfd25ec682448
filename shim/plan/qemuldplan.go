package plan

import (
	"encoding/json"
	"os"
	"path/filepath"

	"github.com/gox-build/gox/shim/internal/base"

	"github.com/gox-build/gox/toolchain"
)

// QemuLDName is the name gox runs as when it is that interpreter.
const QemuLDName = "gox-qemu-ld"

// QemuLD is the interpreter for one emulator and loader prefix.
type QemuLD struct {
	Dir    string `json:"-"`
	Self   string `json:"-"`
	Qemu   string `json:"qemu"`
	Prefix string `json:"prefix"`
}

// qemuLDFor names the interpreter directory for the gox binary self.
func qemuLDFor(stateDir, self, qemu, prefix string) QemuLD {
	dir := filepath.Join(stateDir, "qemu-ld", toolchain.HashKey(self, qemu, prefix))
	return QemuLD{Dir: dir, Self: self, Qemu: qemu, Prefix: prefix}
}

// Path is the interpreter binfmt_misc is given.
func (q QemuLD) Path() string { return filepath.Join(q.Dir, QemuLDName) }

// Make writes the file naming the emulator and prefix, then the link to
// gox, each by rename: a go command starting meanwhile sees both or none.
func (q QemuLD) Make() error {
	data, err := json.Marshal(q)
	if err != nil {
		return err
	}
	conf := filepath.Join(q.Dir, "qemu-ld.json")
	if old, err := os.ReadFile(conf); err != nil || string(old) != string(data) {
		if err := toolchain.WriteFileAtomic(conf, data); err != nil {
			return &base.Error{What: "runner", Err: err}
		}
	}
	return WrapperLink{Dir: q.Dir, Name: QemuLDName, Self: q.Self}.Make()
}
