-- The organization: units (a tree kept as materialized paths), people,
-- grids and production scenarios, and the maintained figure rollups.
-- Dates are ISO text, times epoch milliseconds, booleans 0/1.

CREATE TABLE units (
    id          INTEGER PRIMARY KEY,
    code        TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    short_name  TEXT,
    kind        TEXT    NOT NULL,
    parent_id   INTEGER REFERENCES units(id),
    path        TEXT    NOT NULL,
    depth       INTEGER NOT NULL,
    sort_order  INTEGER NOT NULL DEFAULT 0,
    founded     TEXT,
    status      TEXT    NOT NULL DEFAULT 'active',
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX units_path ON units(path);
CREATE INDEX units_parent ON units(parent_id, sort_order, id);
CREATE INDEX units_name ON units(name);

CREATE TABLE people (
    id          INTEGER PRIMARY KEY,
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    name        TEXT    NOT NULL,
    gender      TEXT,
    category    TEXT    NOT NULL,
    join_date   TEXT,
    post        TEXT,
    birth_date  TEXT,
    phone       TEXT,
    id_number   TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX people_unit ON people(unit_id, id);
CREATE INDEX people_name ON people(name);
CREATE UNIQUE INDEX people_id_number ON people(id_number) WHERE id_number IS NOT NULL;

CREATE TABLE grids (
    id              INTEGER PRIMARY KEY,
    unit_id         INTEGER NOT NULL REFERENCES units(id),
    code            TEXT    NOT NULL UNIQUE,
    name            TEXT    NOT NULL,
    contact_unit_id INTEGER REFERENCES units(id),
    covered         INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX grids_unit ON grids(unit_id, id);

CREATE TABLE scenarios (
    id          INTEGER PRIMARY KEY,
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    code        TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    description TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX scenarios_unit ON scenarios(unit_id, id);

-- Counters of each unit's whole subtree, per year (0: since always).
CREATE TABLE rollup (
    unit_id INTEGER NOT NULL REFERENCES units(id),
    year    INTEGER NOT NULL,
    key     TEXT    NOT NULL,
    value   INTEGER NOT NULL,
    PRIMARY KEY (unit_id, year, key)
) WITHOUT ROWID;

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT    NOT NULL UNIQUE,
    display_name  TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    person_id     INTEGER REFERENCES people(id),
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);

-- A role held over a unit's subtree.
CREATE TABLE grants (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    role       TEXT    NOT NULL,
    unit_id    INTEGER REFERENCES units(id),
    created_at INTEGER NOT NULL,
    UNIQUE (user_id, role, unit_id)
);

CREATE TABLE sessions (
    token_hash TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    csrf       TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen  INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    name       TEXT    NOT NULL,
    token_hash TEXT    NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    last_used  INTEGER,
    revoked_at INTEGER
);
