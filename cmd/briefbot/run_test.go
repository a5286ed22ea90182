package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"net"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"briefbot/bot/discordtest"

	"github.com/bwmarrin/discordgo"
)

// TestRun_Gateway starts `briefbot run` as main does, against the fake
// Discord, and asks it a question over the gateway.
func TestRun_Gateway(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	var logs bytes.Buffer
	m := NewMain()
	m.Stdout, m.Stderr = &logs, &logs
	m.DotEnv = ""
	token := "tok-" + strings.Repeat("z", 40)
	env := map[string]string{"BRIEFBOT_DB": filepath.Join(t.TempDir(), "lib.db"), "DISCORD_TOKEN": token, "DISCORD_GUILD_ID": discordtest.GuildID,
		"BRIEFBOT_DISCORD_API_BASE": fake.URL()} // digest deliveries go to the fake too
	m.Getenv = func(k string) string { return env[k] }
	m.ConfigureSession = fake.Attach

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- m.Run(runCtx, nil) }() // plain `briefbot` with a token runs the gateway bot
	defer func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("run returned %v", err)
		}
		m.Close()
		if strings.Contains(logs.String(), token) {
			t.Errorf("the token appears in the logs")
		}
	}()

	if err := fake.Await(ctx, func() bool { return len(fake.Commands(discordtest.GuildID)) > 0 }); err != nil {
		t.Fatalf("commands never registered: %v\nlogs:\n%s", err, logs.String())
	}
	id := fake.SendInteraction(ctx, discordtest.Command("actor", discordtest.String("name", "Kim Jong Un")))
	resp, err := fake.AwaitResponse(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Data == nil || len(resp.Data.Embeds) == 0 || !strings.Contains(resp.Data.Embeds[0].Title, "Kim Jong Un") {
		t.Fatalf("response=%+v, want an embed about Kim Jong Un", resp.Data)
	}
}

// TestServe_HTTP starts `briefbot serve` and sends it signed interactions.
func TestServe_HTTP(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()

	var logs bytes.Buffer
	m := NewMain()
	m.Stdout, m.Stderr = &logs, &logs
	m.DotEnv = ""
	env := map[string]string{"BRIEFBOT_DB": filepath.Join(t.TempDir(), "lib.db"), "DISCORD_PUBLIC_KEY": hex.EncodeToString(fake.PublicKey()), "DISCORD_APP_ID": discordtest.AppID}
	m.Getenv = func(k string) string { return env[k] }
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- m.Run(runCtx, []string{"serve", "--addr", addr}) }()
	defer func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("serve returned %v", err)
		}
		m.Close()
	}()

	endpoint := "http://" + addr + "/interactions"
	var resp *discordgo.InteractionResponse
	for {
		resp, err = fake.PostInteraction(ctx, endpoint, discordtest.Command("event", discordtest.String("name", "Alaska summit")))
		if err == nil || ctx.Err() != nil {
			break
		}
		time.Sleep(20 * time.Millisecond) // the server is still starting
	}
	if err != nil {
		t.Fatalf("no answer from serve: %v\nlogs:\n%s", err, logs.String())
	}
	if resp.Data == nil || len(resp.Data.Embeds) == 0 || !strings.Contains(resp.Data.Embeds[0].Title, "Alaska summit") {
		t.Fatalf("response=%+v, want the Alaska summit", resp.Data)
	}
	if status := postSignedByStranger(t, ctx, endpoint); status != http.StatusUnauthorized {
		t.Fatalf("a request signed with another key got %d, want 401", status)
	}
}

func TestServe_NeedsPublicKey(t *testing.T) {
	t.Parallel()
	_, _, err := run(t, map[string]string{"BRIEFBOT_DB": filepath.Join(t.TempDir(), "lib.db")}, "", "serve")
	if err == nil || !strings.Contains(err.Error(), "DISCORD_PUBLIC_KEY") {
		t.Fatalf("err=%v, want one naming DISCORD_PUBLIC_KEY", err)
	}
	_, _, err = run(t, map[string]string{"DISCORD_PUBLIC_KEY": "not-hex"}, "", "serve")
	if err == nil || !strings.Contains(err.Error(), "DISCORD_PUBLIC_KEY") {
		t.Fatalf("err=%v, want one naming DISCORD_PUBLIC_KEY", err)
	}
}

// postSignedByStranger posts a PING signed with a key that is not the
// application's and returns the status code.
func postSignedByStranger(t *testing.T, ctx context.Context, endpoint string) int {
	_, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	body := []byte(`{"type":1,"id":"1","application_id":"` + discordtest.AppID + `","token":"x","version":1}`)
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(priv, append([]byte(ts), body...))))
	req.Header.Set("X-Signature-Timestamp", ts)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
