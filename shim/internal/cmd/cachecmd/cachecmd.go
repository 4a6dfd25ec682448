// Package cachecmd is gox cache: show and clean the build caches gox keeps per target.
// Its usage and help live with the code (Command); the front door runs
// it with the session.
package cachecmd

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/gox-build/gox/cache"
	"github.com/gox-build/gox/shim/cmdline"
	"github.com/gox-build/gox/shim/internal/base"
	"github.com/gox-build/gox/shim/plan"
	"github.com/gox-build/gox/toolchain"
)

type cacheFlags struct {
	json    bool
	target  string
	all     bool
	older   string
	maxSize string
}

// Command is gox cache.
func Command() *base.Command {
	return base.NewCommand(base.Command{
		Name:      "cache",
		UsageLine: "cache [list [-json] | dir [-target T] | clean [-target T | -all] | trim [-older 30d] [-max-size 10GB]]",
		Short:     "show and clean the build caches gox keeps per target",
		Long: `
For a cross build gox sets GOCACHE to a directory of its own per target,
named after the target and keyed by the Go version, the C compiler and its
version, and a fingerprint of the sysroot's headers and libraries. The go
command's cache key does not cover the sysroot (go help cache,
golang/go#24355), so after a cross libc or library upgrade it would reuse
stale cgo objects; a new fingerprint selects a fresh cache instead.
Native builds keep your GOCACHE untouched.

The caches live under $GOX_CACHE/gocache, else under gox's directory in
the user cache directory (~/.cache/gox/gocache). A GOCACHE you set (in the
environment or with go env -w) is used as it is for every target, and
GOCACHEPROG is left to do the caching; gox -n build says which applies.
GOMODCACHE is shared: modules are not target-specific.

	gox cache [list] [-json]   one row per cache: target, toolchain, size, last used
	gox cache dir [-target T]  the directory a build for T uses (for CI cache keys)
	gox cache clean -target T  remove T's caches and the verdicts gox
	                           probed for T (compilers, loader prefix, …)
	gox cache clean -all       remove every cache and verdict gox made
	gox cache trim [-older 30d] [-max-size 10GB]
	                           remove caches unused for longer than -older
	                           (default 30d), then the least recently used
	                           until the rest fit in -max-size

gox removes only directories holding its gox-cache.json, renaming each out
of the way before deleting it, so a build running meanwhile starts a fresh
cache rather than reading a half-deleted one.
`,
	}, declareCacheFlags, runCache)
}

// declareCacheFlags declares gox cache's flags on fs, with f's values as
// the defaults: runCache declares them again after the subcommand.
func declareCacheFlags(fs *flag.FlagSet, f *cacheFlags) {
	fs.BoolVar(&f.json, "json", f.json, "print JSON (list)")
	fs.StringVar(&f.target, "target", f.target, "the target (dir, clean)")
	fs.BoolVar(&f.all, "all", f.all, "every target (clean)")
	fs.StringVar(&f.older, "older", f.older, "age limit (trim), e.g. 30d, 12h")
	fs.StringVar(&f.maxSize, "max-size", f.maxSize, "size limit (trim), e.g. 10GB")
}

func runCache(b *base.Session, f *cacheFlags, args []string) int {
	s := &session{&plan.Planner{Session: b}}
	c := Command()
	sub := "list"
	if len(args) > 0 {
		sub, args = args[0], args[1:]
	}
	// Flags may also follow the subcommand: gox cache clean -target T.
	fs := flag.NewFlagSet("gox cache "+sub, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	declareCacheFlags(fs, f)
	if err := fs.Parse(args); err != nil {
		return c.Usage(s.Session, "%v", err)
	}
	if fs.NArg() > 0 {
		return c.Usage(s.Session, "unexpected arguments: %q", fs.Args())
	}
	stateDir, err := toolchain.StateDir(s.Env)
	if err != nil {
		return s.Fail(err)
	}
	root := cache.Root(stateDir)
	switch sub {
	case "list":
		entries, err := cache.List(root, true)
		if err != nil {
			return s.Fail(err)
		}
		if f.json {
			if entries == nil {
				entries = []cache.Entry{}
			}
			enc := json.NewEncoder(s.Stdout)
			enc.SetIndent("", "\t")
			if err := enc.Encode(entries); err != nil {
				return s.Fail(err)
			}
			return 0
		}
		if len(entries) == 0 {
			fmt.Fprintf(s.Stdout, "gox: no target caches under %s yet\n", root)
			return 0
		}
		tw := tabwriter.NewWriter(s.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "TARGET\tGO\tC COMPILER\tSIZE\tLAST USED\tDIR")
		for _, e := range entries {
			target := e.Target
			if e.Damaged != "" {
				target += " (DAMAGED: " + e.Damaged + ")"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", target, base.OrDefault(e.Go, "-"), base.OrDefault(e.CC, "-"), base.HumanSize(e.Size), e.LastUsed.Local().Format("2006-01-02 15:04"), e.Dir)
		}
		tw.Flush()
		return 0
	case "dir":
		g, err := s.RealGo()
		if err != nil {
			return s.Fail(err)
		}
		p, err := s.Plan(g, cmdline.Line{Sub: "list", Target: f.target})
		if err != nil {
			return s.Fail(err)
		}
		for _, ch := range p.Changes {
			if ch.Name == "GOCACHE" {
				fmt.Fprintln(s.Stdout, ch.Value)
				return 0
			}
		}
		// Native, or a GOCACHE of the user's: the go command's own.
		values, err := plan.GoEnv(p, []string{"GOCACHE"})
		if err != nil {
			return s.Fail(err)
		}
		fmt.Fprintln(s.Stdout, values["GOCACHE"])
		return 0
	case "clean":
		if f.all == (f.target != "") {
			return c.Usage(s.Session, "clean takes -target T or -all")
		}
		var want, scope string
		if f.target != "" {
			t, err := toolchain.ParseTarget(f.target, plan.ThisHost().GOOS)
			if err != nil {
				return s.Fail(base.UsageError{Err: err})
			}
			want, scope = t.String(), t.Port()
		}
		entries, err := cache.List(root, false)
		if err != nil {
			return s.Fail(err)
		}
		n := 0
		for _, e := range entries {
			if f.all || e.Target == want || e.Damaged != "" && e.Target == cache.Slug(want) {
				if err := cache.Remove(e); err != nil {
					return s.Fail(&base.Error{What: "cache clean", Err: err})
				}
				n++
			}
		}
		// The verdicts gox probed for the target (all of them with -all)
		// go too: a wrong one must not outlive the cache it misled.
		store := toolchain.State{Dir: stateDir}.Facts()
		nf := store.Count(scope)
		if err := store.Clean(scope); err != nil {
			return s.Fail(&base.Error{What: "cache clean", Err: err})
		}
		if f.all {
			for _, old := range legacyFactDirs {
				os.RemoveAll(filepath.Join(stateDir, old))
			}
		}
		fmt.Fprintf(s.Stdout, "gox: removed %d cache director%s and %d recorded fact%s\n", n, plural(n, "y", "ies"), nf, plural(nf, "", "s"))
		return 0
	case "trim":
		older := 30 * 24 * time.Hour
		if f.older != "" {
			d, err := parseAge(f.older)
			if err != nil {
				return c.Usage(s.Session, "-older %s: %v", f.older, err)
			}
			older = d
		}
		var max int64
		if f.maxSize != "" {
			n, err := parseSize(f.maxSize)
			if err != nil {
				return c.Usage(s.Session, "-max-size %s: %v", f.maxSize, err)
			}
			max = n
		}
		entries, err := cache.List(root, max > 0)
		if err != nil {
			return s.Fail(err)
		}
		drop := cache.TrimPlan(entries, time.Now(), older, max)
		for _, e := range drop {
			if err := cache.Remove(e); err != nil {
				return s.Fail(&base.Error{What: "cache trim", Err: err})
			}
			fmt.Fprintf(s.Stdout, "gox: removed %s (%s, last used %s)\n", e.Dir, e.Target, e.LastUsed.Local().Format("2006-01-02 15:04"))
		}
		fmt.Fprintf(s.Stdout, "gox: kept %d, removed %d\n", len(entries)-len(drop), len(drop))
		return 0
	}
	return c.Usage(s.Session, "unknown subcommand %q", sub)
}

// legacyFactDirs are where gox kept probe verdicts before the fact store:
// clean -all removes them.
var legacyFactDirs = []string{"go", "probe", "prefix", "native", "namespace", "sysroot"}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// parseAge reads 30d, 12h, 90m (days are 24h).
func parseAge(s string) (time.Duration, error) {
	if v, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.ParseFloat(v, 64)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("want a duration such as 30d or 12h")
		}
		return time.Duration(n * 24 * float64(time.Hour)), nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("want a duration such as 30d or 12h")
	}
	return d, nil
}

// parseSize reads 10GB, 500MB, 1.5G, 1024 (bytes); units are powers of
// 1000, with KiB/MiB/GiB for powers of 1024.
func parseSize(s string) (int64, error) {
	units := []struct {
		suffix string
		mult   float64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40},
		{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12}, {"K", 1e3}, {"M", 1e6}, {"G", 1e9}, {"T", 1e12}, {"B", 1}}
	mult := 1.0
	num := s
	for _, u := range units {
		if v, ok := strings.CutSuffix(strings.ToUpper(s), strings.ToUpper(u.suffix)); ok {
			num, mult = v, u.mult
			break
		}
	}
	n, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("want a size such as 10GB or 500MB")
	}
	return int64(n * mult), nil
}

// session is the run's planner, which this command asks for what a go
// command for a target would get.
type session struct{ *plan.Planner }
