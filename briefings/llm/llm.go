// Package llm adapts any OpenAI-compatible chat-completions server (OpenAI,
// Ollama, vLLM, llama.cpp) to briefings.Model through go-openai, adding what
// go-openai's default client lacks: a timeout, retries where they are safe,
// and a temperature of 0 that actually reaches the server.
package llm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"briefbot/briefings"

	openai "github.com/sashabaranov/go-openai"
)

// Defaults of Config.
const (
	DefaultTimeout = 60 * time.Second
	DefaultRetries = 2
	DefaultBackoff = 500 * time.Millisecond
	// maxRetryAfter caps how long a server's Retry-After can make us wait.
	maxRetryAfter = 10 * time.Second
)

// The ways of asking for JSON, for servers that lack structured outputs.
const (
	// FormatJSONSchema sends response_format {"type":"json_schema"} with
	// the schema, strict (OpenAI, vLLM, llama.cpp, recent Ollama).
	FormatJSONSchema = "json_schema"
	// FormatJSONObject sends {"type":"json_object"} (JSON mode) and relies
	// on the prompt and the checks for the shape.
	FormatJSONObject = "json_object"
	// FormatNone asks for nothing and relies on the prompt alone.
	FormatNone = "none"
)

// Config configures a Client.
type Config struct {
	// BaseURL is the server's API root, e.g. https://api.openai.com/v1 or
	// http://localhost:11434/v1; empty means OpenAI's.
	BaseURL string
	// APIKey is sent as a bearer token; local servers accept any value.
	APIKey string
	// Model names the model, e.g. gpt-4o-mini or llama3.1.
	Model string
	// Timeout bounds one attempt, streaming included; 0 means
	// DefaultTimeout.
	Timeout time.Duration
	// Retries is how many times an attempt that met 429, a 5xx or a timeout
	// before any reply is repeated; 0 means DefaultRetries, negative none.
	Retries int
	// Backoff is the wait before the first retry, doubled after each; 0
	// means DefaultBackoff. A Retry-After header wins when it says more.
	Backoff time.Duration
	// Temperature is sent as given, 0 included; 0 is the default because
	// grounded answers and extraction want the likeliest text.
	Temperature float32
	// JSONFormat is FormatJSONSchema (the default), FormatJSONObject or
	// FormatNone.
	JSONFormat string
	// Transport carries the requests; nil means http.DefaultTransport.
	Transport http.RoundTripper
	// Logger receives retries; nil discards them.
	Logger *slog.Logger
}

// Client is a briefings.Model over an OpenAI-compatible server.
type Client struct {
	api *openai.Client
	cfg Config
}

// New returns a Client. It contacts nothing until the first completion.
func New(cfg Config) (*Client, error) {
	if strings.TrimSpace(cfg.Model) == "" {
		return nil, errors.New("llm: no model name; set OPENAI_MODEL")
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	switch {
	case cfg.Retries == 0:
		cfg.Retries = DefaultRetries
	case cfg.Retries < 0:
		cfg.Retries = 0
	}
	if cfg.Backoff <= 0 {
		cfg.Backoff = DefaultBackoff
	}
	switch cfg.JSONFormat {
	case "":
		cfg.JSONFormat = FormatJSONSchema
	case FormatJSONSchema, FormatJSONObject, FormatNone:
	default:
		return nil, fmt.Errorf("llm: JSON format %q is not one of json_schema, json_object, none", cfg.JSONFormat)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Transport == nil {
		cfg.Transport = http.DefaultTransport
	}
	oc := openai.DefaultConfig(cfg.APIKey)
	if cfg.BaseURL != "" {
		oc.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	}
	oc.HTTPClient = &doer{
		client:      &http.Client{Timeout: cfg.Timeout, Transport: cfg.Transport},
		retries:     cfg.Retries,
		backoff:     cfg.Backoff,
		temperature: cfg.Temperature,
		log:         cfg.Logger,
	}
	return &Client{api: openai.NewClientWithConfig(oc), cfg: cfg}, nil
}

// Name returns the model's name.
func (c *Client) Name() string { return c.cfg.Model }

// Complete runs one chat completion, streamed when p.OnText is set. A
// streamed reply is never retried once it has started: the user may have
// seen part of it.
func (c *Client) Complete(ctx context.Context, p briefings.Prompt) (string, error) {
	req := c.request(p)
	if p.OnText == nil {
		resp, err := c.api.CreateChatCompletion(ctx, req)
		if err != nil {
			return "", c.wrap(err)
		}
		if len(resp.Choices) == 0 {
			return "", errors.New("llm: the reply has no choices")
		}
		return resp.Choices[0].Message.Content, nil
	}
	stream, err := c.api.CreateChatCompletionStream(ctx, req)
	if err != nil {
		return "", c.wrap(err)
	}
	defer stream.Close()
	var text strings.Builder
	for {
		chunk, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return text.String(), nil
		}
		if err != nil {
			return text.String(), c.wrap(fmt.Errorf("stream: %w", err))
		}
		if len(chunk.Choices) == 0 || chunk.Choices[0].Delta.Content == "" {
			continue
		}
		text.WriteString(chunk.Choices[0].Delta.Content)
		p.OnText(text.String())
	}
}

// request builds the chat-completions request.
func (c *Client) request(p briefings.Prompt) openai.ChatCompletionRequest {
	req := openai.ChatCompletionRequest{
		Model: c.cfg.Model,
		Messages: []openai.ChatCompletionMessage{
			{Role: openai.ChatMessageRoleSystem, Content: p.System},
			{Role: openai.ChatMessageRoleUser, Content: p.User},
		},
		// 0 is dropped by omitempty here; the doer writes it back.
		Temperature: c.cfg.Temperature,
	}
	if p.MaxTokens > 0 {
		if reasoningModel(c.cfg.Model) {
			req.MaxCompletionTokens = p.MaxTokens
		} else {
			//lint:ignore SA1019 OpenAI-compatible servers (Ollama, vLLM) and older chat models read max_tokens only.
			req.MaxTokens = p.MaxTokens
		}
	}
	if len(p.Schema) > 0 {
		switch c.cfg.JSONFormat {
		case FormatJSONSchema:
			name := p.SchemaName
			if name == "" {
				name = "reply"
			}
			req.ResponseFormat = &openai.ChatCompletionResponseFormat{
				Type:       openai.ChatCompletionResponseFormatTypeJSONSchema,
				JSONSchema: &openai.ChatCompletionResponseFormatJSONSchema{Name: name, Schema: json.RawMessage(p.Schema), Strict: true},
			}
		case FormatJSONObject:
			req.ResponseFormat = &openai.ChatCompletionResponseFormat{Type: openai.ChatCompletionResponseFormatTypeJSONObject}
		}
	}
	return req
}

// reasoningModel reports whether the model takes max_completion_tokens
// and refuses max_tokens (OpenAI's o-series and gpt-5).
func reasoningModel(name string) bool {
	n := strings.ToLower(name)
	return strings.HasPrefix(n, "o1") || strings.HasPrefix(n, "o3") || strings.HasPrefix(n, "o4") || strings.HasPrefix(n, "gpt-5")
}

// wrap gives an error its context and marks timeouts with
// briefings.ErrModelTimeout.
func (c *Client) wrap(err error) error {
	if timeout(err) {
		return fmt.Errorf("llm %s: %w: %v", c.cfg.Model, briefings.ErrModelTimeout, err)
	}
	var apiErr *openai.APIError
	if errors.As(err, &apiErr) {
		return fmt.Errorf("llm %s: the server answered %d: %s", c.cfg.Model, apiErr.HTTPStatusCode, apiErr.Message)
	}
	var reqErr *openai.RequestError
	if errors.As(err, &reqErr) {
		return fmt.Errorf("llm %s: the server answered %d: %w", c.cfg.Model, reqErr.HTTPStatusCode, reqErr.Err)
	}
	return fmt.Errorf("llm %s: %w", c.cfg.Model, err)
}

// timeout reports whether err is a deadline or a network timeout.
func timeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}
