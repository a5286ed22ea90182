package discord

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
)

// APIBaseEnv names the environment variable that points the bot's REST
// requests at another server than https://discord.com, such as
// http://127.0.0.1:41234 for a fake Discord in tests. It is a testing and
// advanced setting: leave it unset to talk to Discord.
const APIBaseEnv = "BRIEFBOT_DISCORD_API_BASE"

// NewRESTSession returns a discordgo session for REST calls only (no
// gateway), for delivering digests from a process of its own. apiBase, when
// set, is a base URL (scheme and host) that receives every request meant
// for discord.com instead; see APIBaseEnv.
func NewRESTSession(token, apiBase string) (*discordgo.Session, error) {
	secret := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(token), "Bot "))
	if secret == "" {
		return nil, fmt.Errorf("rest session: no bot token; set DISCORD_TOKEN")
	}
	s, err := discordgo.New("Bot " + secret)
	if err != nil {
		return nil, redactor{secret}.err(fmt.Errorf("rest session: %w", err))
	}
	s.StateEnabled = false
	s.Client = &http.Client{Timeout: 20 * time.Second}
	if apiBase != "" {
		if err := RedirectAPI(s, apiBase); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// RedirectAPI sends the session's requests for discord.com to apiBase (a
// URL such as http://127.0.0.1:41234) instead; see APIBaseEnv.
func RedirectAPI(s *discordgo.Session, apiBase string) error {
	u := httpBase(apiBase)
	if u == nil {
		return fmt.Errorf("%s=%q is not an http(s) base URL", APIBaseEnv, apiBase)
	}
	timeout := 20 * time.Second
	if s.Client != nil && s.Client.Timeout != 0 {
		timeout = s.Client.Timeout
	}
	s.Client = &http.Client{Timeout: timeout, Transport: &redirect{base: u, next: http.DefaultTransport}}
	return nil
}

// httpBase parses an http(s) base URL, or returns nil.
func httpBase(s string) *url.URL {
	u, err := url.Parse(strings.TrimRight(s, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil
	}
	return u
}

// redirect rewrites discord.com requests to another base URL.
type redirect struct {
	base *url.URL
	// path, when set, also puts base's path in place of discordgo's API
	// path (/api/v9/, from discordgo.EndpointAPI), so that base chooses
	// the API version too.
	path bool
	next http.RoundTripper
}

// discordgoAPI is the path under which discordgo addresses the REST API.
var discordgoAPI = strings.TrimPrefix(discordgo.EndpointAPI, strings.TrimSuffix(discordgo.EndpointDiscord, "/"))

func (r *redirect) RoundTrip(req *http.Request) (*http.Response, error) {
	if h := req.URL.Hostname(); h != "discord.com" && h != "discordapp.com" {
		return r.next.RoundTrip(req)
	}
	out := req.Clone(req.Context())
	out.URL.Scheme, out.URL.Host, out.Host = r.base.Scheme, r.base.Host, r.base.Host
	if rest, ok := strings.CutPrefix(req.URL.Path, discordgoAPI); ok && r.path {
		out.URL.Path = strings.TrimSuffix(r.base.Path, "/") + "/" + rest
		if req.URL.RawPath != "" {
			out.URL.RawPath = strings.TrimSuffix(r.base.EscapedPath(), "/") + "/" + strings.TrimPrefix(req.URL.RawPath, discordgoAPI)
		}
	}
	return r.next.RoundTrip(out)
}
