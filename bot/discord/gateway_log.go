package discord

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"

	"github.com/bwmarrin/discordgo"
)

// redacted replaces secrets in logs and errors.
const redacted = "[redacted]"

// redactor removes one secret from text. A zero redactor removes nothing.
type redactor struct{ secret string }

// clean returns s without the secret.
func (r redactor) clean(s string) string {
	if r.secret == "" {
		return s
	}
	return strings.ReplaceAll(s, r.secret, redacted)
}

// err wraps err so that its message never shows the secret; errors.Is and
// errors.As still see the original.
func (r redactor) err(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if clean := r.clean(msg); clean != msg {
		return &redactedError{msg: clean, err: err}
	}
	return err
}

// redactedError is an error whose message had a secret removed.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// redactHandler is a slog.Handler that removes a secret from every message
// and attribute before passing the record on, so that no code path (ours,
// discordgo's, an error's text) can print the bot token.
type redactHandler struct {
	next slog.Handler
	r    redactor
}

// newRedactingLogger returns log with every record scrubbed of secret.
func newRedactingLogger(log *slog.Logger, secret string) *slog.Logger {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if secret == "" {
		return log
	}
	return slog.New(&redactHandler{next: log.Handler(), r: redactor{secret}})
}

func (h *redactHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, l)
}

func (h *redactHandler) Handle(ctx context.Context, rec slog.Record) error {
	out := slog.NewRecord(rec.Time, rec.Level, h.r.clean(rec.Message), rec.PC)
	rec.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(h.attr(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

func (h *redactHandler) WithAttrs(as []slog.Attr) slog.Handler {
	clean := make([]slog.Attr, len(as))
	for i, a := range as {
		clean[i] = h.attr(a)
	}
	return &redactHandler{next: h.next.WithAttrs(clean), r: h.r}
}

func (h *redactHandler) WithGroup(name string) slog.Handler {
	return &redactHandler{next: h.next.WithGroup(name), r: h.r}
}

// attr scrubs one attribute; anything that is not a plain number, bool,
// time or duration is rendered to a string first, since an error or a
// struct could carry the secret.
func (h *redactHandler) attr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindGroup:
		as := v.Group()
		clean := make([]any, len(as))
		for i, g := range as {
			clean[i] = h.attr(g)
		}
		return slog.Group(a.Key, clean...)
	case slog.KindString:
		return slog.String(a.Key, h.r.clean(v.String()))
	case slog.KindAny:
		return slog.String(a.Key, h.r.clean(fmt.Sprint(v.Any())))
	}
	return slog.Attr{Key: a.Key, Value: v}
}

// discordgo logs through a package-level function. Gateways in one process
// (tests run several one after another) register their scrubbed logger
// here; discordgo's messages go to the most recent one still running, and
// to the default logger, still scrubbed of every registered token, when
// none is.
var dgLog struct {
	once    sync.Once
	mu      sync.Mutex
	loggers []*slog.Logger
	secrets []string
}

// attachDiscordgoLog routes discordgo's log lines to log until the returned
// function is called.
func attachDiscordgoLog(log *slog.Logger, secret string) (detach func()) {
	dgLog.once.Do(func() { discordgo.Logger = discordgoLog })
	dgLog.mu.Lock()
	dgLog.loggers = append(dgLog.loggers, log)
	dgLog.secrets = append(dgLog.secrets, secret)
	dgLog.mu.Unlock()
	return func() {
		dgLog.mu.Lock()
		defer dgLog.mu.Unlock()
		for i, l := range dgLog.loggers {
			if l == log {
				dgLog.loggers = append(dgLog.loggers[:i], dgLog.loggers[i+1:]...)
				break
			}
		}
		// The secret stays registered: a late line from a closing session
		// must still be scrubbed.
	}
}

// discordgoLog is discordgo's Logger: it maps discordgo's levels to slog's.
func discordgoLog(level, _ int, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	dgLog.mu.Lock()
	for _, s := range dgLog.secrets {
		msg = redactor{s}.clean(msg)
	}
	log := slog.Default()
	if n := len(dgLog.loggers); n > 0 {
		log = dgLog.loggers[n-1]
	}
	dgLog.mu.Unlock()
	msg = strings.TrimSpace(msg)
	switch level {
	case discordgo.LogError:
		log.Error(msg, "source", "discordgo")
	case discordgo.LogWarning:
		log.Warn(msg, "source", "discordgo")
	case discordgo.LogInformational:
		log.Info(msg, "source", "discordgo")
	default:
		log.Debug(msg, "source", "discordgo")
	}
}
