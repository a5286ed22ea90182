package discordtest

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/bwmarrin/discordgo"
)

// SendRawInteraction dispatches INTERACTION_CREATE with an interaction given
// as Discord's JSON, such as an example from Discord's documentation, and
// returns its ID. Unlike SendInteraction it sends the JSON as it is, with
// fields and components discordgo cannot decode (modal Label components,
// type 18, among them); it only sets the id, token and application_id the
// fake owns. The 3-second response deadline starts now.
func (s *Server) SendRawInteraction(ctx context.Context, raw []byte) (string, error) {
	in, body, err := s.prepareRaw(raw)
	if err != nil {
		return "", err
	}
	if err := s.Dispatch(ctx, "INTERACTION_CREATE", json.RawMessage(body)); err != nil {
		return "", fmt.Errorf("discordtest: send raw interaction: %w", err)
	}
	return in.i.ID, nil
}

// PostRawInteraction posts an interaction given as Discord's JSON to a
// bot's HTTP interactions endpoint, signed, as PostInteraction does, and
// returns the interaction's ID with the first response.
func (s *Server) PostRawInteraction(ctx context.Context, endpoint string, raw []byte) (string, *discordgo.InteractionResponse, error) {
	in, body, err := s.prepareRaw(raw)
	if err != nil {
		return "", nil, err
	}
	resp, err := s.post(ctx, endpoint, in, body)
	return in.i.ID, resp, err
}

// prepareRaw gives a raw interaction a fresh ID, a token and the
// application's ID, records it, and returns it re-encoded.
func (s *Server) prepareRaw(raw []byte) (*interaction, []byte, error) {
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, nil, fmt.Errorf("discordtest: raw interaction: %w", err)
	}
	// The fake judges the responses by what it can read of the
	// interaction; discordgo fills in what it can when it fails on the
	// data, as it does on the bot's side.
	i := &discordgo.Interaction{}
	_ = json.Unmarshal(raw, i)
	i.ID, i.Token, i.AppID = "", "", ""
	in := s.prepare(i)
	m["id"], m["token"], m["application_id"] = i.ID, i.Token, i.AppID
	body, err := json.Marshal(m)
	if err != nil {
		return nil, nil, fmt.Errorf("discordtest: raw interaction: %w", err)
	}
	return in, body, nil
}
