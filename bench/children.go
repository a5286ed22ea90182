package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"briefbot/commands"
	"briefbot/db"
)

// Cold start and memory are measured in fresh processes, so that nothing the
// benchmark did before (generating libraries, other sizes) counts.

// sizeOf reads the size of a cached library from its file name.
func sizeOf(path string) (int, error) {
	m := regexp.MustCompile(`-(\d+)\.db$`).FindStringSubmatch(filepath.Base(path))
	if m == nil {
		return 0, fmt.Errorf("%s is not a cached library", path)
	}
	return strconv.Atoi(m[1])
}

// children runs the cold-start and memory measurements on the library.
func children(w io.Writer, path string) error {
	n, err := sizeOf(path)
	if err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	var starts []time.Duration
	for range 7 {
		cmd := exec.Command(self, "-child", "coldstart", "-db", path)
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			return err
		}
		cmd.Stderr = os.Stderr
		start := time.Now()
		if err := cmd.Start(); err != nil {
			return err
		}
		line, err := bufio.NewReader(stdout).ReadString('\n')
		elapsed := time.Since(start)
		if werr := cmd.Wait(); err == nil {
			err = werr
		}
		if err != nil || strings.TrimSpace(line) != "ready" {
			return fmt.Errorf("cold start child said %q: %v", line, err)
		}
		starts = append(starts, elapsed)
	}
	sort.Slice(starts, func(i, j int) bool { return starts[i] < starts[j] })
	median := starts[len(starts)/2]
	fmt.Fprintf(w, "\nCold start with %d briefings (process start → store open, migrations checked, router built, first /timeline answered), median of %d: **%.0f ms**, worst %.0f ms (target ≤ 300 ms: %s).\n",
		n, len(starts), ms(median), ms(starts[len(starts)-1]), yes(ms(median) <= 300))

	out, err := exec.Command(self, "-child", "memory", "-db", path).Output()
	if err != nil {
		return fmt.Errorf("memory child: %w", err)
	}
	var rss, hwm int
	if _, err := fmt.Sscan(string(out), &rss, &hwm); err != nil {
		return fmt.Errorf("memory child said %q: %w", out, err)
	}
	fmt.Fprintf(w, "\nResident memory with %d briefings after serving %d commands: **%.0f MB** now, %.0f MB at peak (target ≤ 150 MB: %s).\n",
		n, memoryCommands, float64(rss)/1024, float64(hwm)/1024, yes(float64(hwm)/1024 <= 150))
	return nil
}

// coldStartChild opens the library, answers one command and says "ready".
func coldStartChild(ctx context.Context, path string) error {
	lib, err := db.Open(ctx, path)
	if err != nil {
		return err
	}
	defer lib.Close()
	r := commands.New(lib, commands.Options{})
	resp := r.Handle(ctx, command("timeline"))
	if resp == nil || resp.Data == nil || len(resp.Data.Embeds) == 0 {
		return fmt.Errorf("cold start: /timeline gave no answer")
	}
	fmt.Println("ready")
	return nil
}

// memoryCommands is how many commands the memory measurement serves.
const memoryCommands = 10_000

// memoryChild serves memoryCommands commands drawn from every case and
// prints the resident and peak memory in kB.
func memoryChild(ctx context.Context, path string) error {
	n, err := sizeOf(path)
	if err != nil {
		return err
	}
	lib, r, raw, conn, cases, _, err := setup(ctx, path, n)
	if err != nil {
		return err
	}
	defer lib.Close()
	conn.Close()
	raw.Close()
	for i := range memoryCommands {
		c := cases[i%len(cases)]
		if resp := r.Handle(ctx, c.interaction); resp == nil {
			return fmt.Errorf("%s: no response", c.name)
		}
	}
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return err
	}
	field := func(name string) int {
		for _, line := range strings.Split(string(status), "\n") {
			if v, ok := strings.CutPrefix(line, name+":"); ok {
				kb, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
				return kb
			}
		}
		return 0
	}
	fmt.Println(field("VmRSS"), field("VmHWM"))
	return nil
}
