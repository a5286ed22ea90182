package commands_test

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"briefbot/briefings"
	"briefbot/commands"
	"briefbot/db"

	"github.com/bwmarrin/discordgo"
)

// The cross-server probe of topics: g2 (the owner) has a private topic, and
// a member or moderator of g1 (the prober), or someone in direct messages,
// types its slug, name, alias or the start of them into every command and
// autocomplete that takes a topic. Each answer must be byte for byte the
// answer to a topic that exists nowhere, typed the same way, once the typed
// text itself is blanked. g1 also has a topic only a draft is on, which its
// own members must not be able to tell from a topic that does not exist.

// probePair is what the prober types and a text of the same form that
// names nothing.
type probePair struct {
	kind          string
	secret, decoy string
}

var (
	// g2's private topic, by what can be typed.
	privateSlug   = probePair{"slug", "project-falcon-layoffs", "project-osprey-layoffs"}
	privateName   = probePair{"name", "Project Falcon Layoffs", "Project Osprey Layoffs"}
	privateAlias  = probePair{"alias", "Operation Kestrel", "Operation Bittern"}
	privatePrefix = probePair{"prefix", "falc", "ospr"}
	// g1's topic only a draft is on.
	draftSlug = probePair{"draft slug", "heron-review", "egret-review"}
	draftName = probePair{"draft name", "Heron Review", "Egret Review"}
	// A topic that looks like g2's, written with a Cyrillic "а", and one
	// that looks like nothing.
	privateLookalike = probePair{"look-alike", "Project F\u0430lcon Layoffs", "Project Ospr\u0435y Layoffs"}
)

// probeSecrets are words of g2's private topic the prober must never read.
var probeSecrets = []string{"falcon", "kestrel"}

// probeWorld builds the library the probes run against and returns a
// copy of its file, which each probe opens afresh.
func probeWorld(t *testing.T) []byte {
	t.Helper()
	ctx := context.Background()
	lib := openLibrary(t)
	falcon := &briefings.Briefing{Slug: "falcon-layoffs-announced", Title: "Layoffs announced at the plant",
		Summary:   "The plant cuts 400 jobs under Project Falcon, known inside as Operation Kestrel.",
		Published: briefings.DayOf(2025, 8, 25), Topics: []string{"Project Falcon Layoffs"}, Status: briefings.StatusPublished,
		Events: []briefings.Event{{Name: "Plant town hall", Date: briefings.DayOf(2025, 9, 3)}},
		Facts:  []briefings.Fact{{Text: "The first notices go out on 3 September.", Attribution: "plant manager", Event: "Plant town hall"}}}
	if _, err := lib.SaveBriefings(ctx, otherGuild, []*briefings.Briefing{falcon}, "test"); err != nil {
		t.Fatal(err)
	}
	if err := lib.SaveTopic(ctx, otherGuild, briefings.Topic{Slug: "project-falcon-layoffs", Name: "Project Falcon Layoffs", Aliases: []string{"Operation Kestrel"}}); err != nil {
		t.Fatal(err)
	}
	// g2's own member u2 follows the topic by DM.
	if _, _, err := lib.SaveSubscription(ctx, &briefings.Subscription{GuildID: otherGuild, UserID: "u2", DM: true, Topic: "project-falcon-layoffs",
		Zone: "UTC", Days: briefings.DaysDaily}, clock); err != nil {
		t.Fatal(err)
	}
	heron := &briefings.Briefing{Slug: "heron-plans", Title: "Heron plans", Summary: "A plan not yet published.",
		Published: briefings.DayOf(2025, 8, 26), Topics: []string{"Heron Review"}, Status: briefings.StatusDraft}
	if _, err := lib.SaveBriefings(ctx, guild, []*briefings.Briefing{heron}, "test"); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "probe-world.db")
	if err := lib.Backup(ctx, path, db.BackupOptions{}); err != nil {
		t.Fatal(err)
	}
	world, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return world
}

// probeCase is a command or autocomplete a prober sends with a typed text.
type probeCase struct {
	name string
	// build makes the interaction in g1 as a member (u1, channel c1).
	build func(text string) *discordgo.Interaction
	// pairs are the texts tried.
	pairs []probePair
	// ownerSees says that g2's own member gets a different answer for the
	// secret than for the decoy: the probe would notice a leak.
	ownerSees bool
	// blind are the kinds of text whose answer does not depend on the
	// topic even for its owner.
	blind []string
}

// Who sends a probe.
func asMember(i *discordgo.Interaction) *discordgo.Interaction {
	i.ChannelID = "c1"
	i.Member = &discordgo.Member{User: &discordgo.User{ID: "u1"}, Permissions: discordgo.PermissionSendMessages}
	return i
}

func asManager(i *discordgo.Interaction) *discordgo.Interaction {
	asMember(i).Member.Permissions |= discordgo.PermissionManageChannels
	return i
}

func asProbeModerator(i *discordgo.Interaction) *discordgo.Interaction {
	asMember(i).Member.Permissions |= modPerms
	return i
}

// probeCases are every command, button, form and autocomplete that reads a
// topic typed by a user.
func probeCases() []probeCase {
	private := []probePair{privateSlug, privateName, privateAlias}
	typed := slices.Concat(private, []probePair{draftSlug, draftName})
	prefixes := slices.Concat(typed, []probePair{privatePrefix})
	cmd := func(name string, opts ...*discordgo.ApplicationCommandInteractionDataOption) *discordgo.Interaction {
		return asMember(command(name, opts...))
	}
	complete := func(name string, opts ...*discordgo.ApplicationCommandInteractionDataOption) *discordgo.Interaction {
		return asMember(autocomplete(name, opts...))
	}
	return []probeCase{
		{"brief", func(s string) *discordgo.Interaction { return cmd("brief", opt("topic", s)) }, typed, true, nil},
		{"timeline topic", func(s string) *discordgo.Interaction { return cmd("timeline", opt("topic", s)) }, typed, true, nil},
		{"timeline topic and actor", func(s string) *discordgo.Interaction {
			return cmd("timeline", opt("topic", s), opt("actor", "Kim Jong Un"))
		}, typed, true, nil},
		{"subscribe by DM", func(s string) *discordgo.Interaction { return cmd("subscribe", opt("topic", s), boolOpt("dm", true)) }, typed, true, nil},
		{"subscribe channel", func(s string) *discordgo.Interaction { return asManager(command("subscribe", opt("topic", s))) }, typed, true, nil},
		{"digest", func(s string) *discordgo.Interaction { return cmd("digest", opt("topic", s)) }, typed, true, nil},
		// A subscription is picked by its topic's name or slug, not an alias.
		{"unsubscribe", func(s string) *discordgo.Interaction { return cmd("unsubscribe", opt("subscription", s)) }, typed, true, []string{"alias"}},
		{"search", func(s string) *discordgo.Interaction { return cmd("search", opt("query", s)) }, typed, true, nil},
		{"ask", func(s string) *discordgo.Interaction { return cmd("ask", opt("question", "What happened with "+s+"?")) }, typed, false, nil},
		{"brief page button", func(s string) *discordgo.Interaction { return asMember(button("brief:" + s + ":0")) }, []probePair{privateSlug, draftSlug}, true, nil},
		{"topic suggestion button", func(s string) *discordgo.Interaction { return asMember(button("topic:" + s)) }, typed, true, nil},
		{"complete brief topic", func(s string) *discordgo.Interaction { return complete("brief", focused("topic", s)) }, prefixes, true, nil},
		{"complete timeline topic", func(s string) *discordgo.Interaction {
			return complete("timeline", opt("actor", ""), focused("topic", s))
		}, prefixes, true, nil},
		{"complete subscribe topic", func(s string) *discordgo.Interaction { return complete("subscribe", focused("topic", s)) }, prefixes, true, nil},
		{"complete digest topic", func(s string) *discordgo.Interaction { return complete("digest", focused("topic", s)) }, prefixes, true, nil},
		// Subscriptions are completed by the words of their labels.
		{"complete unsubscribe", func(s string) *discordgo.Interaction {
			return complete("unsubscribe", focused("subscription", s))
		}, prefixes, true, []string{"slug", "alias"}},
		// Moderators' commands.
		{"briefing export", func(s string) *discordgo.Interaction {
			return asProbeModerator(command("briefing", sub("export", opt("topic", s))))
		}, typed, true, nil},
		{"complete briefing export topic", func(s string) *discordgo.Interaction {
			return asProbeModerator(autocomplete("briefing", sub("export", focused("topic", s))))
		}, prefixes, true, nil},
		// A feed's topic is kept as typed and read when its drafts are
		// saved, as the add form's is.
		{"feed add", func(s string) *discordgo.Interaction {
			return asProbeModerator(command("feed", sub("add", opt("url", "https://example.com/plant.xml"), opt("topic", s))))
		}, typed, false, nil},
		{"complete feed add topic", func(s string) *discordgo.Interaction {
			return asProbeModerator(autocomplete("feed", sub("add", opt("url", "https://example.com/plant.xml"), focused("topic", s))))
		}, prefixes, true, nil},
		// A topic typed into a briefing is shown as typed and read as a
		// slug, never as an alias.
		{"briefing add form", func(s string) *discordgo.Interaction {
			return asProbeModerator(modal("bf:add", map[string]string{"title": "Plant notes", "summary": "Notes from the plant.", "topics": s}))
		}, slices.Concat(private, []probePair{privateLookalike}), true, []string{"name", "alias"}},
	}
}

// inDirectMessages moves a probe into a direct message with u1.
func inDirectMessages(i *discordgo.Interaction) *discordgo.Interaction {
	i.GuildID, i.Member, i.User = "", nil, &discordgo.User{ID: "u1"}
	i.ChannelID = "dm1"
	return i
}

// dmProbeCases are the probes that work in direct messages, where only the
// global library is seen.
func dmProbeCases() []probeCase {
	private := []probePair{privateSlug, privateName, privateAlias, draftSlug, draftName}
	withPrefix := slices.Concat(private, []probePair{privatePrefix})
	in := func(i *discordgo.Interaction) *discordgo.Interaction { return inDirectMessages(i) }
	return []probeCase{
		{"DM brief", func(s string) *discordgo.Interaction { return in(command("brief", opt("topic", s))) }, private, false, nil},
		{"DM timeline", func(s string) *discordgo.Interaction { return in(command("timeline", opt("topic", s))) }, private, false, nil},
		{"DM subscribe", func(s string) *discordgo.Interaction { return in(command("subscribe", opt("topic", s))) }, private, false, nil},
		{"DM digest", func(s string) *discordgo.Interaction { return in(command("digest", opt("topic", s))) }, private, false, nil},
		{"DM unsubscribe", func(s string) *discordgo.Interaction { return in(command("unsubscribe", opt("subscription", s))) }, private, false, nil},
		{"DM brief page button", func(s string) *discordgo.Interaction { return in(button("brief:" + s + ":0")) }, []probePair{privateSlug, draftSlug}, false, nil},
		{"DM complete subscribe topic", func(s string) *discordgo.Interaction { return in(autocomplete("subscribe", focused("topic", s))) }, withPrefix, false, nil},
		{"DM complete brief topic", func(s string) *discordgo.Interaction { return in(autocomplete("brief", focused("topic", s))) }, withPrefix, false, nil},
		{"DM complete digest topic", func(s string) *discordgo.Interaction { return in(autocomplete("digest", focused("topic", s))) }, withPrefix, false, nil},
	}
}

// probeAnswer runs i against a fresh copy of the world and returns all the
// response carries (its JSON and any files), with the typed text blanked:
// as typed, as a slug, and as the display name made from that slug.
func probeAnswer(t *testing.T, world []byte, i *discordgo.Interaction, typed string) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "world.db")
	if err := os.WriteFile(path, world, 0o600); err != nil {
		t.Fatal(err)
	}
	lib, err := db.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	lib.Now = func() time.Time { return clock }
	r := commands.New(lib, commands.Options{Now: func() time.Time { return clock }, Curator: lib, Subscriptions: lib, Feeds: lib})
	resp := r.Handle(ctx, i)
	raw, err := json.Marshal(resp)
	if err != nil {
		t.Fatal(err)
	}
	out := string(raw)
	if resp.Data != nil {
		for _, f := range resp.Data.Files {
			body, _ := io.ReadAll(f.Reader)
			out += "\n--- file " + f.Name + "\n" + string(body)
		}
	}
	slug := briefings.Slugify(typed)
	for _, s := range []string{typed, slug, slugName(slug)} {
		if s != "" {
			out = strings.ReplaceAll(out, s, "‹typed›")
		}
	}
	return out
}

// slugName is the display name the library makes from a slug.
func slugName(slug string) string {
	r := []rune(strings.ReplaceAll(slug, "-", " "))
	if len(r) > 0 {
		r[0] = []rune(strings.ToUpper(string(r[0])))[0]
	}
	return string(r)
}

// leaked returns the first of g2's secret words in an answer, or "".
func leaked(answer string) string {
	lower := strings.ToLower(answer)
	for _, s := range probeSecrets {
		if strings.Contains(lower, s) {
			return s
		}
	}
	return ""
}

func TestProbe_AnotherServersTopicsAreUnknown(t *testing.T) {
	t.Parallel()
	world := probeWorld(t)
	errorID := regexp.MustCompile(`[Ee]rror ID`)
	probes, controls := 0, 0
	run := func(c probeCase, owner bool) {
		for _, p := range c.pairs {
			owned := owner && !strings.HasPrefix(p.kind, "draft") && !slices.Contains(c.blind, p.kind)
			t.Run(c.name+"/"+p.kind, func(t *testing.T) {
				secretI, decoyI := c.build(p.secret), c.build(p.decoy)
				secret := probeAnswer(t, world, secretI, p.secret)
				decoy := probeAnswer(t, world, decoyI, p.decoy)
				probes++
				if secret != decoy {
					t.Errorf("probing %q answers differently from %q:\nsecret: %s\ndecoy:  %s", p.secret, p.decoy, secret, decoy)
				}
				if w := leaked(secret); w != "" {
					t.Errorf("probing %q reads %q: %s", p.secret, w, secret)
				}
				if errorID.MatchString(secret) {
					t.Errorf("probing %q failed inside: %s", p.secret, secret)
				}
				if !owned {
					return
				}
				// The same texts from g2's own member tell the topic from
				// nothing, so the probe above would have seen a leak.
				own := func(i *discordgo.Interaction) *discordgo.Interaction {
					if i.GuildID != "" {
						i.GuildID = otherGuild
					}
					if i.Member != nil {
						i.Member.User.ID = "u2"
					}
					return i
				}
				controls++
				if probeAnswer(t, world, own(c.build(p.secret)), p.secret) == probeAnswer(t, world, own(c.build(p.decoy)), p.decoy) {
					t.Errorf("g2's own member cannot tell %q from %q either; the probe proves nothing", p.secret, p.decoy)
				}
			})
		}
	}
	for _, c := range probeCases() {
		run(c, c.ownerSees)
	}
	for _, c := range dmProbeCases() {
		run(c, false)
	}
	t.Logf("%d probes answered as for a topic that does not exist; %d of them checked against the owner's answers", probes, controls)

	// What needs no typed text names none of g2's topics either.
	for _, i := range []*discordgo.Interaction{asMember(command("topics")), asMember(command("brief")), asMember(command("subscriptions")),
		asMember(autocomplete("brief", focused("topic", ""))), inDirectMessages(command("topics")), inDirectMessages(command("subscriptions"))} {
		if got := probeAnswer(t, world, i, "\x00"); leaked(got) != "" {
			t.Errorf("%s reads g2's topic: %s", i.Data.(discordgo.ApplicationCommandInteractionData).Name, got)
		}
	}
	// Direct messages reach the global library's topics.
	if got := probeAnswer(t, world, inDirectMessages(command("subscribe", opt("topic", "Arctic shipping"))), "\x00"); !strings.Contains(got, "Subscribed you (by DM) to **Arctic shipping**") {
		t.Errorf("subscribing by DM to a global topic: %s", got)
	}
}
