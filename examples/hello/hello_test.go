package hello

import (
	"runtime"
	"testing"
)

func TestPlatform(t *testing.T) {
	if got, want := Platform(), runtime.GOOS+"/"+runtime.GOARCH; got != want {
		t.Fatalf("Platform() = %q, want %q", got, want)
	}
	t.Logf("running on %s", Platform())
}
