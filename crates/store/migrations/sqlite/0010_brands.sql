-- Brands (党建品牌): owned by a unit, with sub-brands (the matrix), a
-- structure (a tree of elements), a dated history of every step of the
-- lifecycle (status changes, applications and reviews, versions), the brand
-- standard (五有) issued by a unit for its subtree with evidence and a
-- reviewer's confirmation per item, and honors. Dates are ISO text, times
-- epoch milliseconds.

CREATE TABLE brand_standards (
    id         INTEGER PRIMARY KEY,
    unit_id    INTEGER NOT NULL UNIQUE REFERENCES units(id),
    name       TEXT    NOT NULL,
    issued_on  TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE standard_items (
    id          INTEGER PRIMARY KEY,
    standard_id INTEGER NOT NULL REFERENCES brand_standards(id),
    sort_order  INTEGER NOT NULL,
    title       TEXT    NOT NULL,
    description TEXT
);
CREATE INDEX standard_items_standard ON standard_items(standard_id, sort_order);

CREATE TABLE brands (
    id              INTEGER PRIMARY KEY,
    unit_id         INTEGER NOT NULL REFERENCES units(id),
    parent_id       INTEGER REFERENCES brands(id),
    code            TEXT    NOT NULL UNIQUE,
    name            TEXT    NOT NULL,
    category        TEXT    NOT NULL,
    slogan          TEXT,
    concept         TEXT,
    heritage        TEXT,
    founded_year    INTEGER,
    figures         TEXT    NOT NULL DEFAULT '',
    logo_file_id    INTEGER REFERENCES files(id),
    -- The latest status-setting event of brand_events, kept here for lists.
    status          TEXT    NOT NULL,
    status_since    TEXT    NOT NULL,
    -- The open application, if any: target status, stage reached, day applied.
    app_target      TEXT,
    app_stage       TEXT,
    app_on          TEXT,
    -- The day the standard applying to it was met (every item confirmed).
    standard_met_on TEXT,
    version         INTEGER NOT NULL DEFAULT 0,
    created_on      TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX brands_unit ON brands(unit_id, status);
CREATE INDEX brands_parent ON brands(parent_id);
CREATE INDEX brands_name ON brands(name);

CREATE TABLE brand_elements (
    id         INTEGER PRIMARY KEY,
    brand_id   INTEGER NOT NULL REFERENCES brands(id),
    parent_id  INTEGER REFERENCES brand_elements(id),
    sort_order INTEGER NOT NULL,
    kind       TEXT    NOT NULL,
    title      TEXT    NOT NULL,
    body       TEXT
);
CREATE INDEX brand_elements_brand ON brand_elements(brand_id, parent_id, sort_order);

-- The history: every status change (created, named, demoted), every step of
-- an application (applied, preliminary, evaluated, returned) and versions.
CREATE TABLE brand_events (
    id          INTEGER PRIMARY KEY,
    brand_id    INTEGER NOT NULL REFERENCES brands(id),
    seq         INTEGER NOT NULL,
    kind        TEXT    NOT NULL,
    on_date     TEXT    NOT NULL,
    at          INTEGER NOT NULL,
    from_status TEXT,
    to_status   TEXT,
    comment     TEXT,
    actor       TEXT,
    version     INTEGER,
    UNIQUE (brand_id, seq)
);

-- Versions of concept and structure (迭代升级): a JSON snapshot each.
CREATE TABLE brand_versions (
    brand_id INTEGER NOT NULL REFERENCES brands(id),
    version  INTEGER NOT NULL,
    on_date  TEXT    NOT NULL,
    at       INTEGER NOT NULL,
    note     TEXT,
    actor    TEXT,
    snapshot TEXT    NOT NULL,
    PRIMARY KEY (brand_id, version)
);

CREATE TABLE brand_evidence (
    id         INTEGER PRIMARY KEY,
    brand_id   INTEGER NOT NULL REFERENCES brands(id),
    item_id    INTEGER NOT NULL REFERENCES standard_items(id),
    kind       TEXT    NOT NULL,
    body       TEXT,
    file_id    INTEGER REFERENCES files(id),
    figure_key TEXT,
    created_at INTEGER NOT NULL,
    created_by TEXT
);
CREATE INDEX brand_evidence_brand ON brand_evidence(brand_id, item_id);
CREATE INDEX brand_evidence_item ON brand_evidence(item_id);

-- A reviewer's confirmation that a brand meets one item of its standard.
CREATE TABLE brand_checks (
    brand_id     INTEGER NOT NULL REFERENCES brands(id),
    item_id      INTEGER NOT NULL REFERENCES standard_items(id),
    confirmed_on TEXT    NOT NULL,
    confirmed_by TEXT,
    comment      TEXT,
    PRIMARY KEY (brand_id, item_id)
);
CREATE INDEX brand_checks_item ON brand_checks(item_id);

-- Honors: held by a brand, a unit, a team (by name; teams live elsewhere) or
-- a person; filed under a unit, which decides scope and figures.
CREATE TABLE honors (
    id               INTEGER PRIMARY KEY,
    unit_id          INTEGER NOT NULL REFERENCES units(id),
    title            TEXT    NOT NULL,
    level            TEXT    NOT NULL,
    issuer           TEXT,
    awarded_on       TEXT    NOT NULL,
    holder_kind      TEXT    NOT NULL,
    holder_id        INTEGER,
    holder_name      TEXT    NOT NULL,
    brand_id         INTEGER REFERENCES brands(id),
    evidence_file_id INTEGER REFERENCES files(id),
    note             TEXT,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX honors_unit ON honors(unit_id, awarded_on);
CREATE INDEX honors_brand ON honors(brand_id);
