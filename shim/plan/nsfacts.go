package plan

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/gox-build/gox/internal/facts"
	"github.com/gox-build/gox/shim/internal/proc"
	"github.com/gox-build/gox/toolchain"
	"github.com/gox-build/gox/toolchain/runners"
)

// NsHelperName is the name (argv[0]) gox runs as in the outer namespace.
const NsHelperName = "gox-nsrun"

// NsRoute is a plan's namespace: the registrations its binfmt_misc gets.
type NsRoute struct {
	Registrations []string
	// Self is this gox binary, which runs as the helper.
	Self string
}

// nsVerdict is whether the namespace route works here, and why not.
type nsVerdict struct {
	OK  bool   `json:"ok"`
	Why string `json:"why,omitempty"`
}

// namespaceVerdict finds, once per boot, user, user namespace and gox
// binary (the kernel and its policy decide, and the helper is this
// binary), whether gox can make a user namespace with a binfmt_misc
// instance of its own. GOX_NAMESPACE=off says no without probing. self is
// this gox binary, which runs as the helper ("" when unknown).
func (s *Planner) namespaceVerdict(st toolchain.State, self string) nsVerdict {
	if v := s.Env.Get("GOX_NAMESPACE"); v == "off" || v == "0" {
		return nsVerdict{Why: "GOX_NAMESPACE=" + v}
	}
	if !runners.NamespaceSupported {
		return nsVerdict{Why: "binfmt_misc is Linux's"}
	}
	if self == "" {
		return nsVerdict{Why: "gox cannot find its own binary"}
	}
	selfKey, _ := toolchain.FileKey(self)
	// The user namespace gox runs in decides too (a container's, or one
	// whose limits forbid making more).
	userns, _ := os.Readlink("/proc/self/ns/user")
	key := facts.Key{Kind: "namespace", Scope: facts.Host, Inputs: []string{"boot=" + runners.BootID(),
		"uid=" + strconv.Itoa(os.Getuid()), "userns=" + userns, "gox=" + selfKey}}
	v, _ := facts.Find(st.Facts(), key, func() (nsVerdict, facts.Outcome) {
		out, err := probeNamespace(self)
		if err != nil {
			return nsVerdict{Why: err.Error()}, out
		}
		return nsVerdict{OK: true}, facts.Settled
	})
	return v
}

// probeNamespace starts the helper in a new namespace to mount
// binfmt_misc and nothing more.
func probeNamespace(self string) (facts.Outcome, error) {
	cmd := exec.Command(self, "-probe")
	cmd.Args[0] = NsHelperName
	cmd.Env = []string{"PATH=/usr/bin:/bin"}
	cmd.SysProcAttr = runners.OuterNamespace(os.Getuid(), os.Getgid())
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		// clone(2) refused: no unprivileged user namespaces here (or, with
		// ENOSPC, none left at the moment)
		return facts.OutcomeOf(nil, err), fmt.Errorf("user namespaces are refused: %v", proc.SyscallErr(err))
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			how := facts.OutcomeOf(nil, err)
			if msg := strings.TrimSpace(out.String()); msg != "" {
				return how, errors.New(strings.TrimPrefix(msg, "gox: "))
			}
			return how, err
		}
		return facts.Settled, nil
	case <-time.After(5 * time.Second):
		_ = cmd.Process.Kill()
		return facts.Passing, errors.New("the namespace probe did not finish in 5 s")
	}
}
