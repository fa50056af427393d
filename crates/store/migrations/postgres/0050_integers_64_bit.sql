-- Every integer column is 64-bit, as SQLite's are: two columns were
-- declared INTEGER (32-bit on PostgreSQL).
ALTER TABLE users ALTER COLUMN must_change_password TYPE BIGINT;
ALTER TABLE login_failures ALTER COLUMN failures TYPE BIGINT;
