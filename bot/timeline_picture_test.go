package bot_test

import (
	"bytes"
	"context"
	"image/png"
	"net/http"
	"slices"
	"testing"
	"time"

	"briefbot/bot/discord"
	"briefbot/bot/discordtest"
	"briefbot/commands"

	"github.com/bwmarrin/discordgo"
)

// TestTimeline_PictureReachesDiscord runs /timeline through the real
// discordgo client against the fake Discord, over the gateway and over
// HTTP interactions: the picture is uploaded as a PNG file part beside
// payload_json, the finished message carries it as an attachment, and the
// embed shows it.
func TestTimeline_PictureReachesDiscord(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	router := newRouter(t)
	trs := transports(t, fake, router)
	// A gateway that answers at once sends the picture with the first
	// response rather than in the edit of a deferral.
	rg := startGateway(t, fake, &discord.Gateway{Router: router, DeferAfter: 10 * time.Second})
	trs = append(trs, transport{"GatewayAtOnce", rg.ask})
	// A slow gateway defers, so the picture goes with the edit.
	slow := startGateway(t, fake, &discord.Gateway{DeferAfter: 20 * time.Millisecond, Router: hookedRouter{Router: router,
		before: func(*discordgo.Interaction) { time.Sleep(100 * time.Millisecond) }}})
	trs = append(trs, transport{"GatewaySlow", slow.ask})
	for _, tr := range trs {
		for _, tc := range []struct {
			name  string
			i     *discordgo.Interaction
			fault string // a request that fails once with 500
		}{
			{"all", discordtest.Command("timeline"), ""},
			{"topic", discordtest.Command("timeline", discordtest.String("topic", "Alaska summit")), ""},
			{"edit fails once", discordtest.Command("timeline", discordtest.String("actor", "Vladimir Putin")), "PATCH /webhooks/*/*/messages/@original"},
		} {
			if (tc.fault != "") != (tr.name == "GatewaySlow") {
				continue
			}
			t.Run(tr.name+"/"+tc.name, func(t *testing.T) {
				before := len(fake.Requests())
				if tc.fault != "" {
					fake.FailNext(tc.fault, 1, http.StatusInternalServerError)
				}
				id, _ := tr.ask(t, tc.i)
				ctx, cancel := context.WithTimeout(context.Background(), wait)
				defer cancel()
				m, err := fake.AwaitOriginal(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				if len(m.Attachments) != 1 || m.Attachments[0].Filename != commands.TimelineFile || m.Attachments[0].ContentType != "image/png" {
					t.Fatalf("the timeline message has attachments %+v, want %s as image/png", m.Attachments, commands.TimelineFile)
				}
				if len(m.Embeds) != 1 || m.Embeds[0].Image == nil || m.Embeds[0].Image.URL != "attachment://"+commands.TimelineFile {
					t.Errorf("the embed does not show the picture: %+v", m.Embeds)
				}
				if m.Flags&discordgo.MessageFlagsEphemeral != 0 {
					t.Error("the timeline went to the asker only; it is for the channel")
				}
				var upload *discordtest.Request
				for _, r := range fake.Requests()[before:] {
					if len(r.Files) > 0 && r.Status < 300 {
						upload = &r
					}
				}
				if tc.fault != "" && !slices.ContainsFunc(fake.Requests()[before:], func(r discordtest.Request) bool { return r.Status == http.StatusInternalServerError }) {
					t.Fatalf("the fault on %s never happened", tc.fault)
				}
				if upload == nil {
					t.Fatal("no request uploaded the picture")
				}
				f := upload.Files[0]
				if f.Field != "files[0]" || len(upload.Body) == 0 {
					t.Errorf("upload field %q with payload_json %d bytes; want files[0] beside the JSON", f.Field, len(upload.Body))
				}
				cfg, err := png.DecodeConfig(bytes.NewReader(f.Data))
				if err != nil {
					t.Fatalf("the uploaded %s is not a PNG: %v", f.Name, err)
				}
				if cfg.Width < 1200 {
					t.Errorf("the picture is %d px wide, want at least 1,200", cfg.Width)
				}
			})
		}
	}
	fake.RequireNoViolations(t)
}
