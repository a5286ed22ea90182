package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"briefbot/briefings"
)

// Digest returns the digest stored for key. Returns ENOTFOUND.
func (db *DB) Digest(ctx context.Context, key briefings.DigestKey) (*briefings.StoredDigest, error) {
	var d *briefings.StoredDigest
	err := db.read(ctx, func(tx *sql.Tx) error {
		var err error
		d, err = findDigest(ctx, tx, key)
		return err
	})
	return d, err
}

func findDigest(ctx context.Context, q querier, key briefings.DigestKey) (*briefings.StoredDigest, error) {
	d := &briefings.StoredDigest{}
	var parts string
	err := q.QueryRowContext(ctx, `SELECT id, parts FROM digests WHERE guild_id = ? AND topic = ? AND since = ? AND until = ?`,
		key.GuildID, key.Topic, subStamp(key.Since), subStamp(key.Until)).Scan(&d.ID, &parts)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, briefings.Errorf(briefings.ENOTFOUND, "No digest is stored for that topic and period.")
	} else if err != nil {
		return nil, fmt.Errorf("find digest: %w", err)
	}
	if err := json.Unmarshal([]byte(parts), &d.Parts); err != nil {
		return nil, fmt.Errorf("digest %d parts: %w", d.ID, err)
	}
	return d, nil
}

// SaveDigest stores the parts for key unless a digest is stored there
// already, and returns the stored one: the first composition wins, so every
// subscriber and every retry posts the same messages.
func (db *DB) SaveDigest(ctx context.Context, key briefings.DigestKey, parts []string) (*briefings.StoredDigest, error) {
	if parts == nil {
		parts = []string{}
	}
	data, err := json.Marshal(parts)
	if err != nil {
		return nil, fmt.Errorf("save digest: %w", err)
	}
	var d *briefings.StoredDigest
	err = db.writeSubs(ctx, func(tx *sql.Tx) error {
		now := subStamp(db.Now())
		if _, err := tx.ExecContext(ctx, `INSERT INTO digests (guild_id, topic, since, until, parts, created_at)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (guild_id, topic, since, until) DO NOTHING`,
			key.GuildID, key.Topic, subStamp(key.Since), subStamp(key.Until), string(data), now); err != nil {
			return fmt.Errorf("save digest: %w", err)
		}
		d, err = findDigest(ctx, tx, key)
		return err
	})
	return d, err
}
