CREATE TABLE searches (
  search_id   TEXT PRIMARY KEY,
  request_id  TEXT UNIQUE,
  created_us  BIGINT NOT NULL,
  state       INTEGER NOT NULL,
  search      BYTEA NOT NULL
);
CREATE TABLE results (
  search_id   TEXT PRIMARY KEY REFERENCES searches(search_id),
  candidates  BYTEA NOT NULL
);
CREATE TABLE candidates (
  search_id    TEXT NOT NULL REFERENCES searches(search_id),
  seq          INTEGER NOT NULL,
  architecture TEXT NOT NULL,
  score        DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (search_id, seq)
);
CREATE TABLE algorithm_states (
  search_id   TEXT PRIMARY KEY REFERENCES searches(search_id),
  state       BYTEA NOT NULL
);
CREATE TABLE models (
  model_id    TEXT PRIMARY KEY,
  model       BYTEA NOT NULL
);
