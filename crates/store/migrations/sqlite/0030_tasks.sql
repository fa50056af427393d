-- Fortresses (堡垒) with their flags (插旗); teams (队伍) and their members;
-- tasks (任务) with their responsible people and progress ledger (进展) and
-- its evidence; member commitments (承诺). Dates are ISO text, times epoch
-- milliseconds. Rows of a unit keep the unit's path (`unit_path`, rewritten
-- when units move) so that a subtree's list is one index range.

CREATE TABLE fortresses (
    id              INTEGER PRIMARY KEY,
    code            TEXT    NOT NULL UNIQUE,
    unit_id         INTEGER NOT NULL REFERENCES units(id),
    unit_path       TEXT    NOT NULL,
    name            TEXT    NOT NULL,
    scenario_id     INTEGER REFERENCES scenarios(id),
    grid_id         INTEGER REFERENCES grids(id),
    set_up_on       TEXT    NOT NULL,
    closed_on       TEXT,
    leader_id       INTEGER REFERENCES people(id) ON DELETE SET NULL,
    description     TEXT,
    -- The flag, once planted.
    flag_name       TEXT,
    flag_planted_on TEXT,
    flag_leader_id  INTEGER REFERENCES people(id) ON DELETE SET NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX fortresses_path ON fortresses(unit_path, code);
CREATE INDEX fortresses_unit ON fortresses(unit_id);
CREATE INDEX fortresses_grid ON fortresses(grid_id);
CREATE INDEX fortresses_scenario ON fortresses(scenario_id);

CREATE TABLE teams (
    id           INTEGER PRIMARY KEY,
    code         TEXT    NOT NULL UNIQUE,
    unit_id      INTEGER NOT NULL REFERENCES units(id),
    unit_path    TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    kind         TEXT    NOT NULL,
    founded_on   TEXT,
    disbanded_on TEXT,
    leader_id    INTEGER REFERENCES people(id) ON DELETE SET NULL,
    description  TEXT,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX teams_path ON teams(unit_path, kind);
CREATE INDEX teams_unit ON teams(unit_id);

CREATE TABLE team_members (
    team_id   INTEGER NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    PRIMARY KEY (team_id, person_id)
);
CREATE INDEX team_members_person ON team_members(person_id);

CREATE TABLE tasks (
    id            INTEGER PRIMARY KEY,
    -- Unique; NULL only inside the transaction that assigns one.
    code          TEXT    UNIQUE,
    unit_id       INTEGER NOT NULL REFERENCES units(id),
    unit_path     TEXT    NOT NULL,
    kind          TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    description   TEXT,
    fortress_id   INTEGER REFERENCES fortresses(id),
    team_id       INTEGER REFERENCES teams(id),
    -- Brands are kept by another capability: linked by id, no foreign key yet.
    brand_id      INTEGER,
    -- A decimal as text ("12", "3.5"): exact, and bound the same way on both backends.
    target        TEXT,
    target_unit   TEXT,
    year          INTEGER NOT NULL,
    start_on      TEXT,
    due_on        TEXT,
    -- The due date, or '9999-12-31' when there is none: the sort key of
    -- lists (undated last), the same on both backends and usable by indexes.
    due_key       TEXT    NOT NULL,
    status        TEXT    NOT NULL,
    -- 1 high, 2 normal, 3 low: lists sort the most urgent first.
    priority      INTEGER NOT NULL,
    -- Set by the latest progress entry.
    progress      INTEGER NOT NULL DEFAULT 0,
    last_entry_on TEXT,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
-- "The 50 tasks of a unit by due date" and "a province's tasks, filtered";
-- tasks_due lets a list of a large subtree walk in due order and stop at a page.
CREATE INDEX tasks_unit_due ON tasks(unit_id, due_key, id);
CREATE INDEX tasks_path_due ON tasks(unit_path, due_key, id);
CREATE INDEX tasks_due ON tasks(due_key, id);
CREATE INDEX tasks_path_year ON tasks(unit_path, year, kind, status);
CREATE INDEX tasks_open_due ON tasks(due_on, unit_path) WHERE status IN ('not_started', 'in_progress');
CREATE INDEX tasks_fortress ON tasks(fortress_id);
CREATE INDEX tasks_team ON tasks(team_id);

CREATE TABLE task_people (
    task_id   INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    PRIMARY KEY (task_id, person_id)
);
CREATE INDEX task_people_person ON task_people(person_id, task_id);

CREATE TABLE task_entries (
    id         INTEGER PRIMARY KEY,
    task_id    INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    entry_on   TEXT    NOT NULL,
    progress   INTEGER NOT NULL,
    note       TEXT,
    person_id  INTEGER REFERENCES people(id) ON DELETE SET NULL,
    created_by TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX task_entries_task ON task_entries(task_id, entry_on, id);

CREATE TABLE task_entry_files (
    entry_id INTEGER NOT NULL REFERENCES task_entries(id) ON DELETE CASCADE,
    file_id  INTEGER NOT NULL REFERENCES files(id),
    PRIMARY KEY (entry_id, file_id)
);

CREATE TABLE commitments (
    id             INTEGER PRIMARY KEY,
    person_id      INTEGER NOT NULL REFERENCES people(id),
    -- The member's unit when it was made: the branch that verifies it.
    unit_id        INTEGER NOT NULL REFERENCES units(id),
    unit_path      TEXT    NOT NULL,
    year           INTEGER NOT NULL,
    text           TEXT    NOT NULL,
    category       TEXT    NOT NULL,
    due_on         TEXT,
    progress_note  TEXT,
    status         TEXT    NOT NULL,
    verified_by    TEXT,
    verified_on    TEXT,
    verify_comment TEXT,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
CREATE INDEX commitments_path ON commitments(unit_path, year);
CREATE INDEX commitments_person ON commitments(person_id, year);
CREATE INDEX commitments_unit ON commitments(unit_id, year);
