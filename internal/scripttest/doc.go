// Package scripttest is the harness of gox's own integration suite (the
// scripts in testscript/testdata, run by the testscript package's tests
// with github.com/rogpeppe/go-internal/testscript). Other projects use the
// public github.com/gox-build/gox/testscript package instead.
//
// Scripts are named <area>_<behaviour>.txtar. Each runs with:
//
//   - "go" on PATH as gox's shim ($SHIMGO, a link to a gox built from this
//     checkout), so plain "exec go ..." goes through gox as a user's would;
//   - $REALGO, the real go, for comparisons, $GOX, the gox binary, and
//     $PLAINPATH, a PATH with both but no go shim, $REALGOBIN, the real
//     go's directory, and $HELPERBIN, the helper commands' directory;
//   - HOME in $WORK, so gox's own state (probes, Wine prefix, per-target
//     caches) starts empty in every script;
//   - GOCACHE and GOMODCACHE in the suite's cache directory, shared by all
//     scripts and kept between runs: $GOX_TEST_CACHE, else gox-test in the
//     user's cache directory, never the user's own GOCACHE. Before the
//     scripts start, the standard packages they need are compiled there
//     once per target, in parallel (WarmCache). Scripts about caching set
//     their own;
//   - the helper commands parity, status, pgint, objinfo, jsonl and limit
//     (see Commands), and the conditions of Condition.
//
// Every run of an emulator in a script has a time limit: go test through
// gox's runner (the test's -timeout and GOX_DEADLINE_GRACE), anything else
// through limit. -short skips the scripts that compile for many targets or
// prepare Wine, and keeps a cgo cross build run under qemu (run_qemu,
// cross_cgo's arm64 part). The host/ scripts, which change binfmt_misc
// registrations, run one at a time after the others; then, where none is
// there and root may make one, run_qemu and gox_doctor run again under a
// registration like a distribution's qemu-user-static, so both routes to
// running foreign binaries are tested.
package scripttest
