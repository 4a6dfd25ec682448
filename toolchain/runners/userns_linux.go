package runners

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// Namespaced binfmt_misc (Linux 6.7 and later): a user namespace may mount
// binfmt_misc instance of its own, whose registrations apply to the
// processes of that namespace and the namespaces it makes, and to nothing
// else on the machine. gox uses one to let the kernel run a target's
// binaries without root: no exec wrapper, so go test caches results, and a
// test binary that runs another foreign binary (testscript's RunMain, a
// nested go test) works.
//
// Two namespaces are needed. In the outer one the user is root, so the
// instance's register file (owned by the namespace's root) can be written;
// an inner one maps the user's own uid and gid back, so that programs see
// the ids they would see outside. The kernel uses the nearest ancestor's
// instance for the inner namespace.

// NamespaceSupported reports whether this platform has namespaced
// binfmt_misc at all; the kernel and the distribution decide the rest
// (ProbeNamespace).
const NamespaceSupported = true

// OuterNamespace is the process attributes that start a process in a new
// user and mount namespace where it is root (mapped to uid and gid), free to
// mount binfmt_misc and register with it. Pdeathsig ends it with its parent.
func OuterNamespace(uid, gid int) *syscall.SysProcAttr {
	if a := mirrored(uid, syscall.CLONE_NEWUSER|syscall.CLONE_NEWNS); a != nil {
		return a
	}
	return &syscall.SysProcAttr{
		Cloneflags:  syscall.CLONE_NEWUSER | syscall.CLONE_NEWNS,
		UidMappings: []syscall.SysProcIDMap{{ContainerID: 0, HostID: uid, Size: 1}},
		GidMappings: []syscall.SysProcIDMap{{ContainerID: 0, HostID: gid, Size: 1}},
		// An unprivileged process may map its gid only after giving up
		// setgroups.
		GidMappingsEnableSetgroups: false,
		Pdeathsig:                  syscall.SIGKILL,
	}
}

// InnerNamespace is the process attributes that start a process, from the
// outer namespace, in a user namespace of its own where it has the user's
// uid and gid again.
func InnerNamespace(uid, gid int) *syscall.SysProcAttr {
	if a := mirrored(uid, syscall.CLONE_NEWUSER); a != nil {
		return a
	}
	return &syscall.SysProcAttr{
		Cloneflags:                 syscall.CLONE_NEWUSER,
		UidMappings:                []syscall.SysProcIDMap{{ContainerID: uid, HostID: 0, Size: 1}},
		GidMappings:                []syscall.SysProcIDMap{{ContainerID: gid, HostID: 0, Size: 1}},
		GidMappingsEnableSetgroups: false,
		Pdeathsig:                  syscall.SIGKILL,
	}
}

// mirrored is the attributes of a namespace that maps every id the
// current one has to itself, for root (uid 0), which may write such maps:
// its processes then keep their ids and supplementary groups (an
// unprivileged map of one id shows every other group as 65534, and a root
// whose groups are unmapped has none). Nil when uid is not 0 or the
// current maps cannot be read.
func mirrored(uid int, flags uintptr) *syscall.SysProcAttr {
	if uid != 0 {
		return nil
	}
	// (uid 0 is the caller's own here, so the current map holds it)
	uids, err := ownIDs("/proc/self/uid_map")
	if err != nil {
		return nil
	}
	gids, err := ownIDs("/proc/self/gid_map")
	if err != nil {
		return nil
	}
	return &syscall.SysProcAttr{
		Cloneflags:                 flags,
		UidMappings:                uids,
		GidMappings:                gids,
		GidMappingsEnableSetgroups: true,
		Pdeathsig:                  syscall.SIGKILL,
	}
}

// ownIDs reads a /proc/PID/[ug]id_map as the ids this namespace has, each
// range mapped to itself.
func ownIDs(file string) ([]syscall.SysProcIDMap, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	return parseIDMap(string(data))
}

// parseIDMap reads the lines of an id map ("inside outside count") as
// identity ranges of the inside ids.
func parseIDMap(text string) ([]syscall.SysProcIDMap, error) {
	var out []syscall.SysProcIDMap
	for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
		f := strings.Fields(line)
		if len(f) != 3 {
			return nil, fmt.Errorf("id map line %q", line)
		}
		in, err1 := strconv.ParseUint(f[0], 10, 32)
		n, err2 := strconv.ParseUint(f[2], 10, 32)
		if err1 != nil || err2 != nil || n == 0 {
			return nil, fmt.Errorf("id map line %q", line)
		}
		if n > uint64(math.MaxInt)-in {
			n = uint64(math.MaxInt) - in // a 32-bit int: the ids it can name
		}
		out = append(out, syscall.SysProcIDMap{ContainerID: int(in), HostID: int(in), Size: int(n)})
	}
	return out, nil
}

// SetUpNamespace runs in the outer namespace: it keeps the namespace's
// mounts from propagating anywhere, mounts a binfmt_misc instance of its
// own over /proc/sys/fs/binfmt_misc and writes the registrations to it.
func SetUpNamespace(registrations []string) error {
	if err := syscall.Mount("", "/", "", syscall.MS_REC|syscall.MS_PRIVATE, ""); err != nil {
		return fmt.Errorf("making the mounts private: %w", err)
	}
	if err := syscall.Mount("binfmt_misc", BinfmtDir, "binfmt_misc", syscall.MS_NOSUID|syscall.MS_NODEV|syscall.MS_NOEXEC, ""); err != nil {
		return fmt.Errorf("mounting binfmt_misc in a user namespace (Linux 6.7 or later): %w", err)
	}
	reg := filepath.Join(BinfmtDir, "register")
	for _, line := range registrations {
		if err := os.WriteFile(reg, []byte(line), 0); err != nil {
			return fmt.Errorf("registering with binfmt_misc: %w", err)
		}
	}
	return nil
}
