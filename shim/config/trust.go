package config

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/gox-build/gox/toolchain"
)

// Record is the user's trust in one gox.toml: its absolute path and the
// SHA-256 of the content trusted. Any edit changes the sum, and with it
// the trust.
type Record struct {
	Path string `json:"path"`
	Sum  string `json:"sha256"`
	// Programs are the SHA-256 of each program of the repository's that
	// the file names (cc = "./tools/cc.sh"), by its path relative to the
	// file: trusting the file is trusting them as they were read.
	Programs map[string]string `json:"programs"`
	When     time.Time         `json:"trusted"`
}

// Programs are the files of the repository gox.toml names as programs to
// run (cc, cxx, runner): a first word that is a path inside the file's
// directory. Programs on PATH and elsewhere on the machine are the
// user's own.
func (c *File) Programs() []string {
	dir := filepath.Dir(c.Path)
	seen := map[string]bool{}
	var out []string
	add := func(word string) {
		if word == "" || !strings.ContainsRune(word, '/') {
			return
		}
		p := word
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil || !filepath.IsLocal(rel) || seen[rel] {
			return
		}
		seen[rel] = true
		out = append(out, rel)
	}
	for _, t := range c.Target {
		for _, cmd := range []string{t.CC, t.CXX} {
			if words, err := toolchain.SplitQuoted(cmd); err == nil && len(words) > 0 {
				add(words[0])
			}
		}
		if len(t.Runner) > 0 {
			add(t.Runner[0])
		}
	}
	sort.Strings(out)
	return out
}

// programSums are the SHA-256 of c's programs now ("missing" for one that
// cannot be read).
func programSums(c *File) map[string]string {
	out := map[string]string{}
	for _, rel := range c.Programs() {
		data, err := os.ReadFile(filepath.Join(filepath.Dir(c.Path), rel))
		if err != nil {
			out[rel] = "missing"
			continue
		}
		sum := sha256.Sum256(data)
		out[rel] = hex.EncodeToString(sum[:])
	}
	return out
}

// trustDir is where records live in gox's state directory.
func trustDir(stateDir string) string { return filepath.Join(stateDir, "trust") }

// recordFile is the record of the configuration at path.
func recordFile(stateDir, path string) string {
	h := sha256.Sum256([]byte(path))
	return filepath.Join(trustDir(stateDir), hex.EncodeToString(h[:8])+".json")
}

// Trusted says whether the user trusts f's content, and if not, why:
// envSum is GOX_TRUST (non-interactive CI names the sum it accepts);
// otherwise a record for f's path with f's sum must exist.
func Trusted(stateDir string, f *File, envSum string) (ok bool, why string) {
	if envSum != "" {
		if strings.TrimPrefix(envSum, "sha256:") == f.Sum {
			return true, "GOX_TRUST names its SHA-256"
		}
		return false, "GOX_TRUST names another SHA-256 than its " + f.Sum
	}
	rec, err := readRecord(recordFile(stateDir, f.Path))
	switch {
	case err != nil || rec.Path != f.Path:
		return false, "never trusted"
	case rec.Sum != f.Sum:
		return false, "changed since you trusted it"
	case rec.Programs == nil:
		return false, "trusted before gox covered the programs it names; read them and trust it again"
	}
	now := programSums(f)
	var changed []string
	for rel, sum := range now {
		if rec.Programs[rel] != sum {
			changed = append(changed, rel)
		}
	}
	for rel := range rec.Programs {
		if _, ok := now[rel]; !ok {
			changed = append(changed, rel)
		}
	}
	if len(changed) > 0 {
		sort.Strings(changed)
		return false, strings.Join(changed, ", ") + " changed since you trusted it"
	}
	return true, "trusted " + rec.When.Local().Format("2006-01-02 15:04")
}

func readRecord(file string) (Record, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return Record{}, err
	}
	var r Record
	err = json.Unmarshal(data, &r)
	return r, err
}

// Trust records the user's trust in f as it is now.
func Trust(stateDir string, f *File, now time.Time) error {
	data, err := json.MarshalIndent(Record{Path: f.Path, Sum: f.Sum, Programs: programSums(f), When: now.UTC()}, "", "\t")
	if err != nil {
		return err
	}
	return toolchain.WriteFileAtomic(recordFile(stateDir, f.Path), append(data, '\n'))
}

// Revoke removes the record of the configuration at path; false when
// there was none.
func Revoke(stateDir, path string) (bool, error) {
	err := os.Remove(recordFile(stateDir, path))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

// List returns every record, by path.
func List(stateDir string) ([]Record, error) {
	entries, err := os.ReadDir(trustDir(stateDir))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []Record
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		if r, err := readRecord(filepath.Join(trustDir(stateDir), e.Name())); err == nil && r.Path != "" {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}
