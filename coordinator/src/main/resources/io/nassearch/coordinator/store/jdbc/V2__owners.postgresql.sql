ALTER TABLE searches ADD COLUMN owner TEXT;
CREATE INDEX searches_owner ON searches (owner, created_us);
CREATE TABLE store_probe (
  id   INTEGER PRIMARY KEY,
  pad  BYTEA NOT NULL
);
