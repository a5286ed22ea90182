package discordtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
)

// call is one REST request on its way through the fake.
type call struct {
	r     *http.Request
	path  string   // without /api/vN
	seg   []string // path segments
	body  []byte   // JSON body or payload_json
	files []File
}

// reply is the fake's answer to a call.
type reply struct {
	status int
	body   any // marshalled as JSON; nil means no body
	err    *apiError
	notes  []string // house-rule findings on an accepted request
	leak   string   // what made a private message public, on an accepted request
	header http.Header
	fault  bool // injected by the test: not a violation
}

func ok(body any) reply { return reply{status: http.StatusOK, body: body} }

func reject(err *apiError) reply { return reply{status: err.status, err: err} }

func (s *Server) serveREST(w http.ResponseWriter, r *http.Request) {
	p, found := strings.CutPrefix(r.URL.Path, "/api/v9")
	if !found {
		p, found = strings.CutPrefix(r.URL.Path, "/api/v10")
	}
	c := &call{r: r, path: p, seg: strings.Split(strings.Trim(p, "/"), "/")}
	rec := Request{Method: r.Method, Path: p, Query: r.URL.Query(), Time: s.now()}
	raw, err := io.ReadAll(r.Body)
	var rp reply
	switch {
	case !found:
		rp = reject(plainError(http.StatusNotFound, 0, "404: Not Found (discordtest serves /api/v9 and /api/v10)"))
	case err != nil:
		rp = reject(plainError(http.StatusBadRequest, 50109, "The request body contains invalid JSON: "+err.Error()))
	default:
		rp = s.decodeBody(c, raw)
	}
	rec.Body, rec.Files = c.body, c.files
	if rp.status == 0 {
		if d := s.delayFor(r.Method, p); d > 0 {
			select {
			case <-r.Context().Done():
				s.record(rec, nil)
				return
			case <-time.After(d):
			}
		}
		if lr, limited := s.checkLimits(r.Method, p); limited {
			rp = lr
		} else if st := s.takeFault(r.Method, p); st != 0 {
			rp = faultReply(st)
		} else {
			rp = s.route(c)
			s.limitHeaders(&rp, r.Method, p)
		}
	}
	var out []byte
	switch {
	case rp.err != nil:
		out, _ = json.Marshal(rp.err)
	case rp.body != nil:
		out, _ = json.Marshal(rp.body)
	}
	for k, vs := range rp.header {
		w.Header()[k] = vs
	}
	if out != nil {
		w.Header().Set("Content-Type", "application/json")
	}
	if rp.status == http.StatusOK && out == nil {
		rp.status = http.StatusNoContent
	}
	w.WriteHeader(rp.status)
	_, _ = w.Write(out)
	rec.Status, rec.Response = rp.status, out
	s.record(rec, &rp)
}

func (s *Server) record(rec Request, rp *reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, rec)
	if rp != nil && rp.err != nil && !rp.fault {
		s.violations = append(s.violations, Violation{Method: rec.Method, Path: rec.Path, Status: rp.status, Code: rp.err.Code, Reason: rp.err.reason()})
	}
	if rp != nil && rp.leak != "" {
		s.violations = append(s.violations, Violation{Method: rec.Method, Path: rec.Path, Status: rp.status, Reason: rp.leak})
	}
	if rp != nil {
		for _, n := range rp.notes {
			s.violations = append(s.violations, Violation{Method: rec.Method, Path: rec.Path, Status: rp.status, Reason: n})
		}
	}
	s.notify()
}

// decodeBody fills c.body and c.files from a JSON or multipart body; it
// returns a rejection, or a zero reply to go on.
func (s *Server) decodeBody(c *call, raw []byte) reply {
	if len(raw) == 0 {
		return reply{}
	}
	mt, params, err := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
	if err != nil {
		return reject(plainError(http.StatusBadRequest, 50109, "The request body has no valid Content-Type: "+err.Error()))
	}
	switch mt {
	case "application/json":
		c.body = raw
	case "multipart/form-data":
		mr := multipart.NewReader(bytes.NewReader(raw), params["boundary"])
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				return reject(formError(nil, "BASE_TYPE_INVALID", "cannot read the multipart body: "+err.Error()))
			}
			data, err := io.ReadAll(part)
			if err != nil {
				return reject(formError(nil, "BASE_TYPE_INVALID", "cannot read the multipart body: "+err.Error()))
			}
			switch name := part.FormName(); {
			case name == "payload_json":
				c.body = data
			case strings.HasPrefix(name, "files["):
				c.files = append(c.files, File{Field: name, Name: part.FileName(), ContentType: part.Header.Get("Content-Type"), Data: data})
			default:
				return reject(formError([]string{name}, "BASE_TYPE_INVALID", "unexpected form field (send JSON in payload_json and files as files[n])"))
			}
		}
	default:
		return reject(plainError(http.StatusBadRequest, 50109, "The request body must be JSON or multipart/form-data, not "+mt))
	}
	if c.body != nil && !json.Valid(c.body) {
		return reject(plainError(http.StatusBadRequest, 50109, "The request body contains invalid JSON."))
	}
	return reply{}
}

// faultReply answers an injected failure.
func faultReply(status int) reply {
	h := http.Header{}
	if status == http.StatusTooManyRequests {
		const retryAfter = 0.05
		reset := float64(time.Now().Add(50*time.Millisecond).UnixMilli()) / 1000
		h.Set("X-RateLimit-Limit", "5")
		h.Set("X-RateLimit-Remaining", "0")
		h.Set("X-RateLimit-Reset", strconv.FormatFloat(reset, 'f', 3, 64))
		h.Set("X-RateLimit-Reset-After", strconv.FormatFloat(retryAfter, 'f', 3, 64))
		h.Set("X-RateLimit-Bucket", "discordtest")
		h.Set("X-RateLimit-Scope", "user")
		h.Set("Retry-After", strconv.Itoa(int(math.Ceil(retryAfter))))
		return reply{status: status, header: h, fault: true, body: map[string]any{
			"message": "You are being rate limited.", "retry_after": retryAfter, "global": false,
		}}
	}
	if status == http.StatusForbidden {
		// what Discord answers a post in a channel the bot cannot see
		return reply{status: status, fault: true, err: plainError(status, 50001, "Missing Access")}
	}
	msg := fmt.Sprintf("%d: %s", status, http.StatusText(status))
	return reply{status: status, fault: true, err: plainError(status, 0, msg)}
}

// route dispatches a call to its handler after the checks every route shares.
func (s *Server) route(c *call) reply {
	m, seg := c.r.Method, c.seg
	is := func(method string, parts ...string) bool {
		if m != method || len(seg) != len(parts) {
			return false
		}
		for i, p := range parts {
			if p != "*" && p != seg[i] {
				return false
			}
		}
		return true
	}
	var h func(*call) reply
	bot := true // needs the bot token
	switch {
	case is("GET", "gateway"):
		h = func(*call) reply { return ok(map[string]any{"url": s.GatewayURL()}) }
	case is("GET", "gateway", "bot"):
		h = s.gatewayBot
	case is("GET", "users", "@me"):
		h = func(*call) reply { return ok(botUser()) }
	case is("POST", "users", "@me", "channels"):
		h = s.createDM
	case is("POST", "channels", "*", "messages"):
		h = s.createMessage
	case is("GET", "channels", "*", "messages"):
		h = s.listMessages
	case is("PUT", "applications", "*", "commands"), is("PUT", "applications", "*", "guilds", "*", "commands"):
		h = s.overwriteCommands
	case is("GET", "applications", "*", "commands"), is("GET", "applications", "*", "guilds", "*", "commands"):
		h = s.listCommands
	case is("POST", "interactions", "*", "*", "callback"):
		h, bot = s.callback, false
	case is("POST", "webhooks", "*", "*"):
		h, bot = s.followup, false
	case is("GET", "webhooks", "*", "*", "messages", "*"), is("PATCH", "webhooks", "*", "*", "messages", "*"),
		is("DELETE", "webhooks", "*", "*", "messages", "*"):
		h, bot = s.webhookMessage, false
	default:
		return reject(plainError(http.StatusNotFound, 0, fmt.Sprintf("404: Not Found (discordtest does not serve %s %s)", m, c.path)))
	}
	if bot {
		if e := s.checkAuth(c.r); e != nil {
			return reject(e)
		}
	}
	if s.spec != nil && c.body != nil {
		if e := s.spec.validate(c.r.Context(), m, c.path, c.r.URL.RawQuery, c.body); e != nil {
			return reject(e)
		}
	}
	return h(c)
}

func (s *Server) checkAuth(r *http.Request) *apiError {
	auth := r.Header.Get("Authorization")
	tok, isBot := strings.CutPrefix(auth, "Bot ")
	switch {
	case auth == "":
		return plainError(http.StatusUnauthorized, 0, "401: Unauthorized (no Authorization header)")
	case !isBot:
		return plainError(http.StatusUnauthorized, 0, "401: Unauthorized (a bot token needs the \"Bot \" prefix)")
	case s.opts.token != "" && tok != s.opts.token:
		return plainError(http.StatusUnauthorized, 0, "401: Unauthorized (wrong bot token)")
	}
	return nil
}

// object decodes a JSON object body, keeping fields raw.
func object(body []byte) (map[string]json.RawMessage, *apiError) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil || m == nil {
		return nil, plainError(http.StatusBadRequest, 50109, "The request body contains invalid JSON: expected an object.")
	}
	return m, nil
}

func (s *Server) gatewayBot(*call) reply {
	return ok(map[string]any{
		"url":    s.GatewayURL(),
		"shards": 1,
		"session_start_limit": map[string]int{
			"total": 1000, "remaining": 999, "reset_after": 86400000, "max_concurrency": 1,
		},
	})
}

func (s *Server) createDM(c *call) reply {
	var b struct {
		RecipientID string `json:"recipient_id"`
	}
	if err := json.Unmarshal(c.body, &b); err != nil || b.RecipientID == "" {
		return reject(formError([]string{"recipient_id"}, "BASE_TYPE_REQUIRED", "This field is required"))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id, found := s.dms[b.RecipientID]
	if !found {
		id = s.newID()
		s.dms[b.RecipientID] = id
		s.channels[id] = &discordgo.Channel{
			ID: id, Type: discordgo.ChannelTypeDM,
			Recipients: []*discordgo.User{{ID: b.RecipientID, Username: "user-" + b.RecipientID, Discriminator: "0"}},
		}
	}
	return ok(s.channels[id])
}

func (s *Server) createMessage(c *call) reply {
	channelID := c.seg[1]
	s.mu.Lock()
	ch := s.channels[channelID]
	s.mu.Unlock()
	if ch == nil {
		rp := reject(plainError(http.StatusNotFound, 10003, "Unknown Channel (add it with Server.AddChannel)"))
		rp.fault = s.wasDeleted(channelID) // expected after DeleteChannel
		return rp
	}
	body, e := object(c.body)
	if e != nil {
		return reject(e)
	}
	e, notes := checkMessage(nil, body, true, len(c.files))
	if e != nil {
		return reject(e)
	}
	key, now := nonceKey(channelID, body), s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if msg := s.seenNonce(key, now); msg != nil {
		return reply{status: http.StatusOK, body: msg, notes: notes}
	}
	msg, err := s.newMessage(channelID, ch.GuildID, body, c.files)
	if err != nil {
		return reject(formError(nil, "BASE_TYPE_INVALID", err.Error()))
	}
	msg.Author = botUser()
	s.messages[channelID] = append(s.messages[channelID], msg)
	s.rememberNonce(key, msg, now)
	return reply{status: http.StatusOK, body: msg, notes: notes}
}

func (s *Server) listMessages(c *call) reply {
	msgs := s.Messages(c.seg[1])
	out := make([]*discordgo.Message, 0, len(msgs))
	for i := len(msgs) - 1; i >= 0; i-- { // newest first, as Discord lists them
		out = append(out, msgs[i])
	}
	return ok(out)
}

// newMessage builds a message from a create body; the caller holds s.mu.
func (s *Server) newMessage(channelID, guildID string, body map[string]json.RawMessage, files []File) (*discordgo.Message, error) {
	msg := &discordgo.Message{ID: s.newID(), ChannelID: channelID, GuildID: guildID, Timestamp: s.opts.now().Add(s.offset).UTC()}
	if err := applyEdit(msg, body); err != nil {
		return nil, err
	}
	s.attach(msg, files)
	return msg, nil
}

// attach adds uploaded files to a message as attachments; the caller holds s.mu.
func (s *Server) attach(msg *discordgo.Message, files []File) {
	for _, f := range files {
		id := s.newID()
		msg.Attachments = append(msg.Attachments, &discordgo.MessageAttachment{
			ID: id, Filename: f.Name, ContentType: f.ContentType, Size: len(f.Data),
			URL: "https://cdn.discordapp.com/attachments/" + msg.ChannelID + "/" + id + "/" + f.Name,
		})
	}
}

// applyEdit copies the message fields present in body onto msg: content,
// embeds, components, flags and tts.
func applyEdit(msg *discordgo.Message, body map[string]json.RawMessage) error {
	keep := map[string]json.RawMessage{}
	for _, k := range []string{"content", "embeds", "components", "flags", "tts", "poll"} {
		if v, ok := body[k]; ok {
			keep[k] = v
		}
	}
	raw, _ := json.Marshal(keep)
	var m discordgo.Message
	if err := json.Unmarshal(raw, &m); err != nil {
		return fmt.Errorf("decode message: %w", err)
	}
	if _, ok := keep["content"]; ok {
		msg.Content = m.Content
	}
	if _, ok := keep["embeds"]; ok {
		msg.Embeds = m.Embeds
	}
	if _, ok := keep["components"]; ok {
		msg.Components = m.Components
	}
	if _, ok := keep["flags"]; ok {
		msg.Flags = m.Flags
	}
	if _, ok := keep["tts"]; ok {
		msg.TTS = m.TTS
	}
	if _, ok := keep["poll"]; ok {
		msg.Poll = m.Poll
	}
	return nil
}

func (s *Server) overwriteCommands(c *call) reply {
	guildID := ""
	if len(c.seg) == 5 {
		guildID = c.seg[3]
	}
	if e := checkApp(c.seg[1]); e != nil {
		return reject(e)
	}
	if guildID != "" && guildID != GuildID {
		return reject(plainError(http.StatusForbidden, 50001, "Missing Access (the bot is only in discordtest.GuildID)"))
	}
	var cmds []*discordgo.ApplicationCommand
	if err := json.Unmarshal(c.body, &cmds); err != nil {
		return reject(formError(nil, "BASE_TYPE_INVALID", "cannot decode the commands: "+err.Error()))
	}
	if e := checkCommands(cmds, guildID != ""); e != nil {
		return reject(e)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old := map[string]string{}
	for _, o := range s.commands[guildID] {
		old[strconv.Itoa(int(o.Type))+":"+o.Name] = o.ID
	}
	stored := make([]*discordgo.ApplicationCommand, 0, len(cmds))
	for _, cmd := range cmds {
		cp := *cmd
		if cp.Type == 0 {
			cp.Type = discordgo.ChatApplicationCommand
		}
		cp.ID = old[strconv.Itoa(int(cp.Type))+":"+cp.Name]
		if cp.ID == "" {
			cp.ID = s.newID()
		}
		cp.ApplicationID, cp.GuildID, cp.Version = AppID, guildID, s.newID()
		stored = append(stored, &cp)
	}
	s.commands[guildID] = stored
	return ok(stored)
}

func (s *Server) listCommands(c *call) reply {
	if e := checkApp(c.seg[1]); e != nil {
		return reject(e)
	}
	guildID := ""
	if len(c.seg) == 5 {
		guildID = c.seg[3]
	}
	return ok(append([]*discordgo.ApplicationCommand{}, s.Commands(guildID)...))
}

func checkApp(id string) *apiError {
	if id != AppID {
		return plainError(http.StatusForbidden, 50001, "Missing Access (the application is discordtest.AppID)")
	}
	return nil
}
