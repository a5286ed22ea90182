-- SQLite migration 0020: events are indexed in the order they are listed,
-- by date, then precision, then id.
DROP INDEX events_date;
CREATE INDEX events_date ON events(date, date_precision, id);
