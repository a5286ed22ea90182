package discordtest

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"

	"github.com/bwmarrin/discordgo"
)

// PostInteraction delivers i to a bot's HTTP interactions endpoint as
// Discord does: a signed POST (X-Signature-Ed25519 over the timestamp and
// body, verifiable with PublicKey). The endpoint's answer is taken as the
// interaction's first response, checked and recorded like a callback sent
// over REST, and returned. Follow-ups and edits go through REST as usual.
func (s *Server) PostInteraction(ctx context.Context, endpoint string, i *discordgo.Interaction) (*discordgo.InteractionResponse, error) {
	in := s.prepare(i)
	return s.post(ctx, endpoint, in, interactionJSON(i))
}

// post delivers the interaction in, encoded as body, to endpoint and takes
// the answer as its first response.
func (s *Server) post(ctx context.Context, endpoint string, in *interaction, body []byte) (*discordgo.InteractionResponse, error) {
	i := in.i
	s.mu.Lock()
	in.answering = true
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		in.answering = false
		s.notify()
		s.mu.Unlock()
	}()
	ts := strconv.FormatInt(s.now().Unix(), 10)
	sig := ed25519.Sign(s.key, append([]byte(ts), body...))
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("post interaction: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Discord-Interactions/1.0 (+https://discord.com)")
	req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(sig))
	req.Header.Set("X-Signature-Timestamp", ts)
	resp, err := (&http.Client{Transport: &http.Transport{Proxy: nil}}).Do(req)
	if err != nil {
		return nil, fmt.Errorf("post interaction: %w", err)
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("post interaction: read answer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("post interaction: endpoint answered %s: %s", resp.Status, answer)
	}
	// The answer goes through the REST callback route, so it is validated
	// and recorded exactly like one sent with InteractionRespond.
	cb := httptest.NewRequestWithContext(ctx, http.MethodPost, "/api/v10/interactions/"+i.ID+"/"+i.Token+"/callback", bytes.NewReader(answer))
	cb.Header.Set("Content-Type", resp.Header.Get("Content-Type"))
	rec := httptest.NewRecorder()
	s.serveREST(rec, cb)
	return s.AwaitResponse(ctx, i.ID)
}
