package discord

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

func TestRedactingLogger(t *testing.T) {
	t.Parallel()
	const secret = "tok-3b9e1f-very-secret"
	tests := []struct {
		name string
		log  func(l *slog.Logger)
	}{
		{"Message", func(l *slog.Logger) { l.Info("connecting with " + secret) }},
		{"String", func(l *slog.Logger) { l.Info("x", "token", secret) }},
		{"Error", func(l *slog.Logger) { l.Error("x", "err", fmt.Errorf("open: bad token %s", secret)) }},
		{"Group", func(l *slog.Logger) { l.Info("x", slog.Group("req", "auth", "Bot "+secret)) }},
		{"With", func(l *slog.Logger) { l.With("auth", "Bot "+secret).Info("x") }},
		{"WithGroup", func(l *slog.Logger) { l.WithGroup("g").Info("x", "v", secret) }},
		{"Struct", func(l *slog.Logger) { l.Info("x", "v", struct{ T string }{secret}) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			tt.log(newRedactingLogger(slog.New(slog.NewTextHandler(&buf, nil)), secret))
			out := buf.String()
			if strings.Contains(out, secret) {
				t.Fatalf("the log shows the secret: %s", out)
			}
			if !strings.Contains(out, redacted) {
				t.Fatalf("the log does not say what it removed: %s", out)
			}
		})
	}
}

func TestRedactorErr(t *testing.T) {
	t.Parallel()
	const secret = "tok-3b9e1f-very-secret"
	base := errors.New("refused " + secret)
	err := (redactor{secret}).err(fmt.Errorf("gateway: %w", base))
	if strings.Contains(err.Error(), secret) {
		t.Fatalf("the error shows the secret: %v", err)
	}
	if !errors.Is(err, base) {
		t.Fatal("the redacted error no longer wraps the original")
	}
	plain := errors.New("no secret here")
	if got := (redactor{secret}).err(plain); got != plain {
		t.Fatal("an error without the secret was rewrapped")
	}
}
