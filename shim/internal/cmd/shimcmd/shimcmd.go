// Package shimcmd is gox shim: install gox as "go" in front of the real go, or remove it.
// Its usage and help live with the code (Command); the front door runs
// it with the session.
package shimcmd

import (
	"debug/buildinfo"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"

	"github.com/gox-build/gox/shim/internal/base"
	"github.com/gox-build/gox/shim/plan"
	"github.com/gox-build/gox/toolchain"
)

type shimFlags struct{ dir string }

// Command is gox shim.
func Command() *base.Command {
	return base.NewCommand(base.Command{
		Name:      "shim",
		UsageLine: "shim install|uninstall|status [-dir DIR]",
		Short:     `install gox as "go" in front of the real go, or remove it`,
		Long: `
Shim manages the "go" link that puts gox in front of the real go command.

	gox shim install [-dir DIR]
		creates DIR/go, a symbolic link to this gox binary, and says how
		to put DIR first on PATH. It never overwrites a file it did not
		create: an existing DIR/go is replaced only when it already leads
		to a gox.
	gox shim uninstall [-dir DIR]
		removes DIR/go if it leads to a gox, and nothing else.
	gox shim status [-dir DIR]
		shows whether the link is installed, which go comes first on PATH,
		and which real go gox delegates to.

DIR defaults to $XDG_DATA_HOME/gox/bin, or ~/.local/share/gox/bin when
XDG_DATA_HOME is unset (%LocalAppData%\gox\bin on Windows): a directory of
gox's own, so that nothing else lives next to the link and removing it is
always safe. gox finds the real go by skipping itself on PATH, so DIR can
simply go first: PATH="DIR:$PATH".
`,
	}, func(fs *flag.FlagSet, f *shimFlags) {
		fs.StringVar(&f.dir, "dir", "", "directory for the go link")
	}, runShim)
}

func runShim(b *base.Session, f *shimFlags, args []string) int {
	s := &session{&plan.Planner{Session: b}}
	c := Command()
	if len(args) == 0 {
		return c.Usage(s.Session, "missing subcommand")
	}
	sub := args[0]
	// Accept -dir after the subcommand too: gox shim install -dir DIR.
	fs := flag.NewFlagSet("gox shim "+sub, flag.ContinueOnError)
	fs.SetOutput(s.Stderr)
	fs.StringVar(&f.dir, "dir", f.dir, "directory for the go link")
	if err := fs.Parse(args[1:]); err != nil {
		return c.Usage(s.Session, "%v", err)
	}
	if fs.NArg() > 0 {
		return c.Usage(s.Session, "unexpected arguments: %q", fs.Args())
	}
	dir := f.dir
	if dir == "" {
		d, err := defaultShimDir(s.Env)
		if err != nil {
			return s.Fail(err)
		}
		dir = d
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return s.Fail(err)
	}
	self, err := base.SelfBinary()
	if err != nil {
		return s.Fail(&base.Error{What: "cannot locate the gox binary", Err: err})
	}
	switch sub {
	case "install":
		return s.shimInstall(dir, self)
	case "uninstall":
		return s.shimUninstall(dir, self)
	case "status":
		return s.shimStatus(dir, self)
	}
	return c.Usage(s.Session, "unknown subcommand %q", sub)
}

// defaultShimDir is a directory of gox's own for the go link.
func defaultShimDir(env toolchain.Env) (string, error) {
	if runtime.GOOS == "windows" {
		if d := env.Get("LocalAppData"); d != "" {
			return filepath.Join(d, "gox", "bin"), nil
		}
	}
	if d := env.Get("XDG_DATA_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "gox", "bin"), nil
	}
	home := env.Get("HOME")
	if home == "" {
		return "", &base.Error{What: "shim", Err: errors.New("neither XDG_DATA_HOME nor HOME is set"),
			Hints: []string{"name the directory with -dir DIR"}}
	}
	return filepath.Join(home, ".local", "share", "gox", "bin"), nil
}

// linkState says what DIR/go is now.
type linkState int

const (
	linkAbsent  linkState = iota
	linkSelf              // leads to this very gox binary
	linkGox               // a symlink to another gox binary
	linkForeign           // anything else: not ours to touch
)

func shimLinkState(link, self string) linkState {
	fi, err := os.Lstat(link)
	if errors.Is(err, fs.ErrNotExist) {
		return linkAbsent
	}
	if err != nil {
		return linkForeign
	}
	if sfi, err := os.Stat(self); err == nil {
		if tfi, err := os.Stat(link); err == nil && os.SameFile(sfi, tfi) {
			return linkSelf
		}
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		if info, err := buildinfo.ReadFile(link); err == nil && info.Path == toolchain.MainPackage {
			return linkGox
		}
	}
	return linkForeign
}

func (s *session) shimInstall(dir, self string) int {
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		return s.Fail(&base.Error{What: "shim install", Err: fmt.Errorf("-dir %s: not a directory", dir),
			Hints: []string{"name a directory for the go link, e.g. -dir ~/.local/share/gox/bin"}})
	}
	link := filepath.Join(dir, goExe())
	switch shimLinkState(link, self) {
	case linkSelf:
		fmt.Fprintf(s.Stdout, "gox: %s already leads to %s\n", link, self)
		s.printPathAdvice(dir, self)
		return 0
	case linkForeign:
		return s.Fail(&base.Error{What: "shim install", Err: fmt.Errorf("%s exists and is not a gox link; leaving it alone", link),
			Hints: []string{"remove it yourself if it is yours to remove, or choose another directory with -dir"}})
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return s.Fail(&base.Error{What: "shim install", Err: err})
	}
	// Make the link under a temporary name and rename it into place, so
	// that a go command starting meanwhile sees the old link or the new.
	tmp := filepath.Join(dir, fmt.Sprintf(".go.gox-tmp-%d", os.Getpid()))
	os.Remove(tmp)
	if err := os.Symlink(self, tmp); err != nil {
		return s.Fail(&base.Error{What: "shim install", Err: err,
			Hints: []string{"on systems without symbolic links, copy the gox binary to " + link}})
	}
	if err := os.Rename(tmp, link); err != nil {
		os.Remove(tmp)
		return s.Fail(&base.Error{What: "shim install", Err: err})
	}
	fmt.Fprintf(s.Stdout, "gox: installed %s -> %s\n", link, self)
	s.printPathAdvice(dir, self)
	return 0
}

// printPathAdvice says how to put dir first on PATH, unless the go found
// first on PATH already is gox's link.
func (s *session) printPathAdvice(dir, self string) {
	if first, _ := toolchain.LookPath(s.Env, "go"); first != "" && shimLinkState(first, self) == linkSelf {
		fmt.Fprintf(s.Stdout, "gox: %s is the first go on PATH: go commands now run through gox\n", first)
		return
	}
	fmt.Fprintf(s.Stdout, "gox: put %s first on PATH to route go commands through gox, e.g. in your shell profile:\n", dir)
	fmt.Fprintf(s.Stdout, "\texport PATH=%s:\"$PATH\"\n", plan.ShellQuote(dir))
}

func (s *session) shimUninstall(dir, self string) int {
	link := filepath.Join(dir, goExe())
	switch shimLinkState(link, self) {
	case linkAbsent:
		fmt.Fprintf(s.Stdout, "gox: %s is not installed; nothing to remove\n", link)
		return 0
	case linkForeign:
		return s.Fail(&base.Error{What: "shim uninstall", Err: fmt.Errorf("%s is not a gox link; leaving it alone", link)})
	}
	if err := os.Remove(link); err != nil {
		return s.Fail(&base.Error{What: "shim uninstall", Err: err})
	}
	fmt.Fprintf(s.Stdout, "gox: removed %s\n", link)
	return 0
}

func (s *session) shimStatus(dir, self string) int {
	link := filepath.Join(dir, goExe())
	w := s.Stdout
	fmt.Fprintf(w, "gox:          %s (%s)\n", self, base.Version())
	switch shimLinkState(link, self) {
	case linkAbsent:
		fmt.Fprintf(w, "shim:         %s (not installed)\n", link)
	case linkSelf:
		fmt.Fprintf(w, "shim:         %s -> %s\n", link, self)
	case linkGox:
		target, _ := os.Readlink(link)
		fmt.Fprintf(w, "shim:         %s -> %s (another gox)\n", link, target)
	default:
		fmt.Fprintf(w, "shim:         %s (exists, not a gox link)\n", link)
	}
	first, _ := toolchain.LookPath(s.Env, "go")
	switch {
	case first == "":
		fmt.Fprintf(w, "first on PATH: no go on PATH\n")
	case shimLinkState(first, self) == linkSelf:
		fmt.Fprintf(w, "first on PATH: %s (gox: go commands run through gox)\n", first)
	default:
		fmt.Fprintf(w, "first on PATH: %s (not this gox: go commands bypass it)\n", first)
	}
	g, err := s.RealGo()
	if err != nil {
		fmt.Fprintf(w, "real go:      none\n")
		return s.Fail(err)
	}
	ver := "unknown version"
	if info, err := buildinfo.ReadFile(g.Path); err == nil {
		ver = info.GoVersion
	}
	how := map[string]string{"GOX_GO": "from GOX_GO", "PATH": "first go on PATH after gox", "fallback": "not on PATH; standard location"}[g.Via]
	fmt.Fprintf(w, "real go:      %s (%s, %s)\n", g.Path, ver, how)
	return 0
}

func goExe() string {
	if runtime.GOOS == "windows" {
		return "go.exe"
	}
	return "go"
}

// session is the run's planner, which this command asks for what a go
// command for a target would get.
type session struct{ *plan.Planner }
