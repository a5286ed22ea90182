package discordtest_test

import (
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"briefbot/bot/discordtest"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// TestGateway_Intents: privileged intents the application was not granted
// close the connection with 4014, intents that do not exist with 4013;
// granted ones are accepted.
func TestGateway_Intents(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		opts    []discordtest.Option
		intents discordgo.Intent
		want    int // close code, 0 for READY
	}{
		{"None", nil, discordgo.IntentsNone, 0},
		{"AllWithoutPrivileged", nil, discordgo.IntentsAllWithoutPrivileged, 0},
		{"MembersNotGranted", nil, discordgo.IntentGuildMembers, 4014},
		{"PresencesNotGranted", nil, discordgo.IntentGuildPresences, 4014},
		{"MessageContentNotGranted", nil, discordgo.IntentGuilds | discordgo.IntentMessageContent, 4014},
		{"MessageContentGranted", []discordtest.Option{discordtest.GrantIntents(discordgo.IntentMessageContent)}, discordgo.IntentMessageContent, 0},
		{"OtherGranted", []discordtest.Option{discordtest.GrantIntents(discordgo.IntentMessageContent)}, discordgo.IntentGuildMembers, 4014},
		{"Unknown", nil, 1 << 30, 4013},
		{"Negative", nil, -1, 4013},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake := discordtest.New(t, tt.opts...)
			c := dial(t, fake.GatewayURL())
			c.send(2, testIdentify("test-token", tt.intents))
			if tt.want == 0 {
				c.ready()
				return
			}
			if got := c.closed(); got != tt.want {
				t.Fatalf("close code %d, want %d", got, tt.want)
			}
			if n := len(fake.Identifies()); n != 0 {
				t.Fatalf("%d identifies accepted, want none", n)
			}
		})
	}
}

// TestGateway_IdentifyRateLimit: with max_concurrency 1, Discord takes one
// Identify per 5 seconds; another sooner gets op 9 Invalid Session (d
// false) and no READY.
func TestGateway_IdentifyRateLimit(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	first := dial(t, fake.GatewayURL())
	first.send(2, testIdentify("test-token", 0))
	first.ready()

	second := dial(t, fake.GatewayURL())
	second.send(2, testIdentify("test-token", 0))
	f := second.read()
	if f.Op != 9 || string(f.Data) != "false" {
		t.Fatalf("second identify within %v: op %d d=%s, want op 9 d=false", discordtest.IdentifyInterval, f.Op, f.Data)
	}
	if n := len(fake.Identifies()); n != 1 {
		t.Fatalf("%d identifies accepted, want 1", n)
	}

	fake.Advance(discordtest.IdentifyInterval)
	third := dial(t, fake.GatewayURL())
	third.send(2, testIdentify("test-token", 0))
	third.ready()
}

// TestGateway_IdentifyChecks: an Identify must carry a valid token (4004),
// a valid shard (4010), once per connection (4005); its properties and
// presence must be the documented ones, which the fake records as
// violations otherwise (Discord still lets the deprecated $os through).
func TestGateway_IdentifyChecks(t *testing.T) {
	t.Parallel()
	valid := func() map[string]any { return testIdentify("test-token", discordgo.IntentsGuilds) }
	with := func(key string, v any) map[string]any {
		d := valid()
		if v == nil {
			delete(d, key)
		} else {
			d[key] = v
		}
		return d
	}
	discordgoProps := map[string]string{"$os": "linux", "$browser": "DiscordGo v0.29.0", "$device": "", "$referer": "", "$referring_domain": ""}
	// discordgo v0.29's presence: no activities, an empty status, and the
	// long-gone "game".
	discordgoPresence := json.RawMessage(`{"since":0,"game":{"name":"","type":0,"created_at":"0001-01-01T00:00:00Z"},"status":"","afk":false}`)
	tests := []struct {
		name      string
		d         map[string]any
		close     int    // close code, 0 for READY
		violation string // what a recorded violation says, "" for none
	}{
		{"Valid", valid(), 0, ""},
		{"WrongToken", with("token", "someone-else"), 4004, ""},
		{"NoToken", with("token", ""), 4004, ""},
		{"ShardOutOfRange", with("shard", [2]int{2, 2}), 4010, ""},
		{"ShardCountZero", with("shard", [2]int{0, 0}), 4010, ""},
		{"Shard", with("shard", [2]int{1, 2}), 0, ""},
		{"PrefixedProperties", with("properties", discordgoProps), 0, "properties.$os uses the deprecated $-prefixed name; send os"},
		{"MissingDevice", with("properties", map[string]string{"os": "linux", "browser": "b"}), 0, "properties.device is missing"},
		{"NoProperties", with("properties", nil), 0, "properties must be an object"},
		{"DiscordgoPresence", with("presence", discordgoPresence), 0, "presence.game is not a field"},
		{"BadStatus", with("presence", map[string]any{"since": nil, "activities": []any{}, "status": "busy", "afk": false}), 0, `presence.status "busy"`},
		{"NoActivities", with("presence", map[string]any{"since": nil, "status": "online", "afk": false}), 0, "presence.activities must be a list"},
		{"ActivityFieldsBotsCannotSet", with("presence", map[string]any{"since": nil, "status": "online", "afk": false,
			"activities": []any{map[string]any{"name": "briefings", "type": 3, "details": "x"}}}), 0, "bots may set only name, state, type and url"},
		{"Activity", with("presence", map[string]any{"since": nil, "status": "idle", "afk": true,
			"activities": []any{map[string]any{"name": "briefings", "type": 3}}}), 0, ""},
		{"NoPresence", with("presence", nil), 0, ""},
		{"NoIntents", with("intents", nil), 0, "intents is missing"},
		{"LargeThreshold", with("large_threshold", 10), 0, "large_threshold 10 is not between 50 and 250"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake := discordtest.New(t, discordtest.Token("test-token"), discordtest.AllowViolations())
			c := dial(t, fake.GatewayURL())
			c.send(2, tt.d)
			if tt.close != 0 {
				if got := c.closed(); got != tt.close {
					t.Fatalf("close code %d, want %d", got, tt.close)
				}
				return
			}
			c.ready()
			vs := fake.Violations()
			if tt.violation == "" {
				if len(vs) != 0 {
					t.Fatalf("violations %v, want none", vs)
				}
				return
			}
			var all []string
			for _, v := range vs {
				all = append(all, v.Reason)
			}
			if !strings.Contains(strings.Join(all, "\n"), tt.violation) {
				t.Fatalf("violations %q, want one saying %q", all, tt.violation)
			}
		})
	}
	t.Run("SecondOnOneConnection", func(t *testing.T) {
		t.Parallel()
		fake := discordtest.New(t)
		c := dial(t, fake.GatewayURL())
		c.send(2, valid())
		c.ready()
		c.send(2, valid())
		if got := c.closed(); got != 4005 {
			t.Fatalf("close code %d, want 4005", got)
		}
	})
}

// TestGateway_ResumeURL: READY hands out a resume_gateway_url on another
// host than the gateway URL; a resume there replays what was missed, and a
// resume anywhere else gets op 9 with d false and ends the session.
func TestGateway_ResumeURL(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	c := dial(t, fake.GatewayURL())
	c.send(2, testIdentify("test-token", 0))
	sessionID, resumeURL := c.ready()
	gw, _ := url.Parse(fake.GatewayURL())
	ru, err := url.Parse(resumeURL)
	if err != nil || ru.Host == "" || ru.Host == gw.Host || resumeURL != fake.ResumeGatewayURL() {
		t.Fatalf("resume_gateway_url %q, want one on another host than %q", resumeURL, fake.GatewayURL())
	}
	guild := c.dispatch("GUILD_CREATE")
	fake.DropGateway()
	id := fake.SendInteraction(ctx(t), discordtest.Command("brief"))

	t.Run("There", func(t *testing.T) {
		r := dial(t, resumeURL)
		r.send(6, map[string]any{"token": "test-token", "session_id": sessionID, "seq": *guild.Seq})
		var i discordgo.Interaction
		if err := json.Unmarshal(r.dispatch("INTERACTION_CREATE").Data, &i); err != nil || i.ID != id {
			t.Fatalf("replayed interaction %s (%v), want %s", i.ID, err, id)
		}
		r.dispatch("RESUMED")
		fake.DropGateway()
	})
	t.Run("Elsewhere", func(t *testing.T) {
		e := dial(t, fake.GatewayURL())
		e.send(6, map[string]any{"token": "test-token", "session_id": sessionID, "seq": *guild.Seq})
		if f := e.read(); f.Op != 9 || string(f.Data) != "false" {
			t.Fatalf("resume at the gateway URL: op %d d=%s, want op 9 d=false", f.Op, f.Data)
		}
		// The session is gone, at the right URL too.
		r := dial(t, resumeURL)
		r.send(6, map[string]any{"token": "test-token", "session_id": sessionID, "seq": *guild.Seq})
		if f := r.read(); f.Op != 9 || string(f.Data) != "false" {
			t.Fatalf("resume after a refused one: op %d d=%s, want op 9 d=false", f.Op, f.Data)
		}
	})
	if n := fake.Resumes(); n != 1 {
		t.Fatalf("%d resumes, want 1", n)
	}
}

// TestGateway_CloseOnDemand: CloseGateway sends the close code a test asks
// for, with Discord's text; after codes that end the session, a resume gets
// op 9 with d false, after others it succeeds.
func TestGateway_CloseOnDemand(t *testing.T) {
	t.Parallel()
	tests := []struct {
		code      int
		resumable bool
	}{{4004, false}, {4014, false}, {4009, false}, {4000, true}, {4008, true}}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.code), func(t *testing.T) {
			t.Parallel()
			fake := discordtest.New(t)
			c := dial(t, fake.GatewayURL())
			c.send(2, testIdentify("test-token", 0))
			sessionID, resumeURL := c.ready()
			if err := fake.CloseGateway(tt.code); err != nil {
				t.Fatal(err)
			}
			if got := c.closed(); got != tt.code {
				t.Fatalf("close code %d, want %d", got, tt.code)
			}
			r := dial(t, resumeURL)
			r.send(6, map[string]any{"token": "test-token", "session_id": sessionID, "seq": 1})
			f := r.read()
			if resumed := f.Op == 0; resumed != tt.resumable {
				t.Fatalf("resume after %d: op %d d=%s, want resumable=%v", tt.code, f.Op, f.Data, tt.resumable)
			}
		})
	}
	if err := discordtest.New(t).CloseGateway(1234); err == nil {
		t.Fatal("CloseGateway(1234) accepted a code that is no gateway close code")
	}
}

// TestGateway_ConnectionRules: payloads over 4,096 bytes close with 4002,
// a presence update before identifying with 4003, an unknown opcode with
// 4001, an unknown API version with 4012; heartbeats get op 11 unless the
// test withholds the ACKs.
func TestGateway_ConnectionRules(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	t.Run("TooLarge", func(t *testing.T) {
		c := dial(t, fake.GatewayURL())
		d := testIdentify("test-token", 0)
		d["properties"] = map[string]string{"os": strings.Repeat("x", 4096), "browser": "b", "device": "d"}
		c.send(2, d)
		if got := c.closed(); got != 4002 {
			t.Fatalf("close code %d, want 4002", got)
		}
	})
	t.Run("PresenceBeforeIdentify", func(t *testing.T) {
		c := dial(t, fake.GatewayURL())
		c.send(3, map[string]any{"since": nil, "activities": []any{}, "status": "online", "afk": false})
		if got := c.closed(); got != 4003 {
			t.Fatalf("close code %d, want 4003", got)
		}
	})
	t.Run("UnknownOpcode", func(t *testing.T) {
		c := dial(t, fake.GatewayURL())
		c.send(5, nil)
		if got := c.closed(); got != 4001 {
			t.Fatalf("close code %d, want 4001", got)
		}
	})
	t.Run("UnknownVersion", func(t *testing.T) {
		ws, _, err := websocket.DefaultDialer.Dial(fake.GatewayURL()+"?v=5&encoding=json", nil)
		if err != nil {
			t.Fatal(err)
		}
		c := &conn{t: t, ws: ws}
		t.Cleanup(func() { _ = ws.Close() })
		if got := c.closed(); got != 4012 {
			t.Fatalf("close code %d, want 4012", got)
		}
	})
	t.Run("Heartbeats", func(t *testing.T) {
		c := dial(t, fake.GatewayURL())
		c.send(1, nil)
		if f := c.read(); f.Op != 11 {
			t.Fatalf("op %d, want 11", f.Op)
		}
		fake.WithholdHeartbeatAcks(true)
		before := fake.Heartbeats()
		c.send(1, nil)
		if err := fake.Await(ctx(t), func() bool { return fake.Heartbeats() > before }); err != nil {
			t.Fatal(err)
		}
		fake.WithholdHeartbeatAcks(false)
		c.send(3, nil) // not identified: closes, after the ACK if one came
		if f, code := c.next(); code != 4003 {
			t.Fatalf("op %d (close %d) after a withheld ACK, want the close 4003", f.Op, code)
		}
	})
}
