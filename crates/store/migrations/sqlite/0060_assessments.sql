-- Assessments of units (考核): each year an issuer (a unit's parent, or an
-- ancestor) scores the units below it in a kind of assessment. Ranks, the
-- first tier (第一方阵) and the streaks are computed from the scores by the
-- issuer's rule, never stored. Scores and business results are hundredths.

-- How an issuer places the first tier in a kind: ranked this high or better
-- (`by_rank`) or scoring at least this (`min_score`); without a row, the
-- best third.
CREATE TABLE assessment_rules (
    issuer_id  INTEGER NOT NULL REFERENCES units(id),
    kind       TEXT    NOT NULL,
    by_rank    INTEGER,
    min_score  INTEGER,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (issuer_id, kind)
);

CREATE TABLE assessments (
    id         INTEGER PRIMARY KEY,
    issuer_id  INTEGER NOT NULL REFERENCES units(id),
    unit_id    INTEGER NOT NULL REFERENCES units(id),
    kind       TEXT    NOT NULL,
    year       INTEGER NOT NULL,
    score      INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (unit_id, kind, year)
);
CREATE INDEX assessments_group ON assessments(issuer_id, kind, year);

-- A unit's yearly business result (经营业绩, e.g. a revenue index), from which
-- its growth streak is derived.
CREATE TABLE business_results (
    unit_id    INTEGER NOT NULL REFERENCES units(id),
    year       INTEGER NOT NULL,
    value      INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (unit_id, year)
);
