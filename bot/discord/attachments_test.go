package discord_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"briefbot/bot/discord"
	"briefbot/bot/discordtest"
	"briefbot/briefings"

	"github.com/bwmarrin/discordgo"
)

// fetchCase is one download and what the moderator is told.
type fetchCase struct {
	name     string
	att      *discordgo.MessageAttachment
	max      int64
	want     string // the bytes, when it succeeds
	wantCode string
	wantMsg  string
}

func runFetchCases(t *testing.T, f interface {
	Fetch(context.Context, *discordgo.MessageAttachment, int64) ([]byte, error)
}, cases []fetchCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := f.Fetch(context.Background(), tc.att, tc.max)
			if tc.wantCode == "" {
				if err != nil {
					t.Fatalf("Fetch: %v", err)
				}
				if string(got) != tc.want {
					t.Fatalf("Fetch=%q, want %q", got, tc.want)
				}
				return
			}
			if got, want := briefings.ErrorCode(err), tc.wantCode; got != want {
				t.Fatalf("code=%q (%v), want %q", got, err, want)
			}
			if msg := briefings.ErrorMessage(err); !strings.Contains(msg, tc.wantMsg) {
				t.Fatalf("message=%q, want it to contain %q", msg, tc.wantMsg)
			}
		})
	}
}

func TestAttachmentFetcher_Fetch(t *testing.T) {
	t.Parallel()
	cdn := discordtest.NewCDN(t)
	f := &discord.AttachmentFetcher{Client: cdn.Client(), Hosts: []string{cdn.Host()}}
	good := cdn.AddAttachment("briefings.yaml", []byte("slug: x\n"))
	big := cdn.AddAttachment("big.yaml", []byte(strings.Repeat("a", 100)))
	liar := cdn.AddAttachment("liar.yaml", []byte(strings.Repeat("b", 100)))
	liar.Size = 10 // declares less than it holds
	gone := cdn.AddAttachment("gone.yaml", []byte("x"))
	cdn.Remove(gone)
	plain := *good
	plain.URL = strings.Replace(good.URL, "https://", "http://", 1)
	elsewhere := *good
	elsewhere.URL = "https://example.com/attachments/1/2/briefings.yaml"

	runFetchCases(t, f, []fetchCase{
		{name: "OK", att: good, max: 1 << 20, want: "slug: x\n"},
		{name: "DeclaredTooLarge", att: big, max: 50, wantCode: briefings.EINVALID, wantMsg: "big.yaml is larger than 50 bytes"},
		{name: "CountedTooLarge", att: liar, max: 50, wantCode: briefings.EINVALID, wantMsg: "liar.yaml is larger than 50 bytes"},
		{name: "NotFound", att: gone, max: 1 << 20, wantCode: briefings.EINVALID, wantMsg: "Discord no longer has gone.yaml (it answered 404 Not Found)"},
		{name: "PlainHTTP", att: &plain, max: 1 << 20, wantCode: briefings.EINVALID, wantMsg: "I only download attachments from Discord"},
		{name: "OtherHost", att: &elsewhere, max: 1 << 20, wantCode: briefings.EINVALID, wantMsg: "I only download attachments from Discord"},
		{name: "NoURL", att: &discordgo.MessageAttachment{ID: "1", Filename: "x.yaml"}, max: 1 << 20, wantCode: briefings.EINVALID, wantMsg: "no address"},
	})
	for _, p := range cdn.Downloads() {
		if strings.Contains(p, "big.yaml") {
			t.Errorf("downloaded %s although its declared size is over the limit", p)
		}
	}
}

func TestAttachmentFetcher_DefaultHostsAreDiscords(t *testing.T) {
	t.Parallel()
	cdn := discordtest.NewCDN(t)
	a := cdn.AddAttachment("briefings.yaml", []byte("x"))
	f := &discord.AttachmentFetcher{Client: cdn.Client()} // the fake's host is not trusted
	_, err := f.Fetch(context.Background(), a, 1<<20)
	if msg := briefings.ErrorMessage(err); !strings.Contains(msg, "https://cdn.discordapp.com") {
		t.Fatalf("err=%v, want a refusal naming Discord's CDN", err)
	}
	if n := len(cdn.Downloads()); n != 0 {
		t.Fatalf("%d requests reached a host that is not allowed", n)
	}
}

func TestAttachmentFetcher_RedirectElsewhere(t *testing.T) {
	t.Parallel()
	other := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("followed a redirect to %s", r.URL)
	}))
	defer other.Close()
	cdn := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, strings.Replace(other.URL, "127.0.0.1", "localhost", 1)+"/x.yaml", http.StatusFound)
	}))
	defer cdn.Close()
	f := &discord.AttachmentFetcher{Client: cdn.Client(), Hosts: []string{"127.0.0.1"}}
	runFetchCases(t, f, []fetchCase{{name: "Refused", att: &discordgo.MessageAttachment{Filename: "x.yaml", URL: cdn.URL + "/x.yaml"},
		max: 1 << 20, wantCode: briefings.EINVALID, wantMsg: "somewhere I don't download from"}})
}

func TestAttachmentFetcher_Timeout(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	slow := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer slow.Close()
	defer close(release)
	f := &discord.AttachmentFetcher{Client: slow.Client(), Hosts: []string{"127.0.0.1"}, Timeout: 50 * time.Millisecond}
	runFetchCases(t, f, []fetchCase{{name: "TooSlow", att: &discordgo.MessageAttachment{Filename: "x.yaml", URL: slow.URL + "/x.yaml"},
		max: 1 << 20, wantCode: briefings.EINVALID, wantMsg: "Downloading x.yaml from Discord took longer than 50ms"}})
}

func TestLocalFiles_Fetch(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "briefings.yaml")
	if err := os.WriteFile(path, []byte("slug: x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	file := func(p string) *discordgo.MessageAttachment {
		return &discordgo.MessageAttachment{ID: "1", Filename: filepath.Base(p), URL: "file://" + filepath.ToSlash(p)}
	}
	runFetchCases(t, discord.LocalFiles{}, []fetchCase{
		{name: "OK", att: file(path), max: 1 << 20, want: "slug: x\n"},
		{name: "TooLarge", att: file(path), max: 4, wantCode: briefings.EINVALID, wantMsg: "briefings.yaml is larger than 4 bytes"},
		{name: "Missing", att: file(filepath.Join(dir, "none.yaml")), max: 1 << 20, wantCode: briefings.EINVALID, wantMsg: "There is no file at"},
		{name: "Folder", att: file(dir), max: 1 << 20, wantCode: briefings.EINVALID, wantMsg: "is a folder"},
		{name: "NotAFileURL", att: &discordgo.MessageAttachment{Filename: "x", URL: "https://cdn.discordapp.com/x"}, max: 1 << 20,
			wantCode: briefings.EINVALID, wantMsg: "reads local files only"},
	})
}
