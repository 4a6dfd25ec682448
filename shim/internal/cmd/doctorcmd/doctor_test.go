package doctorcmd

import (
	"strings"
	"testing"

	"github.com/gox-build/gox/toolchain"
)

func TestPkgConfigCheck(t *testing.T) {
	const tr = "aarch64-linux-gnu"
	on := func(names ...string) func(string) (string, bool) {
		return func(name string) (string, bool) {
			for _, n := range names {
				if n == name {
					return "/usr/bin/" + name, true
				}
			}
			return "", false
		}
	}
	for _, c := range []struct {
		name   string
		env    toolchain.Env
		path   []string
		status rowStatus
		detail string // a substring
		fix    string
	}{
		{"target's own", nil, []string{tr + "-pkg-config", "pkg-config"}, "ok", "/usr/bin/" + tr + "-pkg-config", ""},
		{"host one, limited", nil, []string{"pkg-config"}, "ok", "/usr/bin/pkg-config limited to the target's .pc files", ""},
		{"none", nil, nil, "missing", "no pkg-config", "apt-get install pkg-config"},
		{"yours", toolchain.Env{"PKG_CONFIG_PATH=/opt/pc"}, []string{"pkg-config"}, "ok", "set by you: PKG_CONFIG_PATH=/opt/pc", ""},
		{"yours wins over the target's", toolchain.Env{"PKG_CONFIG=my-pc"}, []string{tr + "-pkg-config", "my-pc"}, "ok", "set by you: PKG_CONFIG=my-pc", ""},
		{"yours, not on PATH", toolchain.Env{"PKG_CONFIG=my-pc"}, []string{"pkg-config"}, "missing", "my-pc is not on PATH", ""},
		{"sysroot dir of yours", toolchain.Env{"PKG_CONFIG_SYSROOT_DIR=/sr", "PKG_CONFIG_LIBDIR=/sr/lib"}, []string{"pkg-config"}, "ok", "PKG_CONFIG_LIBDIR=/sr/lib PKG_CONFIG_SYSROOT_DIR=/sr", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := pkgConfigCheck(tr, toolchain.GoSettings{Env: c.env}, on(c.path...))
			if got.Status != c.status || !strings.Contains(got.Detail, c.detail) || got.Fix != c.fix || got.Required {
				t.Errorf("got %+v, want status %s, detail with %q, fix %q, not required", got, c.status, c.detail, c.fix)
			}
		})
	}
}
