package db

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"briefbot/briefings"
)

// entryColumns are a briefing as moderators' lists show it.
const entryColumns = refColumns + `, b.status, b.version, b.created_by, b.created_at, b.updated_at`

// scanEntry reads a row of entryColumns.
func scanEntry(rows *sql.Rows) (briefings.BriefingEntry, error) {
	var e briefings.BriefingEntry
	var status, created, updated string
	r, err := scanRef(rows, &status, &e.Version, &e.CreatedBy, &created, &updated)
	e.BriefingRef, e.Status = r, briefings.Status(status)
	e.CreatedAt, e.UpdatedAt = parseTime(created), parseTime(updated)
	return e, err
}

// Drafts returns the drafts of the guild's library ("" for the global
// one), newest first, at most limit of them (0 means all), and how many
// there are.
func (db *DB) Drafts(ctx context.Context, guildID string, limit int) ([]briefings.BriefingEntry, int, error) {
	if limit <= 0 {
		limit = -1
	}
	var out []briefings.BriefingEntry
	var total int
	err := db.lookup(ctx, func(tx querier) error {
		if err := eachRow(ctx, tx, `SELECT `+entryColumns+` FROM briefings b
			WHERE b.guild_id = ?1 AND b.status = 'draft' ORDER BY b.created_at DESC, b.id DESC LIMIT ?2`,
			[]any{guildID, limit}, func(rows *sql.Rows) error {
				e, err := scanEntry(rows)
				out = append(out, e)
				return err
			}); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT count(*) FROM briefings WHERE guild_id = ? AND status = 'draft'`, guildID).Scan(&total)
	})
	if err != nil {
		return nil, 0, fmt.Errorf("drafts of %q: %w", guildID, err)
	}
	return out, total, nil
}

// BriefingsToCurate returns at most limit briefings of the libraries,
// whatever their status, whose title or slug contains text (ignoring ASCII
// case): title prefixes first, then the most recently changed.
func (db *DB) BriefingsToCurate(ctx context.Context, libraries []string, text string, limit int) ([]briefings.BriefingEntry, error) {
	if len(libraries) == 0 {
		return nil, nil
	}
	if limit <= 0 || limit > MaxCompletions {
		limit = MaxCompletions
	}
	// LIKE folds ASCII case only; the slug, folded and hyphenated, catches
	// the rest ("Kursk offensive" is kursk-offensive).
	like := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(strings.TrimSpace(text))
	// The libraries are guild IDs, text: one placeholder each rather than
	// json_each, which on PostgreSQL reads a list of ids as numbers.
	args := []any{like, briefings.Slugify(text), limit}
	in := make([]string, len(libraries))
	for i, l := range libraries {
		args = append(args, l)
		in[i] = "?" + strconv.Itoa(len(args))
	}
	var out []briefings.BriefingEntry
	err := db.lookup(ctx, func(tx querier) error {
		return eachRow(ctx, tx, `SELECT `+entryColumns+` FROM briefings b
			WHERE b.guild_id IN (`+strings.Join(in, ", ")+`)
				AND (b.title LIKE '%' || ?1 || '%' ESCAPE '\' OR instr(b.slug, ?2) > 0)
			ORDER BY b.title LIKE ?1 || '%' ESCAPE '\' DESC, b.updated_at DESC, b.id DESC LIMIT ?3`,
			args, func(rows *sql.Rows) error {
				e, err := scanEntry(rows)
				out = append(out, e)
				return err
			})
	})
	if err != nil {
		return nil, fmt.Errorf("briefings to curate %q: %w", text, err)
	}
	return out, nil
}
