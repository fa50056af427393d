-- Accounts: a password set by an administrator (a reset) must be changed at
-- the next sign-in; when the password last changed is kept for the account page.

ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN password_changed_at BIGINT;
CREATE INDEX grants_user ON grants(user_id);
CREATE INDEX grants_unit ON grants(unit_id);
CREATE UNIQUE INDEX users_person ON users(person_id);
