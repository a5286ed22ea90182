package discordtest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Limits are the rate limits the fake enforces when started with
// RateLimits: Discord's global limit on a bot's requests, and its limit on
// messages posted in one channel. Windows run on the wall clock, since a
// client paces itself by it.
type Limits struct {
	// Global requests are allowed in any GlobalWindow (a sliding window).
	// Interaction callbacks and webhooks are exempt, as on Discord.
	Global       int
	GlobalWindow time.Duration
	// Channel messages may be posted in one channel per ChannelWindow
	// (a window that starts with the first message).
	Channel       int
	ChannelWindow time.Duration
}

// DiscordLimits are Discord's documented limits: 50 requests per second
// globally, and 5 messages per 5 seconds in a channel.
func DiscordLimits() Limits {
	return Limits{Global: 50, GlobalWindow: time.Second, Channel: 5, ChannelWindow: 5 * time.Second}
}

// RateLimits makes the fake answer 429, with Discord's headers and body,
// to requests over the limits. Successful message posts carry the
// X-RateLimit headers of the channel's bucket so that discordgo can pace
// itself. A limit of 0 is not enforced. Hits are counted (LimitHits), not
// recorded as violations: clients meet per-channel limits in normal work.
func RateLimits(l Limits) Option { return func(o *options) { o.limits = &l } }

// LimitHits counts the requests the fake refused for going over a limit.
type LimitHits struct {
	Global, Channel int
}

// NonceWindow is how long the fake remembers a message nonce sent with
// enforce_nonce: within it, the same nonce in the same channel returns the
// message already created instead of creating another, as Discord does.
const NonceWindow = 5 * time.Minute

// limiterState is the fake's memory of rate limits, nonces and deleted
// channels.
type limiterState struct {
	mu       sync.Mutex
	global   []time.Time // recent request times, oldest first
	channels map[string]*channelWindow
	nonces   map[string]nonceEntry
	deleted  map[string]bool
	hits     LimitHits
}

type channelWindow struct {
	start time.Time
	count int
}

type nonceEntry struct {
	msg *discordgo.Message
	at  time.Time
}

// LimitHits returns how many requests went over each limit so far.
func (s *Server) LimitHits() LimitHits {
	s.lim.mu.Lock()
	defer s.lim.mu.Unlock()
	return s.lim.hits
}

// DeleteChannel makes a channel disappear, as when someone deletes it:
// posting to it answers 404 Unknown Channel (code 10003), which is then
// expected and not a violation.
func (s *Server) DeleteChannel(id string) {
	s.mu.Lock()
	delete(s.channels, id)
	s.mu.Unlock()
	s.lim.mu.Lock()
	defer s.lim.mu.Unlock()
	if s.lim.deleted == nil {
		s.lim.deleted = map[string]bool{}
	}
	s.lim.deleted[id] = true
}

// wasDeleted reports whether DeleteChannel removed the channel.
func (s *Server) wasDeleted(id string) bool {
	s.lim.mu.Lock()
	defer s.lim.mu.Unlock()
	return s.lim.deleted[id]
}

// exemptFromGlobal reports whether a path is outside the global limit.
func exemptFromGlobal(p string) bool {
	return strings.HasPrefix(p, "/interactions/") || strings.HasPrefix(p, "/webhooks/")
}

// channelBucket returns the channel of a message post, or "".
func channelBucket(method, p string) string {
	seg := strings.Split(strings.Trim(p, "/"), "/")
	if method == http.MethodPost && len(seg) == 3 && seg[0] == "channels" && seg[2] == "messages" {
		return seg[1]
	}
	return ""
}

// checkLimits counts a request against the limits and returns a 429 reply
// when it goes over one.
func (s *Server) checkLimits(method, p string) (reply, bool) {
	l := s.opts.limits
	if l == nil {
		return reply{}, false
	}
	now := time.Now()
	s.lim.mu.Lock()
	defer s.lim.mu.Unlock()
	if l.Global > 0 && !exemptFromGlobal(p) {
		cut := 0
		for cut < len(s.lim.global) && now.Sub(s.lim.global[cut]) >= l.GlobalWindow {
			cut++
		}
		s.lim.global = s.lim.global[cut:]
		if len(s.lim.global) >= l.Global {
			s.lim.hits.Global++
			retry := l.GlobalWindow - now.Sub(s.lim.global[0])
			return limitReply(retry, "global", true, l.Global), true
		}
		s.lim.global = append(s.lim.global, now)
	}
	if ch := channelBucket(method, p); ch != "" && l.Channel > 0 {
		if s.lim.channels == nil {
			s.lim.channels = map[string]*channelWindow{}
		}
		w := s.lim.channels[ch]
		if w == nil || now.Sub(w.start) >= l.ChannelWindow {
			w = &channelWindow{start: now}
			s.lim.channels[ch] = w
		}
		if w.count >= l.Channel {
			s.lim.hits.Channel++
			return limitReply(l.ChannelWindow-now.Sub(w.start), "channel:"+ch, false, l.Channel), true
		}
		w.count++
	}
	return reply{}, false
}

// limitHeaders adds the channel bucket's X-RateLimit headers to a
// successful message post.
func (s *Server) limitHeaders(rp *reply, method, p string) {
	l := s.opts.limits
	ch := channelBucket(method, p)
	if l == nil || l.Channel == 0 || ch == "" || rp.status != http.StatusOK {
		return
	}
	s.lim.mu.Lock()
	w := s.lim.channels[ch]
	s.lim.mu.Unlock()
	if w == nil {
		return
	}
	after := max(l.ChannelWindow-time.Since(w.start), 0)
	if rp.header == nil {
		rp.header = http.Header{}
	}
	rp.header.Set("X-RateLimit-Limit", strconv.Itoa(l.Channel))
	rp.header.Set("X-RateLimit-Remaining", strconv.Itoa(max(l.Channel-w.count, 0)))
	rp.header.Set("X-RateLimit-Reset-After", strconv.FormatFloat(after.Seconds(), 'f', 3, 64))
	rp.header.Set("X-RateLimit-Bucket", "channel-"+ch)
}

// limitReply is Discord's 429 answer for a limit, global or per route.
func limitReply(retry time.Duration, bucket string, global bool, limit int) reply {
	retry = max(retry, time.Millisecond)
	secs := strconv.FormatFloat(retry.Seconds(), 'f', 3, 64)
	h := http.Header{}
	h.Set("Retry-After", strconv.Itoa(int(retry/time.Second)+1))
	h.Set("X-RateLimit-Reset-After", secs)
	if global {
		h.Set("X-RateLimit-Global", "true")
		h.Set("X-RateLimit-Scope", "global")
	} else {
		h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
		h.Set("X-RateLimit-Remaining", "0")
		h.Set("X-RateLimit-Bucket", bucket)
		h.Set("X-RateLimit-Scope", "user")
	}
	return reply{status: http.StatusTooManyRequests, header: h, fault: true, body: map[string]any{
		"message": "You are being rate limited.", "retry_after": retry.Seconds(), "global": global,
	}}
}

// nonceKey returns the key a message post's nonce is remembered by, or ""
// when the post does not ask Discord to enforce its nonce.
func nonceKey(channelID string, body map[string]json.RawMessage) string {
	var enforce bool
	if raw, ok := body["enforce_nonce"]; !ok || json.Unmarshal(raw, &enforce) != nil || !enforce {
		return ""
	}
	raw, ok := body["nonce"]
	if !ok || string(raw) == "null" {
		return ""
	}
	return channelID + "\x00" + strings.Trim(string(raw), `"`)
}

// seenNonce returns the message created earlier with this nonce, within
// NonceWindow of the fake's clock.
func (s *Server) seenNonce(key string, now time.Time) *discordgo.Message {
	if key == "" {
		return nil
	}
	s.lim.mu.Lock()
	defer s.lim.mu.Unlock()
	if e, ok := s.lim.nonces[key]; ok && now.Sub(e.at) < NonceWindow {
		return e.msg
	}
	return nil
}

// rememberNonce records the message created with a nonce.
func (s *Server) rememberNonce(key string, msg *discordgo.Message, now time.Time) {
	if key == "" {
		return
	}
	s.lim.mu.Lock()
	defer s.lim.mu.Unlock()
	if s.lim.nonces == nil {
		s.lim.nonces = map[string]nonceEntry{}
	}
	s.lim.nonces[key] = nonceEntry{msg: msg, at: now}
}
