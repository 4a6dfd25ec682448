package testscript

import (
	"runtime"
	"testing"
)

// TestConditions pins the conditions that need no gox binary to answer:
// [emulated] against the host gox reports, [target:T] against the test
// binary's own platform, unknown names left to the project's Condition.
func TestConditions(t *testing.T) {
	self := runtime.GOOS + "/" + runtime.GOARCH
	other := "linux/riscv64"
	if self == other {
		other = "linux/arm64"
	}
	for _, c := range []struct {
		host, cond  string
		ok, known   bool
		wantsErrors bool
	}{
		{host: self, cond: "emulated", ok: false, known: true},
		{host: other, cond: "emulated", ok: true, known: true},
		{host: self, cond: "target:" + self, ok: true, known: true},
		{host: other, cond: "target:" + self, ok: true, known: true},
		{host: self, cond: "target:plan9/386", ok: false, known: true},
		{host: self, cond: "target:linux/nope", known: true, wantsErrors: true},
		{host: self, cond: "net", known: false},
	} {
		cs := &conditions{host: c.host, answers: map[string]bool{}}
		ok, known, err := cs.answer(c.cond)
		if ok != c.ok || known != c.known || (err != nil) != c.wantsErrors {
			t.Errorf("host %s, [%s]: %v %v %v; want %v %v error %v", c.host, c.cond, ok, known, err, c.ok, c.known, c.wantsErrors)
		}
	}
}
