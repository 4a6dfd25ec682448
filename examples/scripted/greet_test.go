package main

import (
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	goxscript "github.com/gox-build/gox/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"greet": func() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

func TestScripts(t *testing.T) {
	testscript.Run(t, goxscript.Params(t, testscript.Params{Dir: "testdata/script"}))
}
