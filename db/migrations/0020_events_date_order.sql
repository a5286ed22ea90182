-- Events are listed by date, then precision, then id. An index on the date
-- alone left SQLite sorting each date's events before it could stop at the
-- limit: at 1M briefings the events of a popular topic were walked and
-- sorted date by date (263 ms for /timeline topic). The index holds the
-- whole order now.
DROP INDEX events_date;
CREATE INDEX events_date ON events(date, date_precision, id);
