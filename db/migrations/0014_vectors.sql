-- Vectors of facts, events and actors for hybrid retrieval, when an
-- embedding model is configured: one per record and model, with the text it
-- stands for, so that an edited record is embedded again. Vectors are
-- little-endian float32s.
CREATE TABLE record_vectors (
	kind   TEXT NOT NULL CHECK (kind IN ('fact', 'event', 'actor')),
	id     INTEGER NOT NULL,
	model  TEXT NOT NULL,
	text   TEXT NOT NULL,
	vector BLOB NOT NULL,
	PRIMARY KEY (model, kind, id)
);
