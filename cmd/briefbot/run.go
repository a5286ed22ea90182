package main

import (
	"context"
	"fmt"

	"briefbot/bot"
	"briefbot/commands"
)

// router builds the command router over the opened library.
func (m *Main) router() *commands.Router {
	return commands.New(m.DB, commands.Options{Logger: m.Logger})
}

// runConsole implements `briefbot console [--guild ID] [--user ID] [--moderator]`.
func (m *Main) runConsole(ctx context.Context, args []string) error {
	fs := m.subFlags("console", "[--guild ID] [--user ID] [--moderator]")
	guild := fs.String("guild", "", "run commands in this guild (default: a direct message)")
	user := fs.String("user", "", "the Discord user ID of the person typing")
	mod := fs.Bool("moderator", false, "give the person typing moderator permissions")
	if err := fs.Parse(args); err != nil {
		return usageErr(err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("console takes no arguments (got %q): %w", fs.Arg(0), errUsage)
	}
	if err := m.openDB(ctx); err != nil {
		return err
	}
	c := bot.NewConsole(m.router(), bot.ConsoleOptions{
		In:          m.Stdin,
		Out:         m.Stdout,
		Err:         m.Stderr,
		GuildID:     *guild,
		UserID:      *user,
		Moderator:   *mod,
		Interactive: m.StdinIsTerminal != nil && m.StdinIsTerminal(),
		Logger:      m.Logger,
	})
	return c.Run(ctx)
}

// runGateway implements `briefbot run`.
func (m *Main) runGateway(ctx context.Context, args []string) error {
	return fmt.Errorf("the Discord gateway runtime is not available in this build yet")
}
