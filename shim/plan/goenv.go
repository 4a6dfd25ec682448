package plan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os/exec"
	"strings"

	"github.com/gox-build/gox/shim/internal/base"
)

// GoEnv asks the real go for vars in the plan's environment. Names
// the go command does not know (PKG_CONFIG_LIBDIR) come from the
// environment itself.
func GoEnv(p Plan, vars []string) (map[string]string, error) {
	var goVars []string
	values := map[string]string{}
	for _, v := range vars {
		if v == "PKG_CONFIG_LIBDIR" || strings.HasPrefix(v, "GOX_") {
			values[v] = p.Env.Get(v)
			continue
		}
		goVars = append(goVars, v)
	}
	if len(goVars) == 0 {
		return values, nil
	}
	cmd := exec.Command(p.Go.Path, append([]string{"env", "-json"}, goVars...)...)
	cmd.Env = p.Env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, &base.Error{What: "go env", Err: fmt.Errorf("%v: %s", err, strings.TrimSpace(stderr.String()))}
	}
	var m map[string]string
	if err := json.Unmarshal(out, &m); err != nil {
		return nil, err
	}
	for k, v := range m {
		values[k] = v
	}
	return values, nil
}
