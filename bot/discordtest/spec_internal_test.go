package discordtest

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// recordingTB records what loadSpec reports instead of stopping the test.
type recordingTB struct {
	testing.TB
	fatal, logged string
}

func (r *recordingTB) Helper() {}

func (r *recordingTB) Fatalf(format string, args ...any) { r.fatal = fmt.Sprintf(format, args...) }

func (r *recordingTB) Logf(format string, args ...any) { r.logged = fmt.Sprintf(format, args...) }

// TestLoadSpec_MissingDocument checks that a missing OpenAPI document fails
// the test in CI and only skips the checks elsewhere.
func TestLoadSpec_MissingDocument(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "openapi.json")
	for _, ci := range []string{"true", ""} {
		t.Run("CI="+ci, func(t *testing.T) {
			t.Setenv("CI", ci)
			tb := &recordingTB{TB: t}
			if sp := loadSpec(tb, missing); sp != nil {
				t.Fatal("loadSpec returned a validator for a missing document")
			}
			if failed := tb.fatal != ""; failed != (ci == "true") {
				t.Errorf("failed=%v (%q), want a failure only in CI", failed, tb.fatal)
			}
			if ci == "true" && !strings.Contains(tb.fatal, "CI=true") {
				t.Errorf("the failure %q does not say why it is required", tb.fatal)
			}
		})
	}
}

// TestSpec_CompiledOnce checks that a route's body schema is compiled once
// and then reused.
func TestSpec_CompiledOnce(t *testing.T) {
	sp := loadSpec(t, "")
	if sp == nil {
		t.Skip("no OpenAPI document")
	}
	body := []byte(`{"content":"hi","allowed_mentions":{"parse":[]}}`)
	for range 3 {
		if e := sp.validate(t.Context(), "POST", "/channels/"+ChannelID+"/messages", "", body); e != nil {
			t.Fatalf("valid message refused: %s", e.reason())
		}
	}
	sp.mu.Lock()
	n := len(sp.bodies)
	first := sp.bodies["POST /channels/{channel_id}/messages"]
	sp.mu.Unlock()
	if first == nil {
		t.Fatalf("no compiled schema cached for the route (%d cached)", n)
	}
	if e := sp.validate(t.Context(), "POST", "/channels/"+ChannelID+"/messages", "", []byte(`{"content":"hi","tts":"yes"}`)); e == nil {
		t.Error("the cached schema accepted tts as a string")
	}
	sp.mu.Lock()
	again := sp.bodies["POST /channels/{channel_id}/messages"]
	sp.mu.Unlock()
	if again != first {
		t.Error("the schema was compiled again")
	}
}
