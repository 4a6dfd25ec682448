// Package cacheprog is gox's GOCACHEPROG layer. Teams share build caches
// through GOCACHEPROG programs, which key objects by the go command's
// action IDs; those cover the C compiler's version but not the sysroot's
// headers and libraries (golang/go#24355), so one shared cache hands
// machines with different sysroots each other's cgo objects. For a cross
// build whose user set GOCACHEPROG, gox puts itself in front of that
// program:
//
//	GOCACHEPROG='gox __cacheprog KEY -- PROG ARGS...'
//
// Run starts PROG, answers the go command with PROG's capabilities (those
// it understands), and forwards every request with its action ID derived
// from KEY, the same identity as gox's per-target cache directory (target,
// Go version, C compiler and version, sysroot). Output IDs, bodies and
// responses pass unchanged; bodies are streamed, never held whole. It uses
// nothing else of gox.
package cacheprog

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"sync"
	"time"
)

// Command is gox's first argument when it runs as the layer.
const Command = "__cacheprog"

// layeredCommand reports the protocol commands the layer understands (see
// cmd/go/internal/cacheprog): others the program offers are not announced
// to the go command, since their keys would pass underived.
func layeredCommand(c string) bool { return c == "get" || c == "put" || c == "close" }

// cacheProgRequest is a request's JSON header (the body follows on its own
// line when BodySize > 0).
type cacheProgRequest struct {
	ID       int64
	Command  string
	ActionID []byte `json:",omitempty"`
	OutputID []byte `json:",omitempty"`
	BodySize int64  `json:",omitempty"`
}

// deriveActionID is the action ID the program sees: a SHA-256 of the
// identity key and the go command's ID, as long as the go command's.
func deriveActionID(key []byte, id []byte) []byte {
	h := sha256.New()
	h.Write([]byte("gox-cacheprog-v1\x00"))
	h.Write(key)
	h.Write([]byte{0})
	h.Write(id)
	sum := h.Sum(nil)
	if len(id) > 0 && len(id) < len(sum) {
		return sum[:len(id)]
	}
	return sum
}

// session is one run of the layer: its environment and standard files.
type session struct {
	env    []string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// Run is gox as the layer: args are KEY -- PROG ARGS... It returns the
// exit code: 2 for arguments it cannot read, 1 when the program could not
// be started or ended before the go command was done with it.
func Run(args, env []string, stdin io.Reader, stdout, stderr io.Writer) int {
	s := &session{env: env, stdin: stdin, stdout: stdout, stderr: stderr}
	return s.run(args)
}

func (s *session) run(args []string) int {
	if len(args) < 3 || args[1] != "--" {
		fmt.Fprintln(s.stderr, "gox: usage: gox __cacheprog KEY -- PROG [ARGS...]")
		return 2
	}
	key, err := hex.DecodeString(args[0])
	if err != nil || len(key) == 0 {
		fmt.Fprintf(s.stderr, "gox: __cacheprog: bad key %q\n", args[0])
		return 2
	}
	prog := args[2:]
	cmd := exec.Command(prog[0], prog[1:]...)
	cmd.Env = s.env
	cmd.Stderr = s.stderr
	childIn, err := cmd.StdinPipe()
	if err != nil {
		fmt.Fprintf(s.stderr, "gox: GOCACHEPROG %s: %v\n", prog[0], err)
		return 1
	}
	childOut, err := cmd.StdoutPipe()
	if err != nil {
		fmt.Fprintf(s.stderr, "gox: GOCACHEPROG %s: %v\n", prog[0], err)
		return 1
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(s.stderr, "gox: GOCACHEPROG %s: %v\n", prog[0], err)
		return 1
	}
	var (
		mu       sync.Mutex
		closing  bool // the go command asked to close: the program may end
		early    bool // the program ended before that
		exited   = make(chan struct{})
		copyDone = make(chan error, 1)
	)
	out := s.stdout
	go func() { copyDone <- relayResponses(out, childOut) }()
	waited := make(chan struct{})
	go func() {
		err := <-copyDone
		// The program's answers ended. It is waited for (it may be
		// exiting), but never for long: one that closed its output and
		// lives on answers nothing more, so the go command must not wait.
		go func() { _ = cmd.Wait(); close(waited) }()
		mu.Lock()
		c := closing
		mu.Unlock()
		ended := true
		select {
		case <-waited:
		case <-time.After(time.Second):
			ended = false
		}
		if !c {
			// The program ended before the go command was done with it:
			// the go command reports that in its own words; gox says what
			// ended.
			var why string
			if ended {
				why = "ended before the build did (" + cmd.ProcessState.String()
			} else {
				why = "closed its output before the build was done, and still runs (gox ends it"
			}
			if err != nil {
				why += ": " + err.Error()
			}
			fmt.Fprintf(s.stderr, "gox: GOCACHEPROG %s %s)\n", prog[0], why)
			mu.Lock()
			early = true
			mu.Unlock()
			// The go command waits for answers on gox's stdout: closing it
			// ends the wait, never a hang.
			if c, ok := out.(io.Closer); ok {
				c.Close()
			}
		}
		if !ended {
			if !c {
				// it answers nothing more: no reason to let it run
				_ = cmd.Process.Kill()
			}
			select {
			case <-waited:
			case <-time.After(10 * time.Second):
				_ = cmd.Process.Kill()
				<-waited
			}
		}
		close(exited)
	}()
	in := bufio.NewReaderSize(s.stdin, 64<<10)
	w := bufio.NewWriterSize(childIn, 64<<10)
	fail := func() int {
		childIn.Close()
		<-exited
		return 1
	}
	for {
		line, err := readLine(in, 1<<20)
		if err != nil {
			break // the go command is gone (or done): let the program end
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var req cacheProgRequest
		if err := json.Unmarshal(line, &req); err != nil {
			fmt.Fprintf(s.stderr, "gox: GOCACHEPROG layer: bad request from the go command: %v\n", err)
			return fail()
		}
		if req.ActionID != nil {
			req.ActionID = deriveActionID(key, req.ActionID)
		}
		if req.Command == "close" {
			mu.Lock()
			closing = true
			mu.Unlock()
		}
		hdr, _ := json.Marshal(req)
		if _, err := w.Write(append(hdr, '\n')); err != nil {
			return fail()
		}
		if req.Command == "put" && req.BodySize > 0 {
			if err := copyLine(w, in); err != nil {
				return fail()
			}
		}
		// The go command pipelines its requests: flush when no whole
		// request of its is waiting, not after each one. (It ends each
		// request with a blank line, which is read here, so that the
		// check sees what follows.)
		if !requestWaiting(in) {
			if err := w.Flush(); err != nil {
				return fail()
			}
		}
	}
	childIn.Close()
	select {
	case <-exited:
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		<-exited
	}
	mu.Lock()
	defer mu.Unlock()
	if early {
		return 1
	}
	return 0
}

// requestWaiting reports whether r holds a whole next line already,
// after consuming the blank lines before it; reading on then cannot block.
func requestWaiting(r *bufio.Reader) bool {
	for r.Buffered() > 0 {
		b, _ := r.Peek(1)
		if b[0] != '\n' && b[0] != '\r' && b[0] != ' ' && b[0] != '\t' {
			break
		}
		r.ReadByte()
	}
	n := r.Buffered()
	if n == 0 {
		return false
	}
	b, _ := r.Peek(n)
	return bytes.IndexByte(b, '\n') >= 0
}

// relayResponses copies the program's responses to the go command: the
// first, its capabilities, with only the commands the layer understands;
// the rest byte for byte.
func relayResponses(w io.Writer, r io.Reader) error {
	br := bufio.NewReaderSize(r, 64<<10)
	// The capabilities are one JSON value of any length (the go command
	// reads them with a json.Decoder); what the decoder read past it is
	// the start of the answers.
	dec := json.NewDecoder(br)
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return err
	}
	rest := io.MultiReader(dec.Buffered(), br)
	first := []byte(raw)
	var hello map[string]json.RawMessage
	if json.Unmarshal(first, &hello) == nil {
		var cmds []string
		if raw, ok := hello["KnownCommands"]; ok && json.Unmarshal(raw, &cmds) == nil {
			kept := []string{}
			for _, c := range cmds {
				if layeredCommand(c) {
					kept = append(kept, c)
				}
			}
			hello["KnownCommands"], _ = json.Marshal(kept)
			if b, err := json.Marshal(hello); err == nil {
				first = b
			}
		}
	}
	if _, err := w.Write(append(bytes.TrimRight(first, "\n"), '\n')); err != nil {
		return err
	}
	// (the newline after the capabilities was written above)
	rb := bufio.NewReader(rest)
	if b, err := rb.Peek(1); err == nil && b[0] == '\n' {
		rb.ReadByte()
	}
	_, err := io.Copy(w, rb)
	return err
}

// readLine reads one line (without its newline) of at most max bytes.
func readLine(r *bufio.Reader, max int) ([]byte, error) {
	var line []byte
	for {
		chunk, err := r.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > max {
			return nil, errors.New("line too long")
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil {
			if err == io.EOF && len(line) > 0 {
				return line, nil
			}
			return nil, err
		}
		return line[:len(line)-1], nil
	}
}

// copyLine streams the next JSON value's line, newline included, from r
// to w in buffer-sized pieces: a body may be hundreds of megabytes. Blank
// lines before it (the go command writes one after each header) pass too.
func copyLine(w io.Writer, r *bufio.Reader) error {
	for {
		b, err := r.Peek(1)
		if err != nil {
			return err
		}
		if b[0] != '\n' && b[0] != '\r' && b[0] != ' ' && b[0] != '\t' {
			break
		}
		c, _ := r.ReadByte()
		if _, err := w.Write([]byte{c}); err != nil {
			return err
		}
	}
	for {
		chunk, err := r.ReadSlice('\n')
		if _, werr := w.Write(chunk); werr != nil {
			return werr
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		return err
	}
}
