// Package trustcmd is gox trust: trust a project's gox.toml to name programs to run.
// Its usage and help live with the code (Command); the front door runs
// it with the session.
package trustcmd

import (
	"flag"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/gox-build/gox/shim/config"
	"github.com/gox-build/gox/shim/internal/base"
	"github.com/gox-build/gox/shim/plan"
	"github.com/gox-build/gox/shim/project"
	"github.com/gox-build/gox/toolchain"
)

type trustFlags struct {
	list   bool
	revoke bool
}

// Command is gox trust.
func Command() *base.Command {
	return base.NewCommand(base.Command{
		Name:      "trust",
		UsageLine: "trust [-list | -revoke] [FILE]",
		Short:     "trust a project's gox.toml to name programs to run",
		Long: `
A gox.toml may name programs gox runs for you: a C compiler (cc, cxx), a
runner, Debian packages for gox setup, environment variables such as CC or
CGO_CFLAGS. From a cloned repository those are a stranger's code, so they
take effect only after you have read the file and run gox trust; until
then a cross command that would use them fails, and the file's other
settings (targets, output, sysroot, pkg_config_libdir, cgo, GOARM-like
variables) apply anyway.

Trust is kept in gox's state directory as the file's absolute path and
the SHA-256 of its content: any edit revokes it. FILE defaults to the
gox.toml of the module in the current directory.

	-list	list the files you trust, and whether each is unchanged
	-revoke	stop trusting FILE

Non-interactive CI opts in with GOX_TRUST set to the file's SHA-256
(gox trust prints it; sha256sum gox.toml too).
`,
	}, func(fs *flag.FlagSet, f *trustFlags) {
		fs.BoolVar(&f.list, "list", false, "list trusted files")
		fs.BoolVar(&f.revoke, "revoke", false, "stop trusting the file")
	}, runTrust)
}

func runTrust(b *base.Session, f *trustFlags, args []string) int {
	s := &session{&plan.Planner{Session: b}}
	c := Command()
	if len(args) > 1 || f.list && (f.revoke || len(args) > 0) {
		return c.Usage(s.Session, "want at most one FILE, and -list alone")
	}
	st, err := toolchain.OpenState(s.Env, false)
	if err != nil {
		return s.Fail(err)
	}
	if f.list {
		recs, err := config.List(st.Dir)
		if err != nil {
			return s.Fail(err)
		}
		tw := tabwriter.NewWriter(s.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "FILE\tSHA-256\tTRUSTED\tNOW")
		for _, r := range recs {
			now := "unchanged"
			if cfg, err := config.Load(r.Path); err != nil {
				now = "unreadable"
				if os.IsNotExist(err) {
					now = "missing"
				}
			} else if cfg.Sum != r.Sum {
				now = "changed: not trusted"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.Path, r.Sum[:min(12, len(r.Sum))], r.When.Local().Format("2006-01-02 15:04"), now)
		}
		tw.Flush()
		return 0
	}
	path := ""
	if len(args) == 1 {
		path = args[0]
	} else {
		wd, err := os.Getwd()
		if err != nil {
			return s.Fail(err)
		}
		if path = config.Find(wd, s.GoworkSetting()); path == "" {
			return s.Fail(base.UsageError{Err: &base.Error{What: "trust", Err: fmt.Errorf("no %s next to the go.mod (or go.work) of %s", config.FileName, wd),
				Hints: []string{"name the file: gox trust path/to/gox.toml"}}})
		}
	}
	if f.revoke {
		abs, err := absPath(path)
		if err != nil {
			return s.Fail(err)
		}
		removed, err := config.Revoke(st.Dir, abs)
		if err != nil {
			return s.Fail(err)
		}
		if !removed {
			fmt.Fprintf(s.Stdout, "gox: %s was not trusted\n", abs)
			return 0
		}
		fmt.Fprintf(s.Stdout, "gox: no longer trusted: %s\n", abs)
		return 0
	}
	cfg, err := config.Load(path)
	if err == nil {
		err = cfg.Validate(project.ParseTargetName(plan.ThisHost().GOOS))
	}
	if err != nil {
		return s.Fail(&base.Error{What: "trust", Err: err})
	}
	if err := config.Trust(st.Dir, cfg, time.Now()); err != nil {
		return s.Fail(&base.Error{What: "trust", Err: err})
	}
	fmt.Fprintf(s.Stdout, "gox: trusted %s (sha256 %s)\n", cfg.Path, cfg.Sum)
	var gated []string
	for _, name := range slices.Sorted(maps.Keys(cfg.Target)) {
		t := cfg.Target[name]
		for _, g := range t.Gated() {
			gated = append(gated, `target."`+name+`".`+g)
		}
	}
	if len(gated) > 0 {
		fmt.Fprintf(s.Stdout, "gox: it runs: %s\n", strings.Join(gated, "; "))
	}
	if progs := cfg.Programs(); len(progs) > 0 {
		fmt.Fprintf(s.Stdout, "gox: the trust covers these programs as they are now (an edit revokes it): %s\n", strings.Join(progs, ", "))
	}
	return 0
}

func absPath(p string) (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	return project.ResolveIn(wd, p), nil
}

// session is the run's planner, which this command asks for what a go
// command for a target would get.
type session struct{ *plan.Planner }
