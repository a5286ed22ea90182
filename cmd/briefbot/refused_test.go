package main

import (
	"context"
	"errors"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"briefbot/bot/discordtest"
)

// TestRun_StopsWhenDiscordRefuses starts `briefbot run` in a child process
// against the fake Discord (BRIEFBOT_DISCORD_API_BASE), and has Discord
// refuse it in ways reconnecting cannot fix: the gateway closes with 4004
// or 4014 once the bot is up, or the REST API refuses the token at start.
// briefbot stops at once, without reconnecting, exits with status 78
// (EX_CONFIG) and says on stderr what to fix.
func TestRun_StopsWhenDiscordRefuses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	token := "tok-" + strings.Repeat("r", 40)
	tests := []struct {
		name  string
		token string // the fake's; "" for briefbot's own
		close int    // close code sent once the bot is up; 0 for none
		want  []string
	}{
		{"4004", "", 4004, []string{"4004 (Authentication failed)", "the bot token was refused", "DISCORD_TOKEN", "Developer Portal"}},
		{"4014", "", 4014, []string{"4014 (Disallowed intent(s))", "Privileged Gateway Intents", "Developer Portal"}},
		{"TokenRefusedAtStart", "another-token", 0, []string{"401", "the bot token was refused", "DISCORD_TOKEN"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fakeToken := token
			if tt.token != "" {
				fakeToken = tt.token
			}
			fake := discordtest.New(t, discordtest.Token(fakeToken), discordtest.AllowViolations())
			guard := &escapeGuard{}
			gs := httptest.NewServer(guard)
			defer gs.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()

			var stderr syncBuffer
			cmd := exec.Command(os.Args[0], "-test.run=^TestAPIBaseChild$")
			cmd.Env = append(os.Environ(), apiBaseChildEnv+"=1", "BRIEFBOT_TEST_ARGS=run",
				"BRIEFBOT_DISCORD_API_BASE="+fake.URL(), "DISCORD_TOKEN="+token, "DISCORD_GUILD_ID="+discordtest.GuildID,
				"BRIEFBOT_DB="+filepath.Join(t.TempDir(), "run.db"),
				"HTTPS_PROXY="+gs.URL, "HTTP_PROXY="+gs.URL, "https_proxy="+gs.URL, "http_proxy="+gs.URL, "NO_PROXY=", "no_proxy=")
			cmd.Stdout, cmd.Stderr = &stderr, &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			t.Cleanup(func() {
				_ = cmd.Process.Signal(syscall.SIGTERM)
				select {
				case <-exited:
				case <-time.After(10 * time.Second):
					_ = cmd.Process.Kill()
				}
			})

			if tt.close != 0 {
				if err := fake.Await(ctx, func() bool { return len(fake.Commands(discordtest.GuildID)) > 0 }); err != nil {
					t.Fatalf("run never came up: %v\n%s", err, stderr.String())
				}
				if err := fake.CloseGateway(tt.close); err != nil {
					t.Fatal(err)
				}
			}
			var err error
			select {
			case err = <-exited:
				exited <- err
			case <-time.After(30 * time.Second):
				t.Fatalf("briefbot run still runs after Discord refused it:\n%s", stderr.String())
			}
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != 78 {
				t.Fatalf("exit: %v, want status 78 (EX_CONFIG)\n%s", err, stderr.String())
			}
			t.Logf("briefbot run said:\n%s", stderr.String())
			for _, w := range tt.want {
				if !strings.Contains(stderr.String(), w) {
					t.Errorf("stderr does not say %q:\n%s", w, stderr.String())
				}
			}
			if strings.Contains(stderr.String(), token) {
				t.Error("stderr shows the token")
			}
			want := 1
			if tt.close == 0 {
				want = 0 // refused before the gateway
			}
			if got := fake.GatewayConnections(); len(got) != want {
				t.Errorf("gateway connections %v, want %d: a refusal must not be retried", got, want)
			}
			if got := guard.escaped(); len(got) > 0 {
				t.Errorf("requests went past the fake: %v", got)
			}
		})
	}
}
