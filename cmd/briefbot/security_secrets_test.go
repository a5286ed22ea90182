package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"briefbot/bot/discordtest"
	"briefbot/briefings/llm/llmtest"
)

// syncBuffer is a bytes.Buffer safe for the bot's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestSecrets_NeverLogged runs `briefbot run` at debug level with a
// distinctive bot token and API key while Discord and the model fail in
// every way the fakes can, and searches everything it wrote.
func TestSecrets_NeverLogged(t *testing.T) {
	t.Parallel()
	const (
		token  = "MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.Gsecret.briefbot-token-never-logged-7d3f"
		apiKey = "sk-briefbot-api-key-never-logged-51c9e2"
	)
	fake := discordtest.New(t, discordtest.AllowViolations())
	model := llmtest.New(t)
	model.Push(
		llmtest.Reply{Status: 401, Content: "Incorrect API key provided."},
		llmtest.Reply{Status: 429, Content: "Rate limit reached.", RetryAfter: "0"},
		llmtest.Reply{Status: 500, Content: "The server had an error."},
		llmtest.Reply{Status: 503, Content: "Overloaded."},
		llmtest.Reply{Delay: 3 * time.Second, Content: "too late"},
	)
	var logs syncBuffer
	m := NewMain()
	m.Stdout, m.Stderr = &logs, &logs
	m.DotEnv = ""
	env := map[string]string{"BRIEFBOT_DB": filepath.Join(t.TempDir(), "lib.db"), "DISCORD_TOKEN": token, "DISCORD_GUILD_ID": discordtest.GuildID,
		"BRIEFBOT_DISCORD_API_BASE": fake.URL(), "BRIEFBOT_LOG_LEVEL": "debug",
		"OPENAI_BASE_URL": model.URL(), "OPENAI_API_KEY": apiKey, "OPENAI_MODEL": "test-model", "OPENAI_TIMEOUT": "1s"}
	m.Getenv = func(k string) string { return env[k] }
	m.ConfigureSession = fake.Attach

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- m.Run(runCtx, nil) }()
	if err := fake.Await(ctx, func() bool { return len(fake.Commands(discordtest.GuildID)) > 0 }); err != nil {
		t.Fatalf("commands never registered: %v\n%s", err, logs.String())
	}
	ask := func() {
		actx, cancel := context.WithTimeout(ctx, 8*time.Second)
		defer cancel()
		id := fake.SendInteraction(actx, discordtest.Command("ask", discordtest.String("question", "How many North Korean troops are fighting for Russia?")))
		if _, err := fake.AwaitResponse(actx, id); err != nil {
			t.Errorf("/ask %s: %v", id, err)
			return
		}
		if err := fake.Await(actx, func() bool {
			m := fake.Original(id)
			return len(fake.Followups(id)) > 0 || (m != nil && (m.Content != "" || len(m.Embeds) > 0))
		}); err != nil {
			t.Errorf("/ask %s never finished: %v", id, err)
		}
	}
	// One /ask per scripted model failure, with Discord failing as well:
	// server errors, a rate limit and failed edits.
	ask()
	fake.FailNext("POST /interactions/*/*/callback", 1, 500)
	ask()
	fake.RateLimit("POST /interactions/*/*/callback", 3)
	ask()
	fake.FailNext("PATCH /webhooks/*/*/messages/@original", 2, 503)
	ask()
	ask()
	stop()
	err := <-done
	m.Close()
	if len(model.Requests()) == 0 {
		t.Fatal("the model was never asked")
	}
	for _, r := range model.Requests() {
		if r.Authorization != "Bearer "+apiKey {
			t.Fatalf("the model got Authorization %q", r.Authorization)
		}
	}
	all := logs.String()
	if err != nil {
		all += "\n" + err.Error()
	}
	for name, secret := range map[string]string{"bot token": token, "API key": apiKey} {
		for _, part := range []string{secret, secret[len(secret)-16:]} {
			if strings.Contains(all, part) {
				t.Errorf("the %s appears in the logs or errors:\n%s", name, grepSecret(all, part))
			}
		}
	}
	t.Logf("%d lines of logs searched", strings.Count(all, "\n"))
}

func grepSecret(s, secret string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, secret) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
