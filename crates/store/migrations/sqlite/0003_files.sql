-- Uploaded files (brand logos, evidence). Kept in the database, outside any
-- web root, with the kind decided from their bytes; each belongs to a unit,
-- whose scope decides who may read it.

CREATE TABLE files (
    id         INTEGER PRIMARY KEY,
    unit_id    INTEGER NOT NULL REFERENCES units(id),
    name       TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    size       INTEGER NOT NULL,
    data       BLOB    NOT NULL,
    created_at INTEGER NOT NULL,
    created_by TEXT
);
CREATE INDEX files_unit ON files(unit_id);
