package llm_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"briefbot/briefings"
	"briefbot/briefings/llm"
	"briefbot/briefings/llm/llmtest"
)

// newClient returns a client of the fake with short waits.
func newClient(t *testing.T, fake *llmtest.Server, edit func(*llm.Config)) *llm.Client {
	t.Helper()
	cfg := llm.Config{BaseURL: fake.URL(), APIKey: "test-key", Model: "test-model", Timeout: 2 * time.Second, Backoff: time.Millisecond}
	if edit != nil {
		edit(&cfg)
	}
	c, err := llm.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestClient_Complete(t *testing.T) {
	t.Run("SendsTemperatureZero", func(t *testing.T) {
		fake := llmtest.New(t)
		fake.Push(llmtest.Reply{Content: "Hello [1]."})
		got, err := newClient(t, fake, nil).Complete(context.Background(), briefings.Prompt{System: "sys", User: "usr"})
		if err != nil {
			t.Fatal(err)
		}
		if got != "Hello [1]." {
			t.Fatalf("reply %q", got)
		}
		req := fake.Requests()[0]
		temp, ok := req.Fields["temperature"]
		if !ok {
			t.Fatalf("no temperature in %s", req.Body)
		}
		if temp != float64(0) {
			t.Fatalf("temperature %v, want 0", temp)
		}
		if req.Message("system") != "sys" || req.Message("user") != "usr" {
			t.Fatalf("messages %s", req.Body)
		}
		if req.Authorization != "Bearer test-key" {
			t.Fatalf("authorization %q", req.Authorization)
		}
	})
	t.Run("KeepsANonZeroTemperature", func(t *testing.T) {
		fake := llmtest.New(t)
		fake.Push(llmtest.Reply{Content: "x"})
		c := newClient(t, fake, func(c *llm.Config) { c.Temperature = 0.5 })
		if _, err := c.Complete(context.Background(), briefings.Prompt{User: "u"}); err != nil {
			t.Fatal(err)
		}
		if got := fake.Requests()[0].Fields["temperature"]; got != 0.5 {
			t.Fatalf("temperature %v, want 0.5", got)
		}
	})
	t.Run("AsksForStructuredOutput", func(t *testing.T) {
		fake := llmtest.New(t)
		fake.Push(llmtest.Reply{Content: "{}"})
		p := briefings.Prompt{User: "u", Schema: briefings.ExtractSchema(), SchemaName: "briefing_draft"}
		if _, err := newClient(t, fake, nil).Complete(context.Background(), p); err != nil {
			t.Fatal(err)
		}
		rf, _ := fake.Requests()[0].Fields["response_format"].(map[string]any)
		js, _ := rf["json_schema"].(map[string]any)
		if rf["type"] != "json_schema" || js["name"] != "briefing_draft" || js["strict"] != true || js["schema"] == nil {
			t.Fatalf("response_format %v", rf)
		}
	})
	t.Run("RetriesA429AndA500", func(t *testing.T) {
		fake := llmtest.New(t)
		fake.Push(llmtest.Reply{Status: 429, Content: "slow down", RetryAfter: "0"},
			llmtest.Reply{Status: 500, Content: "boom"},
			llmtest.Reply{Content: "fine"})
		got, err := newClient(t, fake, nil).Complete(context.Background(), briefings.Prompt{User: "u"})
		if err != nil || got != "fine" {
			t.Fatalf("got %q, %v", got, err)
		}
		if n := len(fake.Requests()); n != 3 {
			t.Fatalf("%d requests, want 3", n)
		}
	})
	t.Run("GivesUpAfterTheRetries", func(t *testing.T) {
		fake := llmtest.New(t)
		fake.Always(llmtest.Reply{Status: 503, Content: "overloaded"})
		_, err := newClient(t, fake, nil).Complete(context.Background(), briefings.Prompt{User: "u"})
		if err == nil || !strings.Contains(err.Error(), "503") {
			t.Fatalf("err %v, want one naming 503", err)
		}
		if n := len(fake.Requests()); n != 1+llm.DefaultRetries {
			t.Fatalf("%d requests, want %d", n, 1+llm.DefaultRetries)
		}
	})
	t.Run("DoesNotRetryA400", func(t *testing.T) {
		fake := llmtest.New(t)
		fake.Always(llmtest.Reply{Status: http.StatusBadRequest, Content: "bad schema"})
		if _, err := newClient(t, fake, nil).Complete(context.Background(), briefings.Prompt{User: "u"}); err == nil {
			t.Fatal("no error")
		}
		if n := len(fake.Requests()); n != 1 {
			t.Fatalf("%d requests, want 1", n)
		}
	})
	t.Run("TimeoutIsRetriedThenReported", func(t *testing.T) {
		fake := llmtest.New(t)
		fake.Always(llmtest.Reply{Content: "late", Delay: 2 * time.Second})
		c := newClient(t, fake, func(c *llm.Config) { c.Timeout = 50 * time.Millisecond; c.Retries = 1 })
		_, err := c.Complete(context.Background(), briefings.Prompt{User: "u"})
		if !errors.Is(err, briefings.ErrModelTimeout) {
			t.Fatalf("err %v, want ErrModelTimeout", err)
		}
		if n := len(fake.Requests()); n != 2 {
			t.Fatalf("%d requests, want 2", n)
		}
	})
	t.Run("Streams", func(t *testing.T) {
		fake := llmtest.New(t)
		fake.Push(llmtest.Reply{Chunks: []string{"One ", "two ", "three."}})
		var seen []string
		got, err := newClient(t, fake, nil).Complete(context.Background(), briefings.Prompt{User: "u", OnText: func(s string) { seen = append(seen, s) }})
		if err != nil || got != "One two three." {
			t.Fatalf("got %q, %v", got, err)
		}
		if want := []string{"One ", "One two ", "One two three."}; strings.Join(seen, "|") != strings.Join(want, "|") {
			t.Fatalf("streamed %q, want %q", seen, want)
		}
		if !fake.Requests()[0].Stream() {
			t.Fatal("the request did not ask for a stream")
		}
	})
	t.Run("AStreamThatStartedIsNotRetried", func(t *testing.T) {
		fake := llmtest.New(t)
		fake.Always(llmtest.Reply{Chunks: []string{"Part ", "never ", "ends."}, ChunkDelay: 400 * time.Millisecond})
		c := newClient(t, fake, func(c *llm.Config) { c.Timeout = 600 * time.Millisecond })
		got, err := c.Complete(context.Background(), briefings.Prompt{User: "u", OnText: func(string) {}})
		if err == nil {
			t.Fatalf("no error; got %q", got)
		}
		if got != "Part " {
			t.Fatalf("partial text %q, want %q", got, "Part ")
		}
		if n := len(fake.Requests()); n != 1 {
			t.Fatalf("%d requests, want 1", n)
		}
	})
}

func TestNew_NeedsAModel(t *testing.T) {
	if _, err := llm.New(llm.Config{}); err == nil {
		t.Fatal("no error without a model")
	}
	if _, err := llm.New(llm.Config{Model: "m", JSONFormat: "xml"}); err == nil {
		t.Fatal("no error for an unknown JSON format")
	}
}
