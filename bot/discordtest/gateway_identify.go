package discordtest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Identify is an Identify payload (op 2) as the fake accepted it.
type Identify struct {
	Token          string             `json:"token"`
	Properties     IdentifyProperties `json:"properties"`
	Compress       bool               `json:"compress"`
	LargeThreshold int                `json:"large_threshold"`
	Shard          *[2]int            `json:"shard"`
	// Presence is the initial presence as sent, or nil.
	Presence json.RawMessage  `json:"presence"`
	Intents  discordgo.Intent `json:"intents"`
}

// IdentifyProperties are an Identify's connection properties, under the
// names Discord documents (os, browser, device); the deprecated
// $-prefixed ones do not land here.
type IdentifyProperties struct {
	OS      string `json:"os"`
	Browser string `json:"browser"`
	Device  string `json:"device"`
}

// IdentifyInterval is how often one rate-limit bucket may identify: the
// fake announces max_concurrency 1, so one Identify per 5 seconds across
// all shards. Another within the interval gets op 9 Invalid Session.
const IdentifyInterval = 5 * time.Second

// Gateway intents (Discord's "List of Intents"): those that exist, and the
// privileged ones an application must enable in the Developer Portal.
const (
	knownIntents = discordgo.Intent(1<<17-1) | 1<<20 | 1<<21 | 1<<24 | 1<<25
	// PrivilegedIntents are GUILD_MEMBERS, GUILD_PRESENCES and
	// MESSAGE_CONTENT.
	PrivilegedIntents = discordgo.IntentGuildMembers | discordgo.IntentGuildPresences | discordgo.IntentMessageContent
)

// GrantIntents makes the fake accept these privileged intents in Identify,
// as if they were enabled on the application's Bot page. By default none
// is, as for a new application, and asking for one closes the connection
// with 4014.
func GrantIntents(intents discordgo.Intent) Option {
	return func(o *options) { o.granted = intents & PrivilegedIntents }
}

// identify answers op 2, refusing what Discord refuses, in the order of
// its close codes, and recording as violations what Discord's
// documentation asks for but Discord lets pass (properties, presence).
func (s *Server) identify(c *gatewayConn, raw json.RawMessage) bool {
	var id Identify
	var fields map[string]json.RawMessage
	if json.Unmarshal(raw, &id) != nil || json.Unmarshal(raw, &fields) != nil {
		c.close(4002)
		return false
	}
	tok := strings.TrimPrefix(id.Token, "Bot ")
	if tok == "" || (s.opts.token != "" && tok != s.opts.token) {
		c.close(4004)
		return false
	}
	if id.Shard != nil && (id.Shard[1] < 1 || id.Shard[0] < 0 || id.Shard[0] >= id.Shard[1]) {
		c.close(4010)
		return false
	}
	if id.Intents&^knownIntents != 0 || id.Intents < 0 {
		c.close(4013)
		return false
	}
	if id.Intents&PrivilegedIntents&^s.opts.granted != 0 {
		c.close(4014)
		return false
	}
	now := s.now()
	s.mu.Lock()
	if c.sess != nil && c.sess.valid && c.sess.conn == c {
		s.mu.Unlock()
		c.close(4005)
		return false
	}
	if !s.gw.lastIdentify.IsZero() && now.Sub(s.gw.lastIdentify) < IdentifyInterval {
		s.mu.Unlock()
		return c.send(payload{Op: 9, Data: json.RawMessage("false")}, false) == nil
	}
	for _, reason := range identifyProblems(fields) {
		s.violations = append(s.violations, Violation{Method: "GATEWAY", Path: "op 2 Identify", Reason: reason})
	}
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	sess := &gatewaySession{id: hex.EncodeToString(b), conn: c, valid: true}
	s.gw.sessions[sess.id] = sess
	s.gw.current = sess
	s.gw.identifies = append(s.gw.identifies, id)
	s.gw.lastIdentify = now
	c.sess, c.compress = sess, id.Compress
	s.mu.Unlock()

	shard := [2]int{0, 1}
	if id.Shard != nil {
		shard = *id.Shard
	}
	ready := map[string]any{
		"v":                  10,
		"user":               botUser(),
		"guilds":             []map[string]any{{"id": GuildID, "unavailable": true}},
		"session_id":         sess.id,
		"resume_gateway_url": s.ResumeGatewayURL(),
		"shard":              shard,
		"application":        map[string]any{"id": AppID, "flags": 0},
		"private_channels":   []any{},
	}
	sess.sendMu.Lock()
	s.emit(sess, "READY", mustJSON(ready), c.compress)
	s.emit(sess, "GUILD_CREATE", mustJSON(guildCreate()), false)
	sess.sendMu.Unlock()
	s.mu.Lock()
	s.gw.readies++
	s.notify()
	s.mu.Unlock()
	return true
}

// identifyProblems checks an Identify against the Identify Structure:
// intents present, the connection properties under their documented names,
// large_threshold between 50 and 250, and a presence that is an Update
// Presence object a bot may send.
func identifyProblems(fields map[string]json.RawMessage) []string {
	var out []string
	if _, ok := fields["intents"]; !ok {
		out = append(out, "intents is missing; the gateway requires it since v8")
	}
	var props map[string]json.RawMessage
	if err := json.Unmarshal(fields["properties"], &props); err != nil || props == nil {
		out = append(out, "properties must be an object with os, browser and device")
	} else {
		for _, name := range []string{"os", "browser", "device"} {
			var v string
			if err := json.Unmarshal(props[name], &v); err != nil || v == "" {
				out = append(out, fmt.Sprintf("properties.%s is missing or not a string", name))
			}
		}
		for name := range props {
			switch bare, prefixed := strings.CutPrefix(name, "$"); {
			case prefixed && slices.Contains([]string{"os", "browser", "device"}, bare):
				out = append(out, fmt.Sprintf("properties.%s uses the deprecated $-prefixed name; send %s", name, bare))
			case !slices.Contains([]string{"os", "browser", "device"}, name):
				out = append(out, fmt.Sprintf("properties.%s is not a connection property (os, browser, device)", name))
			}
		}
	}
	if raw, ok := fields["large_threshold"]; ok {
		var n int
		if err := json.Unmarshal(raw, &n); err != nil || n < 50 || n > 250 {
			out = append(out, fmt.Sprintf("large_threshold %s is not between 50 and 250", raw))
		}
	}
	if raw, ok := fields["presence"]; ok && string(raw) != "null" {
		out = append(out, presenceProblems(raw)...)
	}
	slices.Sort(out)
	return out
}

// presenceProblems checks a Gateway Presence Update Structure: since
// (null or an integer), activities (a list of activities whose fields a bot
// may set), status (one of the Status Types) and afk (a boolean), and
// nothing else.
func presenceProblems(raw json.RawMessage) []string {
	var p map[string]json.RawMessage
	if err := json.Unmarshal(raw, &p); err != nil || p == nil {
		return []string{"presence must be an object"}
	}
	var out []string
	for name := range p {
		switch name {
		case "since", "activities", "status", "afk":
		default:
			out = append(out, fmt.Sprintf("presence.%s is not a field of the presence update", name))
		}
	}
	var since *int64
	if err := json.Unmarshal(p["since"], &since); p["since"] == nil || err != nil {
		out = append(out, "presence.since must be null or a Unix time in milliseconds")
	}
	var status string
	_ = json.Unmarshal(p["status"], &status)
	if !slices.Contains([]string{"online", "dnd", "idle", "invisible", "offline"}, status) {
		out = append(out, fmt.Sprintf("presence.status %s is not online, dnd, idle, invisible or offline", orMissing(p["status"])))
	}
	var afk bool
	if err := json.Unmarshal(p["afk"], &afk); p["afk"] == nil || err != nil {
		out = append(out, "presence.afk must be a boolean")
	}
	var activities []map[string]json.RawMessage
	if err := json.Unmarshal(p["activities"], &activities); p["activities"] == nil || err != nil || activities == nil {
		return append(out, "presence.activities must be a list (empty for none)")
	}
	for i, a := range activities {
		for name := range a {
			if !slices.Contains([]string{"name", "state", "type", "url"}, name) {
				out = append(out, fmt.Sprintf("presence.activities[%d].%s: bots may set only name, state, type and url", i, name))
			}
		}
		var name string
		if err := json.Unmarshal(a["name"], &name); err != nil || name == "" {
			out = append(out, fmt.Sprintf("presence.activities[%d].name is required", i))
		}
		var typ int
		if err := json.Unmarshal(a["type"], &typ); err != nil || typ < 0 || typ > 5 {
			out = append(out, fmt.Sprintf("presence.activities[%d].type must be an activity type, 0 to 5", i))
		}
	}
	return out
}

// orMissing is a raw JSON value for a message, or "(missing)".
func orMissing(raw json.RawMessage) string {
	if raw == nil {
		return "(missing)"
	}
	return string(raw)
}

func guildCreate() map[string]any {
	return map[string]any{
		"id": GuildID, "name": "Briefing Room", "owner_id": UserID, "unavailable": false,
		"member_count": 2, "large": false, "joined_at": "2024-01-02T03:04:05Z",
		"roles":    []map[string]any{{"id": GuildID, "name": "@everyone", "permissions": fmt.Sprint(MemberPermissions), "position": 0}},
		"channels": []map[string]any{{"id": ChannelID, "type": 0, "name": "briefings", "guild_id": GuildID, "position": 0}},
		"members":  []map[string]any{{"user": botUser(), "roles": []string{}, "joined_at": "2024-01-02T03:04:05Z"}},
		"threads":  []any{}, "emojis": []any{}, "stickers": []any{}, "voice_states": []any{}, "presences": []any{},
	}
}
