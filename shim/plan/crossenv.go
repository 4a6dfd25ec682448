package plan

import (
	"fmt"

	"github.com/gox-build/gox/shim/project"
	"github.com/gox-build/gox/toolchain"
	"github.com/gox-build/gox/toolchain/runners"
)

// CrossEnv is what inspecting targets needs, loaded once per command.
type CrossEnv struct {
	Go       toolchain.GoCommand
	Facts    *toolchain.GoFacts
	Settings toolchain.GoSettings
	State    toolchain.State
	Distro   toolchain.Distro
	// Project is the gox.toml of the module in the working directory;
	// projectErr why it could not be read.
	Project    *project.Facts
	ProjectErr error
}

func (s *Planner) LoadCrossEnv() (*CrossEnv, error) {
	g, err := s.RealGo()
	if err != nil {
		return nil, err
	}
	st, err := toolchain.OpenState(s.Env, false)
	if err != nil {
		return nil, err
	}
	st.Refresh = s.Refresh
	if toolchain.TempState(s.Env) {
		fmt.Fprintln(s.Stderr, "gox: note: "+tempStateNote)
	}
	facts, err := toolchain.LoadGoFacts(g, s.Env, st)
	if err != nil {
		return nil, err
	}
	ce := &CrossEnv{Go: g, Facts: facts, Settings: toolchain.LoadGoSettings(s.Env, g.Root), State: st, Distro: toolchain.HostDistro()}
	ce.Project, ce.ProjectErr = s.loadProject(commandDir(""), st)
	return ce, nil
}

// CrossTargets loads what inspecting targets needs and parses the target
// arguments.
func (s *Planner) CrossTargets(args []string) (*CrossEnv, []toolchain.Target, error) {
	ce, err := s.LoadCrossEnv()
	if err != nil {
		return nil, nil, err
	}
	targets, err := s.parseTargets(ce, args)
	return ce, targets, err
}

// parseTargets turns target arguments into targets, defaulting to the
// target the environment selects.
func (s *Planner) parseTargets(ce *CrossEnv, args []string) ([]toolchain.Target, error) {
	h := ThisHost()
	if len(args) == 0 {
		t, _, err := toolchain.ResolveTarget("", ce.Settings, h.GOOS, h.GOARCH)
		return []toolchain.Target{t}, err
	}
	var out []toolchain.Target
	for _, a := range args {
		for _, one := range toolchain.SplitTargets(a) {
			t, err := toolchain.ParseTarget(one, h.GOOS)
			if err != nil {
				return nil, targetError(one, err, ce.Facts)
			}
			out = append(out, t)
		}
	}
	return out, nil
}

// NativeRuns says whether the host runs goarch's Linux binaries itself,
// as the runner decides it (toolchain.NativeRuns, probed once a boot).
func (ce *CrossEnv) NativeRuns(goarch string) bool {
	return runners.NativeRuns(ThisHost().GOARCH, goarch, ce.State)
}

// GoRoot is the real go's GOROOT.
func (ce *CrossEnv) GoRoot() string {
	if ce.Go.Root != "" {
		return ce.Go.Root
	}
	return ce.Facts.GOROOT
}
