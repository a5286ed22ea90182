package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestImport_HostileFiles runs `briefbot import` on files built to exhaust
// memory, each in a child process (this test binary again) that the test
// kills if its resident memory passes 300 MB, so that a regression fails
// the test and spares the machine. Each must be refused with one clear
// problem, quickly, under 100 MB, and with a short error.
func TestImport_HostileFiles(t *testing.T) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("needs Linux's /proc to watch memory")
	}
	dir := t.TempDir()
	tests := []struct {
		name string
		make func(path string) error
		want string
	}{
		{"NestingBomb", func(path string) error {
			return os.WriteFile(path, bytes.Repeat([]byte("["), 64<<10), 0o644)
		}, "doc 1: line 1: nesting deeper than 64 levels"},
		{"NestedJSON", func(path string) error {
			return os.WriteFile(path, []byte(strings.Repeat(`{"a":`, 120<<10)+strings.Repeat("}", 120<<10)), 0o644)
		}, "doc 1: line 1: nesting deeper than 64 levels"},
		// No limit on the file's size from the command line: it is read a
		// document at a time. A 200 MB document is refused at its end,
		// without holding more than a MiB of it.
		{"200MBDocument", func(path string) error { // sparse: no disk and no time to write
			f, err := os.Create(path)
			if err != nil {
				return err
			}
			if _, err := f.WriteString(goodDoc + "body: |\n"); err != nil {
				return err
			}
			if err := f.Truncate(200 << 20); err != nil {
				return err
			}
			return f.Close()
		}, "doc 1: line 14: the document is 204,800 KiB; a briefing may take up to 1,024 KiB"},
		{"100000Documents", func(path string) error {
			var b strings.Builder
			for i := range 100_000 {
				fmt.Fprintf(&b, "---\ntitle: Briefing %d\n", i)
			}
			return os.WriteFile(path, []byte(b.String()), 0o644)
		}, "…and 299,950 more"}, // no cap on documents: each is checked as it is read
		{"9000InvalidDocuments", func(path string) error {
			var b strings.Builder
			for i := range 9000 {
				fmt.Fprintf(&b, "---\ntitle: Briefing %d\n", i)
			}
			return os.WriteFile(path, []byte(b.String()), 0o644)
		}, "…and 26,950 more"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.name+".yaml")
			if err := tt.make(path); err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			out, peakKB, err := importInChild(t, filepath.Join(t.TempDir(), "lib.db"), path, 300<<20)
			took := time.Since(start)
			t.Logf("%s: exit %v, peak %d KB, %v, %d bytes of output", tt.name, err, peakKB, took.Round(time.Millisecond), len(out))
			if err == nil {
				t.Fatalf("import succeeded, want it refused:\n%s", out)
			}
			if !strings.Contains(out, "nothing was imported") || !strings.Contains(out, tt.want) {
				t.Errorf("output does not say nothing was imported and %q:\n%.2000s", tt.want, out)
			}
			if peakKB <= 0 || peakKB*1024 >= 100_000_000 {
				t.Errorf("peak resident memory %d KB, want under 100 MB", peakKB)
			}
			if len(out) > 20_000 {
				t.Errorf("%d bytes of output, want a short list", len(out))
			}
			if took > 20*time.Second {
				t.Errorf("took %v", took)
			}
		})
	}
}

// importInChild runs `briefbot import file` against the database at db in
// a child process, killing it if its resident memory passes limit bytes. It
// returns the child's output, its peak resident memory in KB and its exit.
func importInChild(t *testing.T, db, file string, limit int) (string, int, error) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), childEnv+"=import", "BRIEFBOT_SAMPLE=off", "BRIEFBOT_TEST_ARGS=--db "+db+" import "+file)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	killed := make(chan bool, 1)
	go func() { // the watchdog: until the process is gone
		status := fmt.Sprintf("/proc/%d/status", cmd.Process.Pid)
		for {
			kb, ok := procStatusKB(status, "VmRSS:")
			if !ok {
				killed <- false
				return
			}
			if kb*1024 > limit {
				_ = syscall.Kill(cmd.Process.Pid, syscall.SIGKILL)
				killed <- true
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
	}()
	err := cmd.Wait()
	if <-killed {
		t.Fatalf("the import passed %d MB and was killed:\n%.2000s", limit>>20, out.String())
	}
	peak := -1
	if _, rest, ok := strings.Cut(out.String(), "peak-rss-kb "); ok {
		fmt.Sscan(rest, &peak)
	}
	return out.String(), peak, err
}

// procStatusKB reads a "Key: N kB" line of a /proc status file.
func procStatusKB(path, key string) (int, bool) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, key); ok {
			var kb int
			fmt.Sscan(rest, &kb)
			return kb, true
		}
	}
	return 0, true // a zombie has no VmRSS
}

// TestImport_EscapesControlCharacters imports a file whose name and field
// name carry terminal escape sequences: the error shows them escaped.
func TestImport_EscapesControlCharacters(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"BRIEFBOT_DB": filepath.Join(dir, "lib.db"), "BRIEFBOT_SAMPLE": "off"}
	path := writeFile(t, dir, "evil\x1b[2J.yaml", goodDoc+"\"\\e]0;owned\\a\\e[31mred\\u202e\": x\n")
	_, stderr, err := run(t, env, "", "import", path)
	if err == nil {
		t.Fatal("import succeeded, want the unknown field refused")
	}
	msg := err.Error() + stderr
	if strings.ContainsAny(msg, "\x1b\x07\u202e") {
		t.Errorf("output holds raw control characters: %q", msg)
	}
	for _, want := range []string{`evil\x1b[2J.yaml:doc 1: \x1b]0;owned\x07\x1b[31mred\u202e: unknown field`} {
		if !strings.Contains(msg, want) {
			t.Errorf("output %q does not contain %q", msg, want)
		}
	}
}
