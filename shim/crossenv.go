package shim

import (
	"fmt"

	"github.com/gox-build/gox/toolchain"
)

// crossEnv is what inspecting targets needs, loaded once per command.
type crossEnv struct {
	g        toolchain.GoCommand
	facts    *toolchain.GoFacts
	settings toolchain.GoSettings
	state    toolchain.State
	distro   toolchain.Distro
	// project is the gox.toml of the module in the working directory;
	// projectErr why it could not be read.
	project    *projectFacts
	projectErr error
}

func (s *session) loadCrossEnv() (*crossEnv, error) {
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
	ce := &crossEnv{g: g, facts: facts, settings: toolchain.LoadGoSettings(s.Env, g.Root), state: st, distro: toolchain.HostDistro()}
	ce.project, ce.projectErr = s.loadProject(commandDir(""), st)
	return ce, nil
}

// crossTargets loads what inspecting targets needs and parses the target
// arguments.
func (s *session) crossTargets(args []string) (*crossEnv, []toolchain.Target, error) {
	ce, err := s.loadCrossEnv()
	if err != nil {
		return nil, nil, err
	}
	targets, err := s.parseTargets(ce, args)
	return ce, targets, err
}

// parseTargets turns target arguments into targets, defaulting to the
// target the environment selects.
func (s *session) parseTargets(ce *crossEnv, args []string) ([]toolchain.Target, error) {
	h := thisHost()
	if len(args) == 0 {
		t, _, err := toolchain.ResolveTarget("", ce.settings, h.goos, h.goarch)
		return []toolchain.Target{t}, err
	}
	var out []toolchain.Target
	for _, a := range args {
		for _, one := range toolchain.SplitTargets(a) {
			t, err := toolchain.ParseTarget(one, h.goos)
			if err != nil {
				return nil, targetError(one, err, ce.facts)
			}
			out = append(out, t)
		}
	}
	return out, nil
}

// nativeRuns says whether the host runs goarch's Linux binaries itself,
// as the runner decides it (toolchain.NativeRuns, probed once a boot).
func (ce *crossEnv) nativeRuns(goarch string) bool {
	return toolchain.NativeRuns(thisHost().goarch, goarch, ce.state)
}

// goroot is the real go's GOROOT.
func (ce *crossEnv) goroot() string {
	if ce.g.Root != "" {
		return ce.g.Root
	}
	return ce.facts.GOROOT
}
