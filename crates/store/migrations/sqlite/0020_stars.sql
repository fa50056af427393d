-- Star-rated branch evaluation (星级党支部): schemes, campaigns, each
-- branch's entry in a campaign with its scores, evidence, vetoes and
-- objections. Scores are hundredths of a point; dates ISO text; times epoch
-- milliseconds; booleans 0/1.

-- A scheme issued by a unit for its subtree and a year. `body` is the JSON
-- of qizhi_core::stars::SchemeBody (dimensions, indicators, levels, rules,
-- vetoes, quotas). A scheme some campaign uses is frozen.
CREATE TABLE star_schemes (
    id          INTEGER PRIMARY KEY,
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    year        INTEGER NOT NULL,
    name        TEXT    NOT NULL,
    body        TEXT    NOT NULL,
    copied_from INTEGER REFERENCES star_schemes(id),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX star_schemes_unit ON star_schemes(unit_id, year);

-- A scheme run over a unit's subtree. `dates` is the JSON of StageDates.
CREATE TABLE star_campaigns (
    id            INTEGER PRIMARY KEY,
    scheme_id     INTEGER NOT NULL REFERENCES star_schemes(id),
    unit_id       INTEGER NOT NULL REFERENCES units(id),
    year          INTEGER NOT NULL,
    name          TEXT    NOT NULL,
    stage         TEXT    NOT NULL,
    review_levels INTEGER NOT NULL,
    dates         TEXT    NOT NULL,
    awarded_at    INTEGER,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX star_campaigns_unit ON star_campaigns(unit_id, year);
CREATE INDEX star_campaigns_scheme ON star_campaigns(scheme_id);

-- A branch in a campaign. `star` is the engine's star from the final
-- scores, kept current; it counts in the figures once `awarded` is 1 (0
-- stars once withdrawn). `year` and `awarded_at` copy the campaign's, to
-- order a branch's awards.
CREATE TABLE star_entries (
    id               INTEGER PRIMARY KEY,
    campaign_id      INTEGER NOT NULL REFERENCES star_campaigns(id),
    unit_id          INTEGER NOT NULL REFERENCES units(id),
    status           TEXT    NOT NULL,
    target_star      INTEGER,
    plan             TEXT,
    review1_comment  TEXT,
    review2_comment  TEXT,
    star             INTEGER NOT NULL DEFAULT 0,
    awarded          INTEGER NOT NULL DEFAULT 0,
    year             INTEGER NOT NULL,
    awarded_at       INTEGER,
    withdrawn_on     TEXT,
    withdrawn_reason TEXT,
    updated_at       INTEGER NOT NULL,
    UNIQUE (campaign_id, unit_id)
);
CREATE INDEX star_entries_unit ON star_entries(unit_id, awarded, year);
CREATE INDEX star_entries_status ON star_entries(campaign_id, status);

-- Scores per indicator and scoring stage (self, review1, review2), with the
-- evidence text (self) or the reviewer's comment.
CREATE TABLE star_scores (
    entry_id   INTEGER NOT NULL REFERENCES star_entries(id),
    stage      TEXT    NOT NULL,
    indicator  TEXT    NOT NULL,
    points     INTEGER NOT NULL,
    note       TEXT,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (entry_id, stage, indicator)
) WITHOUT ROWID;

-- Uploaded evidence of an indicator (files table).
CREATE TABLE star_evidence (
    entry_id  INTEGER NOT NULL REFERENCES star_entries(id),
    indicator TEXT    NOT NULL,
    file_id   INTEGER NOT NULL REFERENCES files(id),
    PRIMARY KEY (entry_id, indicator, file_id)
) WITHOUT ROWID;

-- Vetoes (一票否决) a reviewer found.
CREATE TABLE star_vetoes (
    entry_id INTEGER NOT NULL REFERENCES star_entries(id),
    code     TEXT    NOT NULL,
    PRIMARY KEY (entry_id, code)
) WITHOUT ROWID;

-- Objections raised during publicity, and their answers.
CREATE TABLE star_objections (
    id          INTEGER PRIMARY KEY,
    entry_id    INTEGER NOT NULL REFERENCES star_entries(id),
    raised_on   TEXT    NOT NULL,
    source      TEXT,
    content     TEXT    NOT NULL,
    answer      TEXT,
    answered_at INTEGER,
    answered_by TEXT,
    created_at  INTEGER NOT NULL,
    created_by  TEXT
);
CREATE INDEX star_objections_entry ON star_objections(entry_id);
