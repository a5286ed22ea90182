package db

import (
	"context"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
)

// CopyTables are the tables Copy carries, in its order.
func CopyTables() []string { return slices.Clone(copyTables) }

// rowidTables are the tables whose rowid PostgreSQL keeps in a column of
// its own, as the store orders or finds their rows by it.
var rowidTables = []string{"actor_names", "event_participants", "briefing_actors", "briefing_events", "feed_items", "actors_fts"}

// DumpForTest returns every row of table as text, one line a row, sorted:
// the columns both backends hold (and the rowid where PostgreSQL keeps one
// too), blobs in hex, so that two stores' dumps compare equal when they
// hold the same rows.
func (db *DB) DumpForTest(ctx context.Context, table string) ([]string, error) {
	cols, err := tableColumns(ctx, db.readers, db.pg, table)
	if err != nil {
		return nil, err
	}
	var names []string
	var blob []bool
	for _, c := range cols {
		if c.name == "rowid" && !slices.Contains(rowidTables, table) || copyTransient[table+"."+c.name] {
			continue
		}
		names = append(names, c.name)
		blob = append(blob, c.blob)
	}
	rows, err := db.readers.QueryContext(ctx, `SELECT `+strings.Join(names, ", ")+` FROM `+table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	vals := make([]any, len(names))
	ptrs := make([]any, len(names))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var out []string
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		parts := make([]string, len(vals))
		for i, v := range vals {
			switch v := v.(type) {
			case []byte:
				if blob[i] {
					parts[i] = names[i] + "=x" + hex.EncodeToString(v)
				} else {
					parts[i] = names[i] + "=" + string(v)
				}
			case nil:
				parts[i] = names[i] + "=NULL"
			default:
				parts[i] = names[i] + "=" + fmt.Sprint(v)
			}
		}
		out = append(out, strings.Join(parts, " | "))
	}
	slices.Sort(out)
	return out, rows.Err()
}

// ExecForTest runs a statement on the writer, outside the store's code,
// to put a store in a state its code never makes.
func (db *DB) ExecForTest(ctx context.Context, query string) error {
	_, err := db.writer.ExecContext(ctx, query)
	return err
}
