-- Failed sign-ins within the throttling window, kept in the database so a
-- restart does not forget them and every instance of the server sees them.
-- A key names what is counted: an account from one address, or an address.

CREATE TABLE login_failures (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    since INTEGER NOT NULL
);
CREATE INDEX login_failures_since ON login_failures(since);
