package main

import (
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"briefbot/briefings"
	"briefbot/briefings/feed"

	"github.com/joho/godotenv"
)

// Config is everything briefbot reads from the environment (and .env).
type Config struct {
	// DBPath is the SQLite database file (BRIEFBOT_DB, --db).
	DBPath string
	// Sample loads the embedded sample library into an empty database.
	Sample bool
	// LogLevel is debug, info, warn or error.
	LogLevel string

	// DiscordToken is the bot token; when set, plain `briefbot` runs on Discord.
	DiscordToken string
	// DiscordAppID is the application ID, used by HTTP interactions mode.
	DiscordAppID string
	// DiscordPublicKey verifies signed HTTP interactions (hex Ed25519 key).
	DiscordPublicKey string
	// DiscordGuildID registers commands in one guild instead of globally.
	DiscordGuildID string
	// ShardID and ShardCount shard the gateway connection.
	ShardID, ShardCount int
	// HTTPAddr is where `briefbot serve` listens.
	HTTPAddr string
	// WebAddr, when set, is where `run` and `serve` serve the reading
	// room, read-only pages of the global library (BRIEFBOT_WEB_ADDR).
	WebAddr string
	// PublicURL is the reading room's public address, which embeds link
	// to (BRIEFBOT_PUBLIC_URL); empty means no links.
	PublicURL string
	// HTTPMaxConns caps the connections `briefbot serve` holds open at once
	// (BRIEFBOT_HTTP_MAX_CONNS; 0 means bot.DefaultMaxConnections).
	HTTPMaxConns int
	// StatusAddr, when set, serves /healthz and /metrics beside the gateway bot.
	StatusAddr string
	// DiscordAPIBase, when set, receives every call meant for
	// https://discord.com (REST, webhooks, the gateway lookup) instead: a
	// fake Discord for tests (BRIEFBOT_DISCORD_API_BASE).
	DiscordAPIBase string
	// OwnerIDs may edit the global library.
	OwnerIDs []string

	// OpenAIKey, OpenAIBaseURL and OpenAIModel configure the optional model.
	OpenAIKey, OpenAIBaseURL, OpenAIModel string
	// OpenAIEmbeddingModel names the optional embedding model of hybrid
	// retrieval, served at the same OpenAI-compatible base URL.
	OpenAIEmbeddingModel string
	// OpenAITimeout bounds one model call.
	OpenAITimeout time.Duration

	// FetchAllowLoopback lets /briefing add url: and import --extract URL
	// fetch from 127.0.0.0/8 and ::1: for tests against a local server
	// only (BRIEFBOT_FETCH_ALLOW_LOOPBACK=1). Private addresses stay refused.
	FetchAllowLoopback bool

	// FeedsPerGuild caps the feeds one guild may follow
	// (BRIEFBOT_FEEDS_PER_GUILD; default briefings.DefaultFeedsPerGuild).
	FeedsPerGuild int
	// FeedItemsPerPoll caps the items one poll of one feed drafts
	// (BRIEFBOT_FEED_ITEMS_PER_POLL; default feed.DefaultItemsPerPoll).
	FeedItemsPerPoll int
}

// LoadConfig reads .env (when present; real environment variables win) and
// the environment, and validates what it reads.
func LoadConfig(getenv func(string) string, dotenv string) (Config, error) {
	if dotenv != "" {
		if _, err := os.Stat(dotenv); err == nil {
			vals, err := godotenv.Read(dotenv)
			if err != nil {
				return Config{}, fmt.Errorf("read %s: %w", dotenv, err)
			}
			base := getenv
			getenv = func(k string) string {
				if v := base(k); v != "" {
					return v
				}
				return vals[k]
			}
		}
	}
	c := Config{
		DBPath:           or(getenv("BRIEFBOT_DB"), "briefbot.db"),
		LogLevel:         or(getenv("BRIEFBOT_LOG_LEVEL"), "info"),
		DiscordToken:     strings.TrimSpace(getenv("DISCORD_TOKEN")),
		DiscordAppID:     strings.TrimSpace(getenv("DISCORD_APP_ID")),
		DiscordPublicKey: strings.TrimSpace(getenv("DISCORD_PUBLIC_KEY")),
		DiscordGuildID:   strings.TrimSpace(getenv("DISCORD_GUILD_ID")),
		HTTPAddr:         or(getenv("BRIEFBOT_HTTP_ADDR"), ":8080"),
		StatusAddr:       strings.TrimSpace(getenv("BRIEFBOT_STATUS_ADDR")),
		WebAddr:          strings.TrimSpace(getenv("BRIEFBOT_WEB_ADDR")),
		PublicURL:        strings.TrimRight(strings.TrimSpace(getenv("BRIEFBOT_PUBLIC_URL")), "/"),
		DiscordAPIBase:   strings.TrimRight(strings.TrimSpace(getenv("BRIEFBOT_DISCORD_API_BASE")), "/"),
		OpenAIKey:        strings.TrimSpace(getenv("OPENAI_API_KEY")),
		OpenAIBaseURL:    strings.TrimSpace(getenv("OPENAI_BASE_URL")),
		OpenAIModel:      strings.TrimSpace(getenv("OPENAI_MODEL")),
		OpenAITimeout:    30 * time.Second,

		OpenAIEmbeddingModel: strings.TrimSpace(getenv("OPENAI_EMBEDDING_MODEL")),
	}
	switch v := strings.ToLower(strings.TrimSpace(getenv("BRIEFBOT_SAMPLE"))); v {
	case "", "on", "true", "1", "yes":
		c.Sample = true
	case "off", "false", "0", "no":
		c.Sample = false
	default:
		return Config{}, fmt.Errorf("BRIEFBOT_SAMPLE is %q: use on or off", v)
	}
	for _, id := range strings.FieldsFunc(getenv("BRIEFBOT_OWNER_IDS"), func(r rune) bool { return r == ',' || r == ' ' }) {
		if _, err := strconv.ParseUint(id, 10, 64); err != nil {
			return Config{}, fmt.Errorf("BRIEFBOT_OWNER_IDS: %q is not a Discord user ID (digits only)", id)
		}
		c.OwnerIDs = append(c.OwnerIDs, id)
	}
	if c.PublicURL != "" {
		if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return Config{}, fmt.Errorf("BRIEFBOT_PUBLIC_URL is %q: give the reading room's address, such as https://briefs.example.org", c.PublicURL)
		}
	}
	switch v := strings.ToLower(strings.TrimSpace(getenv("BRIEFBOT_FETCH_ALLOW_LOOPBACK"))); v {
	case "", "0", "off", "false", "no":
	case "1", "on", "true", "yes":
		c.FetchAllowLoopback = true
	default:
		return Config{}, fmt.Errorf("BRIEFBOT_FETCH_ALLOW_LOOPBACK is %q: use 1 (testing only) or leave it unset", v)
	}
	var err error
	if c.ShardID, err = intVar(getenv, "DISCORD_SHARD_ID", 0); err != nil {
		return Config{}, err
	}
	if c.ShardCount, err = intVar(getenv, "DISCORD_SHARD_COUNT", 1); err != nil {
		return Config{}, err
	}
	if c.HTTPMaxConns, err = intVar(getenv, "BRIEFBOT_HTTP_MAX_CONNS", 0); err != nil {
		return Config{}, err
	} else if c.HTTPMaxConns < 0 {
		return Config{}, fmt.Errorf("BRIEFBOT_HTTP_MAX_CONNS is %d: use a positive number, or leave it unset for the default", c.HTTPMaxConns)
	}
	if c.FeedsPerGuild, err = intVar(getenv, "BRIEFBOT_FEEDS_PER_GUILD", briefings.DefaultFeedsPerGuild); err != nil {
		return Config{}, err
	} else if c.FeedsPerGuild < 1 {
		return Config{}, fmt.Errorf("BRIEFBOT_FEEDS_PER_GUILD is %d: use a positive number, or leave it unset for %d", c.FeedsPerGuild, briefings.DefaultFeedsPerGuild)
	}
	if c.FeedItemsPerPoll, err = intVar(getenv, "BRIEFBOT_FEED_ITEMS_PER_POLL", feed.DefaultItemsPerPoll); err != nil {
		return Config{}, err
	} else if c.FeedItemsPerPoll < 1 || c.FeedItemsPerPoll > 100 {
		return Config{}, fmt.Errorf("BRIEFBOT_FEED_ITEMS_PER_POLL is %d: use 1 to 100, or leave it unset for %d", c.FeedItemsPerPoll, feed.DefaultItemsPerPoll)
	}
	if c.ShardCount < 1 || c.ShardID < 0 || c.ShardID >= c.ShardCount {
		return Config{}, fmt.Errorf("DISCORD_SHARD_ID must be from 0 to DISCORD_SHARD_COUNT-1 (got %d of %d)", c.ShardID, c.ShardCount)
	}
	if v := strings.TrimSpace(getenv("OPENAI_TIMEOUT")); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return Config{}, fmt.Errorf("OPENAI_TIMEOUT is %q: use a duration such as 30s", v)
		}
		c.OpenAITimeout = d
	}
	if c.DiscordAPIBase != "" {
		u, err := url.Parse(c.DiscordAPIBase)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
			return Config{}, fmt.Errorf("BRIEFBOT_DISCORD_API_BASE is %q: use a base URL such as http://127.0.0.1:8081 (scheme and host only), or leave it unset to talk to Discord", c.DiscordAPIBase)
		}
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return Config{}, fmt.Errorf("BRIEFBOT_LOG_LEVEL is %q: use debug, info, warn or error", c.LogLevel)
	}
	return c, nil
}

func intVar(getenv func(string) string, name string, def int) (int, error) {
	v := strings.TrimSpace(getenv(name))
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("%s is %q: use a whole number", name, v)
	}
	return n, nil
}

func or(v, def string) string {
	if v = strings.TrimSpace(v); v != "" {
		return v
	}
	return def
}
