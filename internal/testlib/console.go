package testlib

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"briefbot/bot/console"
	"briefbot/commands"
	"briefbot/db"
)

// CurateRouter is the real router with moderation on, over the sample
// library (OpenLibrary) with the clock at ConsoleNow; files reads the
// attachments.
func CurateRouter(tb testing.TB, files commands.Attachments) (*commands.Router, *db.DB) {
	tb.Helper()
	return curateRouter(OpenLibrary(tb), files)
}

// curateRouter is CurateRouter over lib.
func curateRouter(lib *db.DB, files commands.Attachments) (*commands.Router, *db.DB) {
	lib.Now = func() time.Time { return ConsoleNow }
	return commands.New(lib, commands.Options{
		Now: func() time.Time { return ConsoleNow }, Curator: lib, OwnerIDs: []string{OwnerUser}, Attachments: files,
	}), lib
}

// AuditCount is how many writes the guild's audit log holds.
func AuditCount(tb testing.TB, lib *db.DB, guild string) int {
	tb.Helper()
	es, err := lib.AuditLog(context.Background(), guild, 1000)
	if err != nil {
		tb.Fatal(err)
	}
	return len(es)
}

// ConsoleUser is one person at a console, whose output the test reads line
// by line.
type ConsoleUser struct {
	// C is the person's console.
	C   *console.Console
	out *bytes.Buffer
}

// NewConsoleUser opens a console on router for user in guild, with the
// clock at ConsoleNow.
func NewConsoleUser(router *commands.Router, guild, user string, moderator bool) *ConsoleUser {
	var out bytes.Buffer
	c := console.New(router, console.Options{GuildID: guild, UserID: user, Moderator: moderator,
		Out: &out, Err: &out, Now: func() time.Time { return ConsoleNow }})
	return &ConsoleUser{C: c, out: &out}
}

// Run types the lines and returns what the console wrote for them.
func (u *ConsoleUser) Run(lines ...string) string {
	u.out.Reset()
	for _, l := range lines {
		u.C.Exec(context.Background(), l)
	}
	return u.out.String()
}

// RunScript pipes script into a console and returns everything it wrote,
// errors included, in order.
func RunScript(tb testing.TB, router *commands.Router, opts console.Options, script string) string {
	tb.Helper()
	var out bytes.Buffer
	opts.In = strings.NewReader(script)
	opts.Out, opts.Err = &out, &out
	opts.Now = func() time.Time { return ConsoleNow }
	if err := console.New(router, opts).Run(context.Background()); err != nil {
		tb.Fatalf("Run returned %v at the end of the script, want nil", err)
	}
	return out.String()
}

// TranscriptSections maps each echoed line of a console transcript to the
// output that follows it.
func TranscriptSections(transcript string) map[string]string {
	out := map[string]string{}
	var cur string
	for _, l := range strings.SplitAfter(transcript, "\n") {
		if strings.HasPrefix(l, "> ") {
			cur = strings.TrimSpace(l[2:])
			continue
		}
		out[cur] += l
	}
	return out
}
