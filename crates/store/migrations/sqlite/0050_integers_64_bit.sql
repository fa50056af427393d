-- Every integer column is 64-bit. SQLite's integers already are; the
-- PostgreSQL migration of the same number widens two columns there.
SELECT 1;
