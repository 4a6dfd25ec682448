package bench

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// matrixTargets are the five targets of the matrix benchmark: the seeds'
// usual release set, cgo where a C compiler exists.
var matrixTargets = []string{"linux/amd64", "linux/arm64", "linux/arm/v7", "windows/amd64", "darwin/arm64"}

// matrixProgram is a mid-size program: net/http, encoding/json and
// crypto/tls pull in a few hundred standard packages per target.
const matrixProgram = `package main

import (
	"encoding/json"
	"flag"
	"log"
	"net/http"
	"os"
)

func main() {
	addr := flag.String("addr", ":8080", "listen address")
	flag.Parse()
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]string{"host": r.Host, "pid": os.Getenv("PID")})
	})
	log.Fatal(http.ListenAndServe(*addr, nil))
}
`

// runMatrixBench times a 5-target build of a mid-size program, cold
// (fresh caches) and warm, through gox build -target with each -parallel,
// against a sequential shell-style loop of go build with exactly the
// environments gox sets (read from gox -n, with a fresh GOCACHE per target
// for the cold runs as gox gets).
func runMatrixBench(w *work, stdout io.Writer, parallels []int) error {
	goxBin := filepath.Join(filepath.Dir(filepath.Dir(w.gox)), "bin", "gox")
	mod := filepath.Join(w.dir, "server")
	os.MkdirAll(mod, 0o755)
	os.WriteFile(filepath.Join(mod, "go.mod"), []byte("module example.com/server\n\ngo 1.26\n"), 0o644)
	os.WriteFile(filepath.Join(mod, "main.go"), []byte(matrixProgram), 0o644)

	envFor := func(target, goxCache string) ([]string, error) {
		cmd := exec.Command(goxBin, "-n", "build", "-target", target, "-o", os.DevNull, ".")
		cmd.Dir = mod
		cmd.Env = append(append([]string(nil), w.env...), "GOX_CACHE="+goxCache, "GOCACHE=")
		out, err := cmd.CombinedOutput()
		if err != nil {
			return nil, fmt.Errorf("gox -n build -target %s: %v\n%s", target, err, out)
		}
		env := append(append([]string(nil), w.env...), "GOCACHE=")
		for _, line := range strings.Split(string(out), "\n") {
			if kv, ok := strings.CutPrefix(line, "export "); ok {
				name, value, _ := strings.Cut(kv, "=")
				value = unquote(value)
				if strings.HasSuffix(value, `:"$PATH"`) {
					value = strings.TrimSuffix(value, `:"$PATH"`) + ":" + os.Getenv("PATH")
				}
				env = append(env, name+"="+value)
			}
		}
		return env, nil
	}
	sequential := func(goxCache string) (time.Duration, error) {
		start := time.Now()
		for _, t := range matrixTargets {
			env, err := envFor(t, goxCache)
			if err != nil {
				return 0, err
			}
			cmd := exec.Command(w.realGo, "build", "-o", filepath.Join(w.dir, "seq", strings.ReplaceAll(t, "/", "_")), ".")
			cmd.Dir, cmd.Env = mod, env
			if out, err := cmd.CombinedOutput(); err != nil {
				return 0, fmt.Errorf("go build for %s: %v\n%s", t, err, out)
			}
		}
		return time.Since(start), nil
	}
	matrix := func(goxCache string, par int) (time.Duration, error) {
		start := time.Now()
		cmd := exec.Command(goxBin, "build", "-target", strings.Join(matrixTargets, ","), "-parallel", strconv.Itoa(par), "-o", filepath.Join(w.dir, "mx", "{{.Target}}"), ".")
		cmd.Dir = mod
		cmd.Env = append(append([]string(nil), w.env...), "GOX_CACHE="+goxCache, "GOCACHE=")
		if out, err := cmd.CombinedOutput(); err != nil {
			return 0, fmt.Errorf("gox build -target …: %v\n%s", err, out)
		}
		return time.Since(start), nil
	}
	fresh := func(name string) string {
		d := filepath.Join(w.dir, "caches", name)
		os.RemoveAll(d)
		return d
	}
	fmt.Fprintf(stdout, "\nmatrix build: %s, a net/http server\n", strings.Join(matrixTargets, " "))
	fmt.Fprintf(stdout, "%-34s %10s %10s %10s\n", "", "sequential", "gox", "gox/seq")
	// The gox -n runs the sequential loop makes (5 × ~5 ms) are counted
	// against it; they are a fraction of a percent of a cold build.
	coldSeq, err := sequential(fresh("seq"))
	if err != nil {
		return err
	}
	warmSeq, err := sequential(filepath.Join(w.dir, "caches", "seq"))
	if err != nil {
		return err
	}
	for _, par := range parallels {
		name := "p" + strconv.Itoa(par)
		cold, err := matrix(fresh(name), par)
		if err != nil {
			return err
		}
		warm, err := matrix(filepath.Join(w.dir, "caches", name), par)
		if err != nil {
			return err
		}
		verdict := "cold gox/seq <= 0.80: met"
		if cold.Seconds()/coldSeq.Seconds() > 0.8 {
			verdict = "cold gox/seq <= 0.80: MISSED"
		}
		fmt.Fprintf(stdout, "%-34s %9.1fs %9.1fs %10.3f  %s\n", fmt.Sprintf("cold, -parallel %d", par), coldSeq.Seconds(), cold.Seconds(), cold.Seconds()/coldSeq.Seconds(), verdict)
		fmt.Fprintf(stdout, "%-34s %9.2fs %9.2fs %10.3f\n", fmt.Sprintf("warm, -parallel %d", par), warmSeq.Seconds(), warm.Seconds(), warm.Seconds()/warmSeq.Seconds())
	}
	return nil
}
