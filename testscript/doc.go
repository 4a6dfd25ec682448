// Package testscript holds gox's integration suite (testdata/*.txtar, run by
// this package's tests with github.com/rogpeppe/go-internal/testscript) and
// the pieces other projects need to run gox inside their own scripts.
//
// Scripts are named <area>_<behaviour>.txtar. Each runs with:
//
//   - "go" on PATH as gox's shim ($SHIMGO, a link to a gox built from this
//     checkout), so plain "exec go ..." goes through gox as a user's would;
//   - $REALGO, the real go, for comparisons, $GOX, the gox binary, and
//     $PLAINPATH, a PATH with both but no go shim, $REALGOBIN, the real
//     go's directory, and $HELPERBIN, the helper commands' directory;
//   - HOME in $WORK and GOCACHE/GOMODCACHE in a directory of the test run,
//     never the user's;
//   - the helper commands parity, status, pgint and objinfo (see
//     Commands), and the condition [cc:TARGET] (see Condition).
package testscript
