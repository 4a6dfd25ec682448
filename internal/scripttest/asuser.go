package scripttest

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
)

// UnprivilegedID is the uid and gid scripts run commands as with asuser
// when the suite runs as root: nobody's.
const UnprivilegedID = 65534

// asUserEnv is the environment of a command asuser runs as nobody: the
// script's, with nobody's own HOME, build cache and module cache under
// dir (ASUSER_CACHE), so that nothing of root's is written or needed.
func asUserEnv(env []string, dir string) []string {
	out := make([]string, 0, len(env)+4)
	for _, kv := range env {
		switch name, _, _ := strings.Cut(kv, "="); name {
		case "HOME", "GOCACHE", "GOMODCACHE", "GOX_CACHE", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "TMPDIR":
			continue
		}
		out = append(out, kv)
	}
	return append(out, "HOME="+filepath.Join(dir, "home"), "GOCACHE="+filepath.Join(dir, "gocache"),
		"GOMODCACHE="+filepath.Join(dir, "gomodcache"), "TMPDIR="+filepath.Join(dir, "tmp"))
}

// UserCacheDir is where the unprivileged user keeps HOME and caches
// between runs: under the system's temporary directory, which that user
// can reach (the suite's own cache may be under root's private home).
func UserCacheDir() string {
	return filepath.Join(os.TempDir(), fmt.Sprintf("gox-test-asuser-%d", UnprivilegedID))
}

// prepareUserDir makes dir, nobody's, for asUserEnv; one there already
// must be nobody's.
func prepareUserDir(dir string) error {
	if fi, err := os.Stat(dir); err == nil {
		if st, ok := fi.Sys().(*syscall.Stat_t); ok && os.Geteuid() == 0 && st.Uid != UnprivilegedID {
			return fmt.Errorf("%s is not uid %d's", dir, UnprivilegedID)
		}
	}
	for _, d := range []string{dir, filepath.Join(dir, "home"), filepath.Join(dir, "gocache"), filepath.Join(dir, "gomodcache"), filepath.Join(dir, "tmp")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
		if os.Geteuid() == 0 {
			if err := os.Chown(d, UnprivilegedID, UnprivilegedID); err != nil {
				return err
			}
		}
	}
	return nil
}

// asuser CMD [ARGS...] runs CMD as an unprivileged user: as nobody (uid and
// gid 65534, no groups) with nobody's HOME and caches from ASUSER_CACHE
// when the suite runs as root, as it is otherwise. The script's directory
// is made readable to nobody first (its parents under the temporary
// directory are private to root).
func asuser(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: asuser CMD [ARGS...]")
		return 2
	}
	cmd := exec.Command(args[0], args[1:]...)
	if p, err := exec.LookPath(args[0]); err == nil {
		cmd.Path = p
	}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, stdout, stderr
	cmd.Env = os.Environ()
	if os.Geteuid() == 0 {
		dir := os.Getenv("ASUSER_CACHE")
		if dir == "" {
			fmt.Fprintln(stderr, "asuser: ASUSER_CACHE is not set")
			return 2
		}
		if err := prepareUserDir(dir); err != nil {
			fmt.Fprintln(stderr, "asuser:", err)
			return 1
		}
		if err := openToOthers(); err != nil {
			fmt.Fprintln(stderr, "asuser:", err)
			return 1
		}
		cmd.Env = asUserEnv(cmd.Env, dir)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: UnprivilegedID, Gid: UnprivilegedID, Groups: []uint32{}}}
	}
	if err := cmd.Run(); err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
				fmt.Fprintf(stderr, "asuser: %s: %v\n", args[0], ws.Signal())
				return 1
			}
			return ee.ExitCode()
		}
		fmt.Fprintln(stderr, "asuser:", err)
		return 1
	}
	return 0
}

// openToOthers lets others read the working directory's tree and pass
// through its parents up to the temporary directory, which testscript
// makes private.
func openToOthers() error {
	wd, err := os.Getwd()
	if err != nil {
		return err
	}
	work := os.Getenv("WORK")
	if work == "" || !strings.HasPrefix(wd, work) {
		return fmt.Errorf("asuser runs in the script's $WORK, not %s", wd)
	}
	// Up to the system's temporary directory (world-writable, sticky),
	// each parent is testscript's, private to us.
	for d := filepath.Dir(work); d != filepath.Dir(d); d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil || fi.Mode()&os.ModeSticky != 0 {
			break
		}
		if st, ok := fi.Sys().(*syscall.Stat_t); !ok || int(st.Uid) != os.Geteuid() {
			break
		}
		_ = os.Chmod(d, fi.Mode().Perm()|0o011)
	}
	return filepath.Walk(work, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		mode := fi.Mode().Perm() | 0o044
		if fi.IsDir() {
			mode |= 0o011
		}
		if fi.Mode()&os.ModeSymlink != 0 {
			return nil
		}
		return os.Chmod(p, mode)
	})
}
