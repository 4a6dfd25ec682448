module github.com/gox-build/gox

go 1.26.0

require (
	github.com/pelletier/go-toml/v2 v2.4.3
	github.com/rogpeppe/go-internal v1.16.0
	github.com/tetratelabs/wazero v1.12.0
	golang.org/x/sys v0.48.0
)

require golang.org/x/tools v0.51.0 // indirect
