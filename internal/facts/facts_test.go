package facts

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

func key(inputs ...string) Key { return Key{Kind: "k", Scope: "linux/arm64", Inputs: inputs} }

func TestFindRecordsSettledOnly(t *testing.T) {
	for _, c := range []struct {
		name     string
		outcomes []Outcome // what the probe answers, call by call
		calls    int       // how many times Find probes
		kept     bool
	}{
		{"settled: recorded", []Outcome{Settled}, 1, true},
		{"passing, then settled: the retry's answer is recorded", []Outcome{Passing, Settled}, 2, true},
		{"passing twice: this run only", []Outcome{Passing, Passing}, 2, false},
		{"unkept: not recorded, not retried", []Outcome{Unkept}, 1, false},
		{"passing, then unkept: not recorded", []Outcome{Passing, Unkept}, 2, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := Store{Dir: t.TempDir()}
			calls := 0
			probe := func() (int, Outcome) {
				out := c.outcomes[calls]
				calls++
				return calls, out
			}
			v, out := Find(s, key("a"), probe)
			if calls != c.calls || v != c.calls || out != c.outcomes[c.calls-1] {
				t.Fatalf("Find probed %d times, answered %d (%v)", calls, v, out)
			}
			got, ok := Lookup[int](s, key("a"))
			if ok != c.kept || ok && got != v {
				t.Errorf("recorded: %v %v, want kept %v", got, ok, c.kept)
			}
		})
	}
}

func TestFindKeyedByEveryInput(t *testing.T) {
	s := Store{Dir: t.TempDir()}
	Record(s, key("cc=gcc", "bin=/usr/bin/gcc|10|1"), "first")
	for _, k := range []Key{
		key("cc=gcc", "bin=/usr/bin/gcc|10|2"),          // the binary changed
		key("cc=gcc"),                                   // an input fewer
		key("cc=gcc", "bin=/usr/bin/gcc|10|1", "env:X"), // an input more
		key("bin=/usr/bin/gcc|10|1", "cc=gcc"),          // another order
		{Kind: "other", Scope: "linux/arm64", Inputs: []string{"cc=gcc", "bin=/usr/bin/gcc|10|1"}},
	} {
		if v, ok := Lookup[string](s, k); ok {
			t.Errorf("%v: found %q recorded under other inputs", k, v)
		}
	}
	if v, ok := Lookup[string](s, key("cc=gcc", "bin=/usr/bin/gcc|10|1")); !ok || v != "first" {
		t.Errorf("the exact key: %q %v", v, ok)
	}
}

func TestStoreModes(t *testing.T) {
	dir := t.TempDir()
	ro := Store{Dir: dir, ReadOnly: true}
	if v, _ := Find(ro, key("a"), func() (string, Outcome) { return "probed", Settled }); v != "probed" {
		t.Fatal(v)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a read-only store wrote %d entries", len(entries))
	}
	rw := Store{Dir: dir}
	Record(rw, key("a"), "old")
	refresh := Store{Dir: dir, Refresh: true}
	if v, _ := Find(refresh, key("a"), func() (string, Outcome) { return "new", Settled }); v != "new" {
		t.Errorf("refresh used the recorded answer %q", v)
	}
	if v, _ := Lookup[string](rw, key("a")); v != "new" {
		t.Errorf("refresh did not record the new answer: %q", v)
	}
}

func TestStoreClean(t *testing.T) {
	s := Store{Dir: t.TempDir()}
	Record(s, Key{Kind: "k", Scope: "linux/arm64"}, 1)
	Record(s, Key{Kind: "k", Scope: "linux/riscv64"}, 2)
	Record(s, Key{Kind: "k", Scope: Host}, 3)
	if n := s.Count(""); n != 3 {
		t.Fatalf("%d facts", n)
	}
	s.Clean("linux/arm64")
	if _, ok := Lookup[int](s, Key{Kind: "k", Scope: "linux/arm64"}); ok {
		t.Error("clean of linux/arm64 kept its fact")
	}
	if _, ok := Lookup[int](s, Key{Kind: "k", Scope: "linux/riscv64"}); !ok {
		t.Error("clean of linux/arm64 removed linux/riscv64's")
	}
	s.Clean("")
	if n := s.Count(""); n != 0 {
		t.Errorf("clean of all kept %d", n)
	}
}

func TestDamagedRecordIsAMiss(t *testing.T) {
	s := Store{Dir: t.TempDir()}
	k := key("a")
	Record(s, k, 1)
	os.WriteFile(s.file(k), []byte("{not json"), 0o644)
	if _, ok := Lookup[int](s, k); ok {
		t.Error("a damaged record was used")
	}
	if filepath.Dir(s.file(k)) != filepath.Join(s.Dir, "linux_arm64") {
		t.Errorf("record outside its scope's directory: %s", s.file(k))
	}
}

func TestOutcomeOf(t *testing.T) {
	if OutcomeOf(nil, nil) != Settled {
		t.Error("no error")
	}
	if OutcomeOf(nil, errors.New("exit status 1")) != Settled {
		t.Error("a plain failure")
	}
	if OutcomeOf(nil, &os.PathError{Op: "fork/exec", Path: "x", Err: syscall.EAGAIN}) != Passing {
		t.Error("EAGAIN")
	}
	if OutcomeOf(nil, &os.SyscallError{Syscall: "clone", Err: syscall.ENOMEM}) != Passing {
		t.Error("ENOMEM")
	}
	if OutcomeOf(nil, &os.PathError{Op: "fork/exec", Path: "x", Err: syscall.ENOEXEC}) != Settled {
		t.Error("ENOEXEC is an answer")
	}
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	if err := exec.Command(sh, "-c", "exit 3").Run(); OutcomeOf(nil, err) != Settled {
		t.Errorf("exit 3: %v", OutcomeOf(nil, err))
	}
	if err := exec.Command(sh, "-c", "kill -KILL $$").Run(); OutcomeOf(nil, err) != Passing {
		t.Errorf("killed by a signal: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := exec.CommandContext(ctx, sh, "-c", "sleep 5").Run(); OutcomeOf(ctx, err) != Passing {
		t.Errorf("deadline: %v", err)
	}
}
