// Package gen builds realistic synthetic briefing libraries for tests and
// benchmarks (bench/, bench/genfile, bench/load):
// briefings with summaries and bodies of about 3 KB, attributed facts, and
// actors, events and topics shared between briefings, written in words drawn
// from a Zipf-distributed vocabulary so that a few words appear in nearly
// every briefing and most in only a handful. A fixed seed makes every
// library of a given size the same, so figures compare across runs.
package gen

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"briefbot/briefings"
)

// Version changes whenever the generator's output changes, so cached
// libraries built by an older generator are not reused.
const Version = 2

// Seed is the fixed seed of every generated library.
const Seed = 20250901

// Sizes of the vocabulary and of the pools briefings share.
const (
	vocabularySize = 30_000
	topicCount     = 50
	attributions   = 40
	zipfS          = 1.07
)

// Library generates the briefings of one synthetic library in order, oldest
// first. It is deterministic: the same n gives the same briefings.
type Library struct {
	n      int
	rng    *rand.Rand
	words  *rand.Zipf
	actor  *rand.Zipf
	event  *rand.Zipf
	topic  *rand.Zipf
	vocab  []string
	actors []briefings.Actor
	byName map[string]int
	events []briefings.Event
	topics []string
	// attributions are who facts are attributed to.
	attributions []string
	next         int
	start        time.Time
}

// New returns the generator of a library of n briefings.
func New(n int) *Library {
	rng := rand.New(rand.NewPCG(Seed, uint64(n)))
	g := &Library{n: n, rng: rng, start: time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)}
	g.vocab = Vocabulary()
	g.words = rand.NewZipf(rng, zipfS, 1, uint64(len(g.vocab)-1))
	names := newNamer(rand.New(rand.NewPCG(Seed, 1)))
	nActors := max(50, n/20)
	for i := range nActors {
		a := briefings.Actor{Name: names.name(2), Kind: briefings.ActorKinds[i%len(briefings.ActorKinds)]}
		a.Description = g.sentence(12)
		if i%4 == 0 {
			a.Aliases = []string{names.name(1)}
		}
		g.actors = append(g.actors, a)
	}
	nEvents := max(20, n/10)
	span := 5 * 365
	for i := range nEvents {
		day := i * span / nEvents
		e := briefings.Event{
			Name:        names.name(2) + " " + eventNouns[i%len(eventNouns)],
			Date:        briefings.DateFromTime(g.start.AddDate(0, 0, day)),
			Location:    names.name(1),
			Description: g.sentence(14),
		}
		g.events = append(g.events, e)
	}
	for range topicCount {
		g.topics = append(g.topics, names.name(1)+" "+names.name(1))
	}
	for range attributions {
		g.attributions = append(g.attributions, names.name(1)+" officials")
	}
	// An event has two or three participants of its own, as a summit or a
	// visit does; briefings about it mention them.
	for i := range g.events {
		for j := range 2 + i%2 {
			g.events[i].Participants = append(g.events[i].Participants, g.actors[(i*7+j*13)%nActors].Name)
		}
	}
	g.actor = rand.NewZipf(rng, zipfS, 4, uint64(nActors-1))
	g.event = rand.NewZipf(rng, zipfS, 4, uint64(nEvents-1))
	g.topic = rand.NewZipf(rng, zipfS, 2, topicCount-1)
	return g
}

var eventNouns = []string{"summit", "talks", "election", "visit", "accord", "launch", "ceasefire", "conference"}

// Topics returns the display names of the library's topics.
func (g *Library) Topics() []string { return append([]string(nil), g.topics...) }

// Actors returns the actors the briefings share, most mentioned first.
func (g *Library) Actors() []briefings.Actor { return append([]briefings.Actor(nil), g.actors...) }

// Events returns the events the briefings share, most mentioned first.
func (g *Library) Events() []briefings.Event { return append([]briefings.Event(nil), g.events...) }

// Word returns the vocabulary word of the rank: 0 is the most frequent.
func (g *Library) Word(rank int) string { return g.vocab[rank] }

// Next returns up to max more briefings, or none when all were generated.
// Briefing i is published on a later or equal day than briefing i-1.
func (g *Library) Next(max int) []*briefings.Briefing {
	var out []*briefings.Briefing
	for ; g.next < g.n && len(out) < max; g.next++ {
		out = append(out, g.briefing(g.next))
	}
	return out
}

func (g *Library) briefing(i int) *briefings.Briefing {
	span := 5 * 365 * 24 * time.Hour
	published := g.start.Add(time.Duration(int64(span) / int64(g.n) * int64(i)))
	b := &briefings.Briefing{
		Slug:      fmt.Sprintf("b%06d-%s", i, briefings.Slugify(g.phrase(3))),
		Title:     capitalize(g.phrase(8)),
		Summary:   g.paragraph(3, 20),
		Body:      g.body(3000),
		Published: briefings.DateFromTime(published),
		Source:    briefings.Source{Name: g.attributions[i%len(g.attributions)], URL: fmt.Sprintf("https://news.example/%d", i)},
		Status:    briefings.StatusPublished,
	}
	seenTopic := map[int]bool{}
	for range 1 + g.rng.IntN(2) {
		t := int(g.topic.Uint64())
		if !seenTopic[t] {
			seenTopic[t] = true
			b.Topics = append(b.Topics, g.topics[t])
		}
	}
	seenActor := map[int]bool{}
	for range 3 {
		a := int(g.actor.Uint64())
		if !seenActor[a] {
			seenActor[a] = true
			b.Actors = append(b.Actors, g.actors[a])
		}
	}
	seenEvent := map[int]bool{}
	for range 1 + g.rng.IntN(2) {
		k := int(g.event.Uint64())
		if seenEvent[k] {
			continue
		}
		seenEvent[k] = true
		e := g.events[k]
		b.Events = append(b.Events, e)
		for _, p := range e.Participants {
			if !slices.ContainsFunc(b.Actors, func(a briefings.Actor) bool { return a.Name == p }) {
				b.Actors = append(b.Actors, g.actorNamed(p))
			}
		}
	}
	for j := range 4 {
		f := briefings.Fact{
			Text:        capitalize(g.sentence(18 + g.rng.IntN(10))),
			Attribution: g.attributions[(i+j)%len(g.attributions)],
			Actors:      []string{b.Actors[j%len(b.Actors)].Name},
		}
		if j%2 == 0 {
			f.Text += fmt.Sprintf(" %d", 10+g.rng.IntN(9000))
			f.Event = b.Events[0].Name
		}
		b.Facts = append(b.Facts, f)
	}
	return b
}

func (g *Library) actorNamed(name string) briefings.Actor {
	if g.byName == nil {
		g.byName = map[string]int{}
		for i, a := range g.actors {
			g.byName[a.Name] = i
		}
	}
	return g.actors[g.byName[name]]
}

// word draws a word of the vocabulary by its Zipf frequency.
func (g *Library) word() string { return g.vocab[g.words.Uint64()] }

func (g *Library) phrase(n int) string {
	w := make([]string, n)
	for i := range w {
		w[i] = g.word()
	}
	return strings.Join(w, " ")
}

func (g *Library) sentence(n int) string { return g.phrase(n) + "." }

func (g *Library) paragraph(sentences, words int) string {
	s := make([]string, sentences)
	for i := range s {
		s[i] = capitalize(g.sentence(words/2 + g.rng.IntN(words)))
	}
	return strings.Join(s, " ")
}

// body writes paragraphs until the text is about size bytes long.
func (g *Library) body(size int) string {
	var b strings.Builder
	for b.Len() < size {
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(g.paragraph(4, 16))
	}
	return b.String()
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
