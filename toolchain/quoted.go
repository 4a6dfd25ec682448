package toolchain

import (
	"fmt"
	"strings"
)

// SplitQuoted splits a command line the way the go command splits CC, CXX
// and -exec (cmd/internal/quoted.Split): on white space, with an element
// in single or double quotes kept whole; no escapes. A compiler at a path
// with spaces, or a quoted flag, then means to gox what it means to go.
func SplitQuoted(s string) ([]string, error) {
	var f []string
	for len(s) > 0 {
		for len(s) > 0 && isSpaceByte(s[0]) {
			s = s[1:]
		}
		if len(s) == 0 {
			break
		}
		if s[0] == '"' || s[0] == '\'' {
			quote := s[0]
			s = s[1:]
			i := strings.IndexByte(s, quote)
			if i < 0 {
				return nil, fmt.Errorf("unterminated %c string", quote)
			}
			f = append(f, s[:i])
			s = s[i+1:]
			continue
		}
		i := 0
		for i < len(s) && !isSpaceByte(s[i]) {
			i++
		}
		f = append(f, s[:i])
		s = s[i:]
	}
	return f, nil
}

// JoinQuoted is SplitQuoted's inverse (cmd/internal/quoted.Join): words
// with white space or a quote are quoted with the quote they lack.
func JoinQuoted(args []string) string {
	var b strings.Builder
	for i, a := range args {
		if i > 0 {
			b.WriteByte(' ')
		}
		switch {
		case a != "" && !strings.ContainsAny(a, " \t\n\r'\""):
			b.WriteString(a)
		case !strings.ContainsRune(a, '\''):
			b.WriteString("'" + a + "'")
		default:
			b.WriteString(`"` + a + `"`)
		}
	}
	return b.String()
}

func isSpaceByte(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r'
}

// SplitCommand is SplitQuoted for a setting that names a program; a value
// that does not split (an unterminated quote) is taken as one word, which
// the probe then reports as not found.
func SplitCommand(s string) []string {
	f, err := SplitQuoted(s)
	if err != nil {
		return []string{s}
	}
	return f
}

func FirstLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, " / ")
}
