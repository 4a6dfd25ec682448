package cacheprog

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestMain lets this test binary play the cache program the layer stands
// in front of.
func TestMain(m *testing.M) {
	if os.Getenv("GOX_TEST_ROLE") == "cacheprog" {
		os.Exit(recordingCacheProg(os.Getenv("GOX_TEST_DIR"), os.Getenv("GOX_TEST_MODE")))
	}
	os.Exit(m.Run())
}

// recordingCacheProg is a GOCACHEPROG program (run by TestMain as
// GOX_TEST_ROLE=cacheprog): a disk cache in dir that logs every action ID
// it is asked about to dir/ids. Mode "die" exits at the first request.
func recordingCacheProg(dir, mode string) int {
	enc := json.NewEncoder(os.Stdout)
	hello := map[string]any{"ID": 0, "KnownCommands": []string{"get", "put", "close", "get2"}}
	if mode == "bighello" {
		// a program may say more about itself than 1 MB
		hello["Comment"] = strings.Repeat("x", 3<<20)
	}
	enc.Encode(hello)
	if mode == "closeout" {
		// closes its output and lives on
		os.Stdout.Close()
		time.Sleep(time.Hour)
	}
	in := bufio.NewReaderSize(os.Stdin, 1<<20)
	ids, _ := os.OpenFile(filepath.Join(dir, "ids"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	defer ids.Close()
	for {
		line, err := in.ReadBytes('\n')
		if err != nil {
			return 0
		}
		if mode == "die" {
			return 3
		}
		var req cacheProgRequest
		if err := json.Unmarshal(line, &req); err != nil {
			return 2
		}
		fmt.Fprintf(ids, "%s %x\n", req.Command, req.ActionID)
		file := filepath.Join(dir, hex.EncodeToString(req.ActionID))
		switch req.Command {
		case "put":
			var body []byte
			if req.BodySize > 0 {
				bline, _ := in.ReadBytes('\n')
				for len(bytes.TrimSpace(bline)) == 0 {
					bline, _ = in.ReadBytes('\n')
				}
				var b64 string
				json.Unmarshal(bline, &b64)
				body, _ = base64.StdEncoding.DecodeString(b64)
			}
			os.WriteFile(file, body, 0o644)
			os.WriteFile(file+".out", req.OutputID, 0o644)
			enc.Encode(map[string]any{"ID": req.ID, "DiskPath": file})
		case "get":
			out, err := os.ReadFile(file + ".out")
			if err != nil {
				enc.Encode(map[string]any{"ID": req.ID, "Miss": true})
				continue
			}
			fi, _ := os.Stat(file)
			enc.Encode(map[string]any{"ID": req.ID, "OutputID": out, "Size": fi.Size(), "DiskPath": file})
		case "close":
			enc.Encode(map[string]any{"ID": req.ID})
			return 0
		}
	}
}

// layer runs gox's GOCACHEPROG layer in front of the recording program,
// feeding it requests as the go command would, and returns what the go
// command would read, and gox's stderr and exit code.
func layer(t *testing.T, dir, mode, key string, requests io.Reader, onEOF func(), onLine ...func(string)) (stdout, stderr string, code int) {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "GOX_TEST_ROLE=cacheprog", "GOX_TEST_DIR="+dir, "GOX_TEST_MODE="+mode)
	outR, outW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	// gox's stderr is the program's too (a file in real use); here one
	// buffer both write to, a Write at a time (a bytes.Buffer's ReadFrom,
	// blocked in the program's Read, would drop what gox wrote meanwhile)
	errb := &lockedBuffer{}
	done := make(chan int, 1)
	go func() { done <- Run([]string{key, "--", self}, env, requests, outW, errb) }()
	var outb bytes.Buffer
	copied := make(chan struct{})
	go func() {
		br := bufio.NewReader(outR)
		for {
			line, err := br.ReadString('\n')
			outb.WriteString(line)
			for _, f := range onLine {
				f(line)
			}
			if err != nil {
				break
			}
		}
		if onEOF != nil {
			onEOF() // as the go command gives up when its program's output ends
		}
		close(copied)
	}()
	select {
	case code = <-done:
	case <-time.After(15 * time.Second):
		t.Fatal("the layer hangs")
	}
	outW.Close()
	<-copied
	return outb.String(), errb.String(), code
}

// lockedBuffer is a buffer written to by several goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestCacheProgLayer: the go command sees the program's capabilities (the
// ones the layer understands) and its answers unchanged; the program sees
// action IDs derived from the identity key, output IDs and bodies
// unchanged; a body of 16 MB passes through without being held.
func TestCacheProgLayer(t *testing.T) {
	dir := t.TempDir()
	key := strings.Repeat("ab", 32)
	aid := bytes.Repeat([]byte{1}, 32)
	oid := bytes.Repeat([]byte{2}, 32)
	body := bytes.Repeat([]byte("gox!"), 4<<20)
	sum := sha256.Sum256(body)
	b64, _ := json.Marshal(base64.StdEncoding.EncodeToString(body))
	var reqs bytes.Buffer
	hdr, _ := json.Marshal(cacheProgRequest{ID: 1, Command: "put", ActionID: aid, OutputID: oid, BodySize: int64(len(body))})
	reqs.Write(append(hdr, '\n', '\n')) // the go command's blank line after a header
	reqs.Write(append(b64, '\n'))
	for i, c := range []string{"get", "close"} {
		h, _ := json.Marshal(cacheProgRequest{ID: int64(i + 2), Command: c, ActionID: map[bool][]byte{true: aid}[c == "get"]})
		reqs.Write(append(h, '\n', '\n'))
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	// As the go command does, stdin closes only once close is answered.
	answered := make(chan struct{})
	in := &heldOpen{r: &reqs, until: answered}
	var once sync.Once
	stdout, stderr, code := layer(t, dir, "", key, in, nil, func(line string) {
		if strings.Contains(line, `"ID":3`) {
			once.Do(func() { close(answered) })
		}
	})
	runtime.ReadMemStats(&after)
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 4 || lines[0] != `{"ID":0,"KnownCommands":["get","put","close"]}` {
		t.Fatalf("the go command read:\n%s", stdout)
	}
	var got struct {
		ID       int64
		OutputID []byte
		DiskPath string
		Size     int64
	}
	json.Unmarshal([]byte(lines[2]), &got)
	keyb, _ := hex.DecodeString(key)
	derived := deriveActionID(keyb, aid)
	if got.ID != 2 || !bytes.Equal(got.OutputID, oid) || got.Size != int64(len(body)) || filepath.Base(got.DiskPath) != hex.EncodeToString(derived) {
		t.Errorf("get answered %+v; want output ID %x, size %d, the derived key %x", got, oid, len(body), derived)
	}
	stored, _ := os.ReadFile(got.DiskPath)
	if sha256.Sum256(stored) != sum {
		t.Error("the body the program stored differs from the one put")
	}
	ids, _ := os.ReadFile(filepath.Join(dir, "ids"))
	if want := fmt.Sprintf("put %x\nget %x\nclose \n", derived, derived); string(ids) != want {
		t.Errorf("the program saw\n%s\nwant\n%s", ids, want)
	}
	// Bounded: the request stream was built before; what the layer and
	// this test's reading of the answers allocate stays far below the body.
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 2<<20 {
		t.Errorf("the layer allocated %d KB for a %d MB body", grew>>10, len(b64)>>20)
	}
	// Another identity, another key for the same action.
	other, _ := hex.DecodeString(strings.Repeat("cd", 32))
	if bytes.Equal(deriveActionID(other, aid), derived) {
		t.Error("two identities derive the same action ID")
	}
}

// heldOpen reads r, then holds the end back until until is closed.
type heldOpen struct {
	r     io.Reader
	until chan struct{}
}

func (h *heldOpen) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	if err == io.EOF {
		<-h.until
	}
	return n, err
}

// A program that ends mid-build: the go command reads EOF (never a hang),
// and gox says once what ended.
func TestCacheProgLayerProgramDies(t *testing.T) {
	h, _ := json.Marshal(cacheProgRequest{ID: 1, Command: "get", ActionID: bytes.Repeat([]byte{1}, 32)})
	pr, pw := io.Pipe()
	go pw.Write(append(h, '\n')) // then the go command waits for its answer
	stdout, stderr, code := layer(t, t.TempDir(), "die", strings.Repeat("ab", 32), pr, func() { pw.Close() })
	if code != 1 || !strings.Contains(stderr, "gox: GOCACHEPROG ") || !strings.Contains(stderr, "ended before the build did (exit status 3)") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if strings.Count(stdout, "\n") != 1 {
		t.Errorf("the go command read %q", stdout)
	}
}

// The go command sends a request and waits for its answer before it sends
// the next (each ends with a blank line): the layer must pass every request
// on at once, or the build hangs.
func TestCacheProgLayerAnswersEachRequest(t *testing.T) {
	self, _ := os.Executable()
	env := append(os.Environ(), "GOX_TEST_ROLE=cacheprog", "GOX_TEST_DIR="+t.TempDir())
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- Run([]string{strings.Repeat("ab", 32), "--", self}, env, inR, outW, io.Discard)
		outW.Close()
	}()
	answers := bufio.NewReader(outR)
	next := func() string {
		t.Helper()
		line := make(chan string, 1)
		go func() { l, _ := answers.ReadString('\n'); line <- l }()
		select {
		case l := <-line:
			return l
		case <-time.After(5 * time.Second):
			t.Fatal("no answer within 5 s: the layer holds the request back")
			return ""
		}
	}
	if hello := next(); !strings.Contains(hello, "KnownCommands") {
		t.Fatalf("first line %q", hello)
	}
	for i, c := range []string{"get", "get", "close"} {
		h, _ := json.Marshal(cacheProgRequest{ID: int64(i + 1), Command: c, ActionID: map[bool][]byte{true: bytes.Repeat([]byte{byte(i)}, 32)}[c == "get"]})
		go inW.Write(append(h, '\n', '\n'))
		if a := next(); !strings.Contains(a, fmt.Sprintf(`"ID":%d`, i+1)) {
			t.Fatalf("answer %q to request %d", a, i+1)
		}
	}
	inW.Close()
	if code := <-done; code != 0 {
		t.Errorf("exit %d", code)
	}
}

// TestCacheProgLayerOutputClosed: a program that closes its output and
// lives on answers nothing more; the go command must fail at once, as it
// does without gox, not wait forever.
func TestCacheProgLayerOutputClosed(t *testing.T) {
	h, _ := json.Marshal(cacheProgRequest{ID: 1, Command: "get", ActionID: bytes.Repeat([]byte{1}, 32)})
	pr, pw := io.Pipe()
	go pw.Write(append(h, '\n'))
	// (layer fails the test if the layer hangs)
	_, stderr, code := layer(t, t.TempDir(), "closeout", strings.Repeat("ab", 32), pr, func() { pw.Close() })
	if code != 1 || !strings.Contains(stderr, "closed its output before the build was done, and still runs") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// TestCacheProgLayerBigHello: capabilities longer than any line limit
// pass (filtered) as the go command would read them.
func TestCacheProgLayerBigHello(t *testing.T) {
	dir := t.TempDir()
	var reqs bytes.Buffer
	for i, c := range []string{"get", "close"} {
		h, _ := json.Marshal(cacheProgRequest{ID: int64(i + 1), Command: c, ActionID: bytes.Repeat([]byte{2}, 32)})
		reqs.Write(append(h, '\n', '\n'))
	}
	stdout, stderr, code := layer(t, dir, "bighello", strings.Repeat("cd", 32), &reqs, nil)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	first, rest, _ := strings.Cut(stdout, "\n")
	var hello struct {
		KnownCommands []string
		Comment       string
	}
	if err := json.Unmarshal([]byte(first), &hello); err != nil || len(hello.Comment) != 3<<20 || strings.Join(hello.KnownCommands, " ") != "get put close" {
		t.Errorf("capabilities: %v, %d bytes of comment, commands %q", err, len(hello.Comment), hello.KnownCommands)
	}
	if !strings.Contains(rest, `"Miss":true`) || strings.Count(rest, "\n") != 2 {
		t.Errorf("answers %q", rest)
	}
}
