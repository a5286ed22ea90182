package main

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestConsole_TimelineWritesThePicture: in the console, /timeline writes
// its picture into the directory the console runs in and prints the path;
// a second one does not overwrite the first.
func TestConsole_TimelineWritesThePicture(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var out, errOut bytes.Buffer
	m := NewMain()
	m.Stdin = strings.NewReader("/timeline\n/timeline topic:Alaska summit\n")
	m.Stdout, m.Stderr = &out, &errOut
	m.DotEnv = ""
	env := map[string]string{"BRIEFBOT_DB": filepath.Join(t.TempDir(), "lib.db")}
	m.Getenv = func(k string) string { return env[k] }
	m.StdinIsTerminal = func() bool { return false }
	m.StderrIsTerminal = func() bool { return false }
	m.SaveDir = dir
	err := m.Run(context.Background(), []string{"console"})
	if cerr := m.Close(); cerr != nil {
		t.Fatal(cerr)
	}
	if err != nil {
		t.Fatalf("console: %v\n%s", err, errOut.String())
	}
	for _, name := range []string{"timeline.png", "timeline-2.png"} {
		path := filepath.Join(dir, name)
		if !strings.Contains(out.String(), "Saved "+path) {
			t.Errorf("the console does not print the path %s:\n%s", path, out.String())
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("the picture was not written: %v", err)
		}
		cfg, err := png.DecodeConfig(bytes.NewReader(data))
		if err != nil || cfg.Width < 1200 {
			t.Errorf("%s: %dx%d, %v; want a PNG at least 1,200 px wide", name, cfg.Width, cfg.Height, err)
		}
	}
}
