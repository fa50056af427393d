-- Settings of the whole installation, one row per key, read by every
-- instance of the server: `reporting_year` pins the current reporting year.

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
