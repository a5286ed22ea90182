package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"briefbot/bot/discordtest"
)

// freeAddr is a loopback address nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestServe_ReadingRoom: with BRIEFBOT_WEB_ADDR set, `briefbot serve`
// serves the reading room beside the interactions endpoint, and stops it
// when it stops; an address it cannot listen on stops it at once.
func TestServe_ReadingRoom(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	addr, webAddr := freeAddr(t), freeAddr(t)
	var logs bytes.Buffer
	m := NewMain()
	m.Stdout, m.Stderr = &logs, &logs
	m.DotEnv = ""
	env := map[string]string{"BRIEFBOT_DB": filepath.Join(t.TempDir(), "lib.db"), "DISCORD_PUBLIC_KEY": hex.EncodeToString(fake.PublicKey()),
		"BRIEFBOT_WEB_ADDR": webAddr}
	m.Getenv = func(k string) string { return env[k] }
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- m.Run(runCtx, []string{"serve", "--addr", addr}) }()

	var body []byte
	var resp *http.Response
	var err error
	for ctx.Err() == nil {
		if resp, err = http.Get("http://" + webAddr + "/"); err == nil {
			body, _ = io.ReadAll(resp.Body)
			resp.Body.Close()
			break
		}
		time.Sleep(20 * time.Millisecond) // still starting
	}
	if err != nil {
		t.Fatalf("no reading room on %s: %v\nlogs:\n%s", webAddr, err, logs.String())
	}
	if resp.StatusCode != 200 || !strings.Contains(string(body), "Alaska summit") || resp.Header.Get("Content-Security-Policy") == "" {
		t.Errorf("GET /: %d, CSP %q:\n%s", resp.StatusCode, resp.Header.Get("Content-Security-Policy"), body)
	}
	stop()
	if err := <-done; err != nil {
		t.Errorf("serve returned %v", err)
	}
	m.Close()
	if _, err := http.Get("http://" + webAddr + "/"); err == nil {
		t.Error("the reading room still answers after serve stopped")
	}

	// An address in use is refused at start, naming the variable.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	env["BRIEFBOT_WEB_ADDR"] = ln.Addr().String()
	_, _, err = run(t, env, "", "serve", "--addr", freeAddr(t))
	if err == nil || !strings.Contains(err.Error(), "BRIEFBOT_WEB_ADDR") {
		t.Errorf("serve with the reading room's address taken: %v, want an error naming BRIEFBOT_WEB_ADDR", err)
	}
}

// TestConfig_PublicURL refuses a reading room address that is not one.
func TestConfig_PublicURL(t *testing.T) {
	t.Parallel()
	for _, v := range []string{"ftp://briefs.example.org", "briefs.example.org", "https://briefs.example.org/?x=1"} {
		_, _, err := run(t, map[string]string{"BRIEFBOT_DB": filepath.Join(t.TempDir(), "lib.db"), "BRIEFBOT_PUBLIC_URL": v}, "", "console")
		if err == nil || !strings.Contains(err.Error(), "BRIEFBOT_PUBLIC_URL") {
			t.Errorf("BRIEFBOT_PUBLIC_URL=%s: %v, want an error naming it", v, err)
		}
	}
	out, _, err := run(t, map[string]string{"BRIEFBOT_DB": filepath.Join(t.TempDir(), "lib.db"), "BRIEFBOT_PUBLIC_URL": "https://briefs.example.org/"}, "/brief\n", "console")
	if err != nil || !strings.Contains(out, "https://briefs.example.org/briefings/") {
		t.Errorf("with BRIEFBOT_PUBLIC_URL, /brief in the console: %v\n%s", err, out)
	}
}
