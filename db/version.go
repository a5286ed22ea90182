package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"briefbot/briefings"
)

// BriefingVersion is one saved version of a briefing, for moderators
// reviewing its history.
type BriefingVersion struct {
	// Version counts from 1.
	Version int
	// By and At say who saved it and when.
	By string
	At time.Time
	// Changes names the fields that changed, e.g. "summary, facts[2]";
	// "created" for the first version.
	Changes string
	// Snapshot is the briefing as saved.
	Snapshot *briefings.Briefing
}

// normalize returns a copy of b as it is stored: in guildID's library, with
// the slug defaulting to the title's, the status to published, dates in UTC,
// and the store's own fields cleared. Saving the same input twice gives equal
// copies, which is how an unchanged briefing is recognized.
func normalize(b *briefings.Briefing, guildID string) *briefings.Briefing {
	n := *b
	n.ID, n.Version, n.GuildID = 0, 0, guildID
	n.CreatedBy, n.UpdatedBy, n.CreatedAt, n.UpdatedAt = "", "", time.Time{}, time.Time{}
	if n.Slug == "" {
		n.Slug = briefings.Slugify(n.Title)
	}
	if n.Status == "" {
		n.Status = briefings.StatusPublished
	}
	n.Published = utcDate(n.Published)
	n.Topics = nilIfEmpty(n.Topics)
	n.Corrections = nil
	for _, c := range b.Corrections {
		c.Date = utcDate(c.Date)
		n.Corrections = append(n.Corrections, c)
	}
	n.Actors = nil
	for _, a := range b.Actors {
		a.ID, a.GuildID = 0, ""
		a.Aliases = nilIfEmpty(a.Aliases)
		n.Actors = append(n.Actors, a)
	}
	n.Events = nil
	for _, e := range b.Events {
		e.ID, e.GuildID = 0, ""
		e.Date, e.End = utcDate(e.Date), utcDate(e.End)
		e.Participants = nilIfEmpty(e.Participants)
		n.Events = append(n.Events, e)
	}
	n.Facts = nil
	for _, f := range b.Facts {
		f.ID = 0
		f.AsOf = utcDate(f.AsOf)
		f.Actors = nilIfEmpty(f.Actors)
		n.Facts = append(n.Facts, f)
	}
	return &n
}

func utcDate(d briefings.Date) briefings.Date {
	if d.IsZero() {
		return briefings.Date{}
	}
	return briefings.Date{T: d.T.UTC(), P: d.P}
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return append([]string(nil), s...)
}

func snapshot(b *briefings.Briefing) (string, error) {
	data, err := json.Marshal(b)
	if err != nil {
		return "", fmt.Errorf("snapshot: %w", err)
	}
	return string(data), nil
}

// sameApartFromTopicSpelling reports whether two snapshots differ only in
// how their topics are written: "alaska-summit" and "Alaska summit" name
// the same topic, and export writes each topic's display name, so
// importing an export of a briefing whose file gave slugs changes nothing.
func sameApartFromTopicSpelling(prev, snap string) bool {
	var a, b briefings.Briefing
	if json.Unmarshal([]byte(prev), &a) != nil || json.Unmarshal([]byte(snap), &b) != nil {
		return false
	}
	a.Topics, b.Topics = uniqueSlugs(a.Topics), uniqueSlugs(b.Topics)
	x, errA := json.Marshal(&a)
	y, errB := json.Marshal(&b)
	return errA == nil && errB == nil && string(x) == string(y)
}

// recordVersion stores the version's snapshot and what changed since prev.
func (s *saver) recordVersion(ctx context.Context, id int64, version int, snap string, prev sql.NullString) error {
	changes := "created"
	if version > 1 {
		changes = "changed"
		if prev.Valid {
			var old, cur briefings.Briefing
			if json.Unmarshal([]byte(prev.String), &old) == nil && json.Unmarshal([]byte(snap), &cur) == nil {
				changes = changedFields(&old, &cur)
			}
		}
	}
	if err := s.insertRow(ctx, rowsVersions, id, version, s.by, s.at, snap, changes); err != nil {
		return fmt.Errorf("record version %d: %w", version, err)
	}
	return nil
}

// changedFields names what differs between two versions, such as
// "summary, facts[2]", shortened to fit a list line.
func changedFields(old, cur *briefings.Briefing) string {
	var out []string
	same := func(a, b any) bool {
		x, _ := json.Marshal(a)
		y, _ := json.Marshal(b)
		return string(x) == string(y)
	}
	scalar := []struct {
		name string
		a, b any
	}{
		{"title", old.Title, cur.Title},
		{"summary", old.Summary, cur.Summary},
		{"body", old.Body, cur.Body},
		{"published", old.Published, cur.Published},
		{"source", old.Source, cur.Source},
		{"topics", uniqueSlugs(old.Topics), uniqueSlugs(cur.Topics)}, // not how they are spelled
		{"status", old.Status, cur.Status},
		{"retraction_reason", old.RetractionReason, cur.RetractionReason},
		{"corrections", old.Corrections, cur.Corrections},
	}
	for _, f := range scalar {
		if !same(f.a, f.b) {
			out = append(out, f.name)
		}
	}
	list := func(name string, n, m int, at func(i int, old bool) any) {
		for i := 0; i < max(n, m); i++ {
			if i >= n || i >= m || !same(at(i, true), at(i, false)) {
				out = append(out, fmt.Sprintf("%s[%d]", name, i+1))
			}
		}
	}
	list("actors", len(old.Actors), len(cur.Actors), func(i int, o bool) any {
		if o {
			return old.Actors[i]
		}
		return cur.Actors[i]
	})
	list("events", len(old.Events), len(cur.Events), func(i int, o bool) any {
		if o {
			return old.Events[i]
		}
		return cur.Events[i]
	})
	list("facts", len(old.Facts), len(cur.Facts), func(i int, o bool) any {
		if o {
			return old.Facts[i]
		}
		return cur.Facts[i]
	})
	if len(out) == 0 {
		return "no visible change"
	}
	return briefings.Truncate(strings.Join(out, ", "), 200)
}

// History returns every version of the briefing with the slug in the guild's
// library (or the global one), newest first. Returns ENOTFOUND.
func (db *DB) History(ctx context.Context, guildID, slug string) ([]BriefingVersion, error) {
	var out []BriefingVersion
	err := db.read(ctx, func(tx *sql.Tx) error {
		id, err := briefingID(ctx, tx, guildID, slug, nil)
		if err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT version, by, at, changes, snapshot FROM briefing_versions
			WHERE briefing_id = ? ORDER BY version DESC`, id)
		if err != nil {
			return fmt.Errorf("history %q: %w", slug, err)
		}
		defer rows.Close()
		for rows.Next() {
			var v BriefingVersion
			var at, snap string
			if err := rows.Scan(&v.Version, &v.By, &at, &v.Changes, &snap); err != nil {
				return fmt.Errorf("history %q: %w", slug, err)
			}
			v.At = parseTime(at)
			v.Snapshot = &briefings.Briefing{}
			if err := json.Unmarshal([]byte(snap), v.Snapshot); err != nil {
				return fmt.Errorf("history %q: version %d: %w", slug, v.Version, err)
			}
			out = append(out, v)
		}
		return rows.Err()
	})
	return out, err
}

// uniqueSlugs returns the topic slugs of names, without repeats.
func uniqueSlugs(names []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range names {
		s := briefings.Slugify(t)
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// topicName makes a display name from a slug: "alaska-summit" becomes
// "Alaska summit".
func topicName(slug string) string {
	s := strings.ReplaceAll(slug, "-", " ")
	r := []rune(s)
	if len(r) > 0 {
		r[0] = []rune(strings.ToUpper(string(r[0])))[0]
	}
	return string(r)
}
