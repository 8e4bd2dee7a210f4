CREATE TABLE searches (
  search_id   TEXT PRIMARY KEY,
  request_id  TEXT UNIQUE,
  created_us  INTEGER NOT NULL,
  state       INTEGER NOT NULL,
  search      BLOB NOT NULL
);
CREATE TABLE results (
  search_id   TEXT PRIMARY KEY REFERENCES searches(search_id),
  candidates  BLOB NOT NULL
);
CREATE TABLE candidates (
  search_id    TEXT NOT NULL REFERENCES searches(search_id),
  seq          INTEGER NOT NULL,
  architecture TEXT NOT NULL,
  score        REAL NOT NULL,
  PRIMARY KEY (search_id, seq)
);
CREATE TABLE algorithm_states (
  search_id   TEXT PRIMARY KEY REFERENCES searches(search_id),
  state       BLOB NOT NULL
);
CREATE TABLE models (
  model_id    TEXT PRIMARY KEY,
  model       BLOB NOT NULL
);
