CREATE TABLE trial_records (
  search_id  TEXT NOT NULL REFERENCES searches(search_id),
  seq        INTEGER NOT NULL,
  record     BYTEA NOT NULL,
  PRIMARY KEY (search_id, seq)
);
