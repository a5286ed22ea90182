// Package llmtest is a fake OpenAI-compatible chat-completions server for
// tests: it answers POST /v1/chat/completions with scripted replies, plain
// or streamed as server-sent events, and POST /v1/embeddings with
// deterministic vectors, and records every request. The real
// go-openai client (through briefings/llm) runs against it over loopback.
package llmtest

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
)

// Reply is one scripted answer.
type Reply struct {
	// Status is the HTTP status; 0 means 200.
	Status int
	// Content is the assistant's text for a 200, or the error message
	// otherwise.
	Content string
	// Chunks, for a streamed request, are the pieces sent one event each;
	// empty means Content split after each space.
	Chunks []string
	// ChunkDelay is the pause before each chunk of a stream.
	ChunkDelay time.Duration
	// Delay is the pause before the answer starts, e.g. to outlast the
	// client's timeout.
	Delay time.Duration
	// RetryAfter, when set, is sent as the Retry-After header.
	RetryAfter string
}

// Request is one request the fake received.
type Request struct {
	// Body is the JSON body as sent.
	Body []byte
	// Fields is Body decoded.
	Fields map[string]any
	// Authorization is the header as sent.
	Authorization string
}

// Stream reports whether the request asked for a stream.
func (r Request) Stream() bool { b, _ := r.Fields["stream"].(bool); return b }

// Message returns the content of the request's message with the role.
func (r Request) Message(role string) string {
	msgs, _ := r.Fields["messages"].([]any)
	for _, m := range msgs {
		mm, _ := m.(map[string]any)
		if mm["role"] == role {
			s, _ := mm["content"].(string)
			return s
		}
	}
	return ""
}

// Server is the fake.
type Server struct {
	srv *httptest.Server

	mu       sync.Mutex
	replies  []Reply
	fallback *Reply
	requests []Request
	vectors  func(string) []float32
	embedded [][]string
}

// New starts a fake that is closed at the end of the test.
func New(tb testing.TB) *Server {
	s := &Server{}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	tb.Cleanup(s.srv.Close)
	return s
}

// URL is the API root to give the client, ending in /v1.
func (s *Server) URL() string { return s.srv.URL + "/v1" }

// Push queues replies, answered in order, one per request.
func (s *Server) Push(rs ...Reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.replies = append(s.replies, rs...)
}

// Always answers every request with r once the queue is empty.
func (s *Server) Always(r Reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fallback = &r
}

// Requests returns the requests so far, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// next takes the reply for a request.
func (s *Server) next(req Request) (Reply, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, req)
	if len(s.replies) > 0 {
		r := s.replies[0]
		s.replies = s.replies[1:]
		return r, true
	}
	if s.fallback != nil {
		return *s.fallback, true
	}
	return Reply{}, false
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost && r.URL.Path == "/v1/embeddings" {
		s.serveEmbeddings(w, r)
		return
	}
	if r.Method != http.MethodPost || r.URL.Path != "/v1/chat/completions" {
		writeError(w, http.StatusNotFound, "the fake serves POST /v1/chat/completions and /v1/embeddings only")
		return
	}
	body, _ := io.ReadAll(r.Body)
	req := Request{Body: body, Authorization: r.Header.Get("Authorization")}
	if err := json.Unmarshal(body, &req.Fields); err != nil {
		writeError(w, http.StatusBadRequest, "body is not JSON: "+err.Error())
		return
	}
	reply, ok := s.next(req)
	if !ok {
		writeError(w, http.StatusInternalServerError, "no scripted reply left")
		return
	}
	if !pause(r, reply.Delay) {
		return
	}
	if reply.RetryAfter != "" {
		w.Header().Set("Retry-After", reply.RetryAfter)
	}
	if reply.Status != 0 && reply.Status != http.StatusOK {
		writeError(w, reply.Status, reply.Content)
		return
	}
	model, _ := req.Fields["model"].(string)
	if !req.Stream() {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"id": "chatcmpl-fake", "object": "chat.completion", "created": 0, "model": model,
			"choices": []any{map[string]any{"index": 0, "finish_reason": "stop",
				"message": map[string]any{"role": "assistant", "content": reply.Content}}},
		})
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	flusher, _ := w.(http.Flusher)
	chunks := reply.Chunks
	if len(chunks) == 0 {
		chunks = strings.SplitAfter(reply.Content, " ")
	}
	for _, c := range chunks {
		if !pause(r, reply.ChunkDelay) {
			return
		}
		data, _ := json.Marshal(map[string]any{
			"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 0, "model": model,
			"choices": []any{map[string]any{"index": 0, "delta": map[string]any{"content": c}, "finish_reason": nil}},
		})
		fmt.Fprintf(w, "data: %s\n\n", data)
		if flusher != nil {
			flusher.Flush()
		}
	}
	fmt.Fprint(w, "data: [DONE]\n\n")
}

// EmbeddingDims is the length of the fake's vectors.
const EmbeddingDims = 64

// SetVectors replaces how the fake turns a text into a vector (by default
// WordVector), for tests that need some texts near each other.
func (s *Server) SetVectors(f func(text string) []float32) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.vectors = f
}

// EmbeddingRequests returns the texts of every /embeddings request so far.
func (s *Server) EmbeddingRequests() [][]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([][]string(nil), s.embedded...)
}

// WordVector is a deterministic vector of a text: each lowercase word adds
// one to a dimension chosen by its hash, so texts sharing words are near.
func WordVector(text string) []float32 {
	v := make([]float32, EmbeddingDims)
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		h := fnv.New32a()
		h.Write([]byte(w))
		v[h.Sum32()%EmbeddingDims]++
	}
	return v
}

// serveEmbeddings answers POST /v1/embeddings with a vector per input.
func (s *Server) serveEmbeddings(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Input []string `json:"input"`
		Model string   `json:"model"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, "body is not an embeddings request: "+err.Error())
		return
	}
	if len(req.Input) == 0 || req.Model == "" {
		writeError(w, http.StatusBadRequest, "input and model are required")
		return
	}
	s.mu.Lock()
	s.embedded = append(s.embedded, req.Input)
	f := s.vectors
	s.mu.Unlock()
	if f == nil {
		f = WordVector
	}
	data := make([]any, len(req.Input))
	for i, t := range req.Input {
		data[i] = map[string]any{"object": "embedding", "index": i, "embedding": f(t)}
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"object": "list", "data": data, "model": req.Model,
		"usage": map[string]any{"prompt_tokens": 0, "total_tokens": 0}})
}

// pause waits d unless the client goes away first.
func pause(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// writeError answers in OpenAI's error shape.
func writeError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"message": msg, "type": "fake_error"}})
}
