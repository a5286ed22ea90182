package web_test

import (
	"bytes"
	"context"
	"strings"
	"sync/atomic"
	"testing"

	"briefbot/bot/web"
	"briefbot/briefings"
	"briefbot/db"
)

// TestBriefing_History: a briefing's page lists its published versions,
// newest first, with when and what changed; not its versions as a draft,
// and not who saved them.
func TestBriefing_History(t *testing.T) {
	ctx := context.Background()
	store := library(t)
	b := &briefings.Briefing{Slug: "ferry-fares", Title: "Ferry fares rise", Summary: "Fares rise by a tenth.",
		Published: briefings.DayOf(2025, 9, 3), Topics: []string{"harbour"}, Status: briefings.StatusDraft,
		Source: briefings.Source{Name: "Wire", URL: "https://example.com/ferry"}}
	save := func(action briefings.AuditAction, edit func(b *briefings.Briefing)) {
		t.Helper()
		cur, err := store.BriefingWithStatus(ctx, "", "ferry-fares")
		if err != nil {
			t.Fatal(err)
		}
		edit(cur)
		if _, err := store.SaveCurated(ctx, briefings.Write{Briefing: cur, By: "1100000000000000777", BaseVersion: cur.Version, Action: action}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := store.SaveCurated(ctx, briefings.Write{Briefing: b, By: "1100000000000000777", Action: briefings.AuditDraft}); err != nil {
		t.Fatal(err)
	}
	save(briefings.AuditEdit, func(b *briefings.Briefing) { b.Summary = "Draft wording nobody saw." })
	save(briefings.AuditPublish, func(b *briefings.Briefing) { b.Status, b.Summary = briefings.StatusPublished, "Fares rise by a tenth." })
	save(briefings.AuditEdit, func(b *briefings.Briefing) { b.Summary = "Fares rise by a tenth from October." })

	srv := newServer(t, &web.Server{Store: store, Burst: 1000})
	resp, body := get(t, srv, "/briefings/ferry-fares")
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	i, j := strings.Index(body, "Version 4"), strings.Index(body, "Version 3")
	if i < 0 || j < 0 || i > j || !strings.Contains(body, "<h2>History</h2>") || !strings.Contains(body, "· summary") {
		t.Errorf("the history lacks versions 4 then 3 with what changed:\n%s", body)
	}
	for _, hidden := range []string{"Version 2", "Version 1", "1100000000000000777", "Draft wording"} {
		if strings.Contains(body, hidden) {
			t.Errorf("the page shows %q", hidden)
		}
	}
}

// countingStore counts the event reads, which drawing a timeline makes.
type countingStore struct {
	*db.DB
	events *atomic.Int32
}

func (c countingStore) Events(ctx context.Context, q briefings.EventQuery) ([]briefings.EventRef, error) {
	c.events.Add(1)
	return c.DB.Events(ctx, q)
}

// TestTimelinePicture_Cached: a picture is drawn once while the library
// stays the same, and drawn again, showing the change, after a write.
func TestTimelinePicture_Cached(t *testing.T) {
	ctx := context.Background()
	store := library(t)
	var events atomic.Int32
	srv := newServer(t, &web.Server{Store: countingStore{store, &events}, Burst: 1000})
	_, first := get(t, srv, "/topics/harbour/timeline.png")
	_, again := get(t, srv, "/topics/harbour/timeline.png")
	if events.Load() != 1 || first != again {
		t.Fatalf("two requests of an unchanged library read the events %d times, want once", events.Load())
	}
	if _, err := store.SaveBriefings(ctx, "", []*briefings.Briefing{{Slug: "harbour-reopens", Title: "Harbour reopens",
		Summary: "The harbour reopened.", Published: briefings.DayOf(2025, 9, 20), Topics: []string{"harbour"},
		Source: briefings.Source{Name: "Wire", URL: "https://example.com/reopen"},
		Events: []briefings.Event{{Name: "Harbour reopening", Date: briefings.DayOf(2025, 9, 20)}}}}, "test"); err != nil {
		t.Fatal(err)
	}
	resp, after := get(t, srv, "/topics/harbour/timeline.png")
	if resp.StatusCode != 200 || events.Load() != 2 || bytes.Equal([]byte(after), []byte(first)) {
		t.Errorf("after a write: status %d, %d reads, picture changed %v; want a new picture", resp.StatusCode, events.Load(), after != first)
	}
}
