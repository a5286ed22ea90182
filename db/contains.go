package db

// contains is the SQL condition that the text column holds the text of
// param (an SQL expression, usually a placeholder) anywhere in it: what
// autocomplete and name lookups match by. On SQLite it is instr. On
// PostgreSQL it is a LIKE with the text's wildcards escaped, which means
// the same but, unlike strpos, can use the trigram (pg_trgm) indexes on the
// folded names, aliases and slugs (migrations/postgres 0001 and 0006): the
// store sends arguments as literals, so the pattern is a constant when the
// statement is planned.
func (db *DB) contains(column, param string) string {
	if db.pg {
		return column + ` LIKE '%' || replace(replace(replace(` + param + `, '\', '\\'), '%', '\%'), '_', '\_') || '%'`
	}
	return `instr(` + column + `, ` + param + `) > 0`
}
