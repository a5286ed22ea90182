package db

import (
	"slices"
	"testing"
)

// TestRebind checks the statements SQLite takes become the ones PostgreSQL
// takes: placeholders numbered over the arguments used, question marks in
// literals and comments left alone, planner hints dropped.
func TestRebind(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, want string
		args     []int
	}{
		{in: `SELECT 1`, want: `SELECT 1`},
		{in: `SELECT a FROM t WHERE b = ? AND c = ?`, want: `SELECT a FROM t WHERE b = $1 AND c = $2`, args: []int{0, 1}},
		{in: `SELECT ?2, ?1, ?2`, want: `SELECT $2, $1, $2`, args: []int{0, 1}},
		// ?2 is never used: ?3 becomes $2 and takes the third argument.
		{in: `WHERE a = ?1 AND b = ?3`, want: `WHERE a = $1 AND b = $2`, args: []int{0, 2}},
		// A bare ? after ?N is the argument after the largest so far.
		{in: `VALUES (?2, ?)`, want: `VALUES ($1, $2)`, args: []int{1, 2}},
		{in: `SELECT '?', "a?b", ? -- why?` + "\n" + `, 'it''s ?'`, want: `SELECT '?', "a?b", $1 -- why?` + "\n" + `, 'it''s ?'`, args: []int{0}},
		{in: `FROM facts f CROSS JOIN briefings b INDEXED BY briefing_refs ON b.id = f.briefing_id WHERE +e.guild_id IN (?1, '') AND x = 1 + 2`,
			want: `FROM facts f JOIN briefings b ON b.id = f.briefing_id WHERE e.guild_id IN ($1, '') AND x = 1 + 2`, args: []int{0}},
		{in: `WHERE name GLOB '*[^ -~]*'`, want: `WHERE name ~ '[^ -~]'`},
		{in: `WHERE n.guild_id = +? AND n.folded IN (+?, '') AND position + 1 > 0`,
			want: `WHERE n.guild_id = $1 AND n.folded IN ($2, '') AND position + 1 > 0`, args: []int{0, 1}},
	} {
		got, args := rebind(tc.in)
		if got != tc.want || !slices.Equal(args, tc.args) {
			t.Errorf("rebind(%q)\n = %q, %v\nwant %q, %v", tc.in, got, args, tc.want, tc.args)
		}
	}
}
