-- The audit trail: every change and every denied access, appended and never
-- changed. `unit_path` is the path of the unit the object belonged to at the
-- time, so the trail can be read by scope even after reorganizations.

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    user_id     INTEGER,
    username    TEXT    NOT NULL,
    ip          TEXT,
    action      TEXT    NOT NULL,
    object_kind TEXT    NOT NULL,
    object_id   TEXT,
    unit_path   TEXT,
    summary     TEXT    NOT NULL,
    before      TEXT,
    after       TEXT
);
CREATE INDEX audit_at ON audit_log(at);
CREATE INDEX audit_path ON audit_log(unit_path, at);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

