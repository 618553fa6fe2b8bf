"""Every SQL statement of the run history, and the schema as numbered migrations.

This module alone owns the schema: a PostgreSQL backend (roadmap) supplies a module with
the same names. Statements are parameterised (named :params, never string formatting)
and use only what SQLite >= 3.35 and PostgreSQL share (RETURNING, no AUTOINCREMENT).

Tables:
  runs         one per recorded invocation: when, which code, which machine, scenario.
  repetitions  one per repetition of a strategy, with the whole iteration JSON, so that
               metrics added to the harness later can still be read from old runs.
  metrics      every numeric metric of a repetition by key, for queries (trend).
  baselines    a name (--save-baseline) pointing at a run.
"""

SCHEMA_VERSION_TABLE = "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"
GET_VERSION = "SELECT version FROM schema_version"
INSERT_VERSION = "INSERT INTO schema_version (version) VALUES (:version)"
SET_VERSION = "UPDATE schema_version SET version = :version"

# (version, what it does, statements). Append only: a released migration never changes.
MIGRATIONS = (
    (1, "initial schema", (
        """CREATE TABLE runs (
               id INTEGER PRIMARY KEY,
               recorded_at TEXT NOT NULL,      -- ISO 8601 UTC, sorts as text
               commit_id TEXT NOT NULL,        -- git describe of the code under test
               host TEXT NOT NULL,
               kernel TEXT NOT NULL,
               cpu_model TEXT NOT NULL,
               gstreamer TEXT NOT NULL,
               scenario TEXT NOT NULL,
               options TEXT NOT NULL           -- canonical JSON (sorted keys)
           )""",
        """CREATE TABLE repetitions (
               id INTEGER PRIMARY KEY,
               run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
               strategy TEXT NOT NULL,
               repetition_index INTEGER NOT NULL,
               ok INTEGER NOT NULL,
               iteration TEXT NOT NULL,        -- the whole iteration entry, JSON
               UNIQUE (run_id, strategy, repetition_index)
           )""",
        """CREATE TABLE metrics (
               repetition_id INTEGER NOT NULL REFERENCES repetitions (id) ON DELETE CASCADE,
               key TEXT NOT NULL,
               value REAL NOT NULL,
               PRIMARY KEY (repetition_id, key)
           )""",
        """CREATE TABLE baselines (
               name TEXT PRIMARY KEY,
               run_id INTEGER NOT NULL REFERENCES runs (id),
               saved_at TEXT NOT NULL
           )""",
    )),
    (2, "runs say which command recorded them; index for host + scenario queries", (
        "ALTER TABLE runs ADD COLUMN source TEXT NOT NULL DEFAULT 'compare'",
        "CREATE INDEX runs_by_host_scenario ON runs (host, scenario, recorded_at)",
        "CREATE INDEX metrics_by_key ON metrics (key)",
    )),
    # Every row before this migration came from a results file of schema version 0, whose
    # real_time was the p50 latency (also stored as latency_p50_ns); from version 1 it is
    # wall time per packet. Dropping the old rows keeps a trend of real_time from mixing
    # the two; reading a repetition back converts it the same way (results/load.py).
    (3, "real_time of schema-0 results was the p50 latency: not a real_time value", (
        "DELETE FROM metrics WHERE key = 'real_time'",
    )),
)

INSERT_RUN = """
    INSERT INTO runs (recorded_at, commit_id, host, kernel, cpu_model, gstreamer, scenario,
                      options, source)
    VALUES (:recorded_at, :commit, :host, :kernel, :cpu_model, :gstreamer, :scenario,
            :options, :source)
    RETURNING id"""

INSERT_REPETITION = """
    INSERT INTO repetitions (run_id, strategy, repetition_index, ok, iteration)
    VALUES (:run_id, :strategy, :repetition_index, :ok, :iteration)
    RETURNING id"""

INSERT_METRIC = """
    INSERT INTO metrics (repetition_id, key, value) VALUES (:repetition_id, :key, :value)"""

SAVE_BASELINE = """
    INSERT INTO baselines (name, run_id, saved_at) VALUES (:name, :run_id, :saved_at)
    ON CONFLICT (name) DO UPDATE SET run_id = excluded.run_id, saved_at = excluded.saved_at"""

BASELINE_RUN = "SELECT run_id FROM baselines WHERE name = :name"

RUN = """
    SELECT id, recorded_at, commit_id, host, kernel, cpu_model, gstreamer, scenario, options,
           source
    FROM runs WHERE id = :run_id"""

# The last runs on one host with one scenario and the same options, newest first.
RUNS_LIKE = """
    SELECT id FROM runs
    WHERE host = :host AND scenario = :scenario AND options = :options
    ORDER BY recorded_at DESC, id DESC
    LIMIT :last"""

RUNS_ON_HOST = "SELECT count(*) FROM runs WHERE host = :host"

ITERATIONS_OF_RUN = """
    SELECT iteration FROM repetitions WHERE run_id = :run_id
    ORDER BY strategy, repetition_index"""

# One metric's values per run and strategy, for the last :last runs that match.
TREND = """
    SELECT r.id, r.recorded_at, r.commit_id, r.host, r.scenario, p.strategy, m.value
    FROM runs r
    JOIN repetitions p ON p.run_id = r.id
    JOIN metrics m ON m.repetition_id = p.id
    WHERE m.key = :metric AND p.ok = 1
      AND (:strategy IS NULL OR p.strategy = :strategy)
      AND r.id IN (
          SELECT r2.id FROM runs r2
          WHERE (:host IS NULL OR r2.host = :host)
            AND (:scenario IS NULL OR r2.scenario = :scenario)
            AND (:strategy IS NULL OR EXISTS (
                SELECT 1 FROM repetitions p2
                WHERE p2.run_id = r2.id AND p2.strategy = :strategy))
          ORDER BY r2.recorded_at DESC, r2.id DESC
          LIMIT :last)
    ORDER BY r.recorded_at, r.id, p.strategy"""
