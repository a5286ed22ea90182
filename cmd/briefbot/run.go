package main

import (
	"context"
	"fmt"
	"time"

	"briefbot/bot/console"
	"briefbot/bot/discord"
	"briefbot/briefings"
	"briefbot/briefings/answer"
	"briefbot/briefings/article"
	"briefbot/commands"

	"github.com/bwmarrin/discordgo"
)

// router builds the command router over the opened library, with the
// moderators' commands, subscriptions and, when OPENAI_MODEL is set, the
// language model. files fetches attachments (/briefing import) the
// transport's own way.
func (m *Main) router(files commands.Attachments) (*commands.Router, error) {
	model, err := newModel(m.Config, m.Logger)
	if err != nil {
		return nil, fmt.Errorf("language model: %w", err)
	}
	embedder, err := newEmbedder(m.Config, m.Logger)
	if err != nil {
		return nil, err
	}
	return commands.New(m.DB, commands.Options{
		Logger:        m.Logger,
		OwnerIDs:      m.Config.OwnerIDs,
		Curator:       m.DB,
		Subscriptions: m.DB,
		Model:         model,
		Embedder:      embedder,
		Feedback:      m.DB,
		Attachments:   files,
		Articles:      m.articles(),
		Feeds:         m.DB,
		FeedsPerGuild: m.Config.FeedsPerGuild,
		PublicURL:     m.Config.PublicURL,
		Rooms:         m.DB,
		AnswerCache:   commands.DefaultAnswerCache,
	}), nil
}

// embedEvery is how often the library's new and edited records are
// embedded while the bot runs.
const embedEvery = time.Minute

// embedInBackground keeps the library's vectors current until ctx ends,
// when OPENAI_EMBEDDING_MODEL is set: the records added or edited since
// the last round are embedded every embedEvery.
func (m *Main) embedInBackground(ctx context.Context) {
	e, err := newEmbedder(m.Config, m.Logger)
	if err != nil || e == nil {
		return
	}
	ix := &answer.Indexer{Store: m.DB, Embedder: e, Logger: m.Logger}
	go ix.Run(ctx, embedEvery)
}

// articles is the fetcher of /briefing add url: and import --extract URL.
func (m *Main) articles() *article.Fetcher {
	if m.Config.FetchAllowLoopback && m.Logger != nil {
		m.Logger.Warn("BRIEFBOT_FETCH_ALLOW_LOOPBACK is set: articles may be fetched from this machine's loopback addresses; use it for tests only")
	}
	return article.New(article.Config{AllowLoopback: m.Config.FetchAllowLoopback})
}

// runConsole implements `briefbot console [--guild ID] [--user ID] [--moderator] [--timezone ZONE]`.
func (m *Main) runConsole(ctx context.Context, args []string) error {
	fs := m.subFlags("console", "[--guild ID] [--user ID] [--moderator] [--timezone ZONE]")
	guild := fs.String("guild", "", "run commands in this guild (default: a direct message; with --moderator, the console's own server)")
	user := fs.String("user", "", "the Discord user ID of the person typing")
	mod := fs.Bool("moderator", false, "give the person typing moderator permissions in the guild")
	zoneName := fs.String("timezone", "", "show times as Discord shows them to a reader in this IANA zone, e.g. Asia/Tokyo (default UTC)")
	if err := fs.Parse(args); err != nil {
		return usageErr(err)
	}
	var zone *time.Location
	if *zoneName != "" {
		z, err := briefings.LoadZone(*zoneName)
		if err != nil {
			return fmt.Errorf("--timezone: %s: %w", briefings.ErrorMessage(err), errUsage)
		}
		zone = z
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("console takes no arguments (got %q): %w", fs.Arg(0), errUsage)
	}
	if *mod && *guild == "" {
		*guild = console.ConsoleGuildID // moderators' commands need a server
	}
	if err := m.openDB(ctx); err != nil {
		return err
	}
	router, err := m.router(discord.LocalFiles{})
	if err != nil {
		return err
	}
	m.embedInBackground(ctx)
	c := console.New(router, console.Options{
		In:          m.Stdin,
		Out:         m.Stdout,
		Err:         m.Stderr,
		GuildID:     *guild,
		UserID:      *user,
		Moderator:   *mod,
		Interactive: m.StdinIsTerminal != nil && m.StdinIsTerminal(),
		Logger:      m.Logger,
		SaveDir:     m.saveDir(),
		Zone:        zone,
	})
	return c.Run(ctx)
}

// runGateway implements `briefbot run`: the bot on Discord's gateway. With
// BRIEFBOT_STATUS_ADDR set it also serves /healthz and /metrics there.
func (m *Main) runGateway(ctx context.Context, args []string) error {
	fs := m.subFlags("run", "")
	if err := fs.Parse(args); err != nil {
		return usageErr(err)
	}
	if m.Config.DiscordToken == "" {
		return fmt.Errorf("briefbot run needs DISCORD_TOKEN: create a bot in the Discord Developer Portal and set it (see README.md)")
	}
	if err := m.openDB(ctx); err != nil {
		return err
	}
	router, err := m.router(&discord.AttachmentFetcher{})
	if err != nil {
		return err
	}
	metrics := discord.NewMetrics()
	metrics.WatchAnswerCache(router.AnswerCacheCounts)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	m.embedInBackground(ctx)
	statusDone := make(chan error, 1)
	if addr := m.Config.StatusAddr; addr != "" {
		go func() { statusDone <- discord.ServeStatus(ctx, addr, metrics, m.DB.Ping, m.Logger) }()
	} else {
		statusDone <- nil
	}
	g := &discord.Gateway{
		Token:      m.Config.DiscordToken,
		AppID:      m.Config.DiscordAppID,
		GuildID:    m.Config.DiscordGuildID,
		ShardID:    m.Config.ShardID,
		ShardCount: m.Config.ShardCount,
		Router:     router,
		Logger:     m.Logger,
		Metrics:    metrics,
		Configure:  m.configureSession,
		DeferNow:   router.DeferNow,
	}
	schedDone, err := m.startScheduler(ctx, metrics)
	if err != nil {
		return fmt.Errorf("digest scheduler: %w", err)
	}
	feedsDone, err := m.startFeeds(ctx, router)
	if err != nil {
		return fmt.Errorf("feeds: %w", err)
	}
	webDone, err := m.startWeb(ctx)
	if err != nil {
		cancel()
		<-schedDone
		<-feedsDone
		<-statusDone
		return err
	}
	err = g.Run(ctx)
	cancel()
	<-schedDone
	<-feedsDone
	if werr := <-webDone; err == nil && werr != nil {
		err = werr
	}
	if serr := <-statusDone; err == nil && serr != nil {
		err = fmt.Errorf("status server: %w", serr)
	}
	return err
}

// runServe implements `briefbot serve`: signed HTTP interactions on
// BRIEFBOT_HTTP_ADDR, with /healthz and /metrics beside them.
func (m *Main) runServe(ctx context.Context, args []string) error {
	fs := m.subFlags("serve", "[--addr ADDR]")
	addr := fs.String("addr", m.Config.HTTPAddr, "where to listen (env BRIEFBOT_HTTP_ADDR)")
	if err := fs.Parse(args); err != nil {
		return usageErr(err)
	}
	if m.Config.DiscordPublicKey == "" {
		return fmt.Errorf("briefbot serve needs DISCORD_PUBLIC_KEY, the application's public key from the Discord Developer Portal (see README.md)")
	}
	key, err := discord.ParsePublicKey(m.Config.DiscordPublicKey)
	if err != nil {
		return fmt.Errorf("DISCORD_PUBLIC_KEY: %w", err)
	}
	if err := m.openDB(ctx); err != nil {
		return err
	}
	router, err := m.router(&discord.AttachmentFetcher{})
	if err != nil {
		return err
	}
	m.embedInBackground(ctx)
	if m.Config.DiscordToken != "" && m.Config.DiscordAppID != "" {
		n, err := discord.RegisterCommands(ctx, m.Config.DiscordToken, m.Config.DiscordAppID, m.Config.DiscordGuildID, router.Commands(), m.configureSession)
		if err != nil {
			return fmt.Errorf("register commands: %w", err)
		}
		m.Logger.Info("registered the slash commands", "count", n, "guild", m.Config.DiscordGuildID)
	} else {
		m.Logger.Info("not registering commands: set DISCORD_TOKEN and DISCORD_APP_ID to register them, or run `briefbot run` once")
	}
	metrics := discord.NewMetrics()
	metrics.WatchAnswerCache(router.AnswerCacheCounts)
	h := &discord.HTTPServer{
		PublicKey: key,
		AppID:     m.Config.DiscordAppID,
		Router:    router,
		Health:    m.DB.Ping,
		Logger:    m.Logger,
		Metrics:   metrics,
		DeferNow:  router.DeferNow,

		MaxConnections: m.Config.HTTPMaxConns,
	}
	if m.Config.DiscordAPIBase != "" {
		h.APIBase = m.Config.DiscordAPIBase + "/api/v10"
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	webDone, err := m.startWeb(ctx)
	if err != nil {
		return err
	}
	m.Logger.Info("serving HTTP interactions", "addr", *addr)
	err = h.Serve(ctx, *addr)
	cancel()
	if werr := <-webDone; err == nil && werr != nil {
		err = werr
	}
	return err
}

// configureSession points a Discord session at BRIEFBOT_DISCORD_API_BASE
// when it is set, so that no call (the token's included) goes to
// discord.com, and then applies ConfigureSession.
func (m *Main) configureSession(s *discordgo.Session) {
	if m.Config.DiscordAPIBase != "" {
		if err := discord.RedirectAPI(s, m.Config.DiscordAPIBase); err != nil {
			// LoadConfig checked the URL already.
			m.Logger.Error("could not point the Discord session at the API base", "err", err)
		}
	}
	if m.ConfigureSession != nil {
		m.ConfigureSession(s)
	}
}

// saveDir is the directory the console writes attached files into.
func (m *Main) saveDir() string {
	if m.SaveDir == "" {
		return "."
	}
	return m.SaveDir
}
