-- A schema-version-1 workspace as Crucible 0.1 wrote it (before metadata, FTS and the entity
-- tables). Used by the migration test, keep it byte-for-byte as released.
PRAGMA application_id = 1129464625;
CREATE TABLE problems (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    domain TEXT NOT NULL DEFAULT '',
    statement TEXT NOT NULL,
    constraints TEXT NOT NULL DEFAULT '[]',
    success_criteria TEXT NOT NULL DEFAULT '[]',
    sample_data TEXT,
    complexity TEXT NOT NULL CHECK (complexity IN ('simple', 'medium', 'complex')),
    origin TEXT NOT NULL,
    base_problem_id TEXT,
    matrix_cell TEXT,
    tags TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL);
CREATE INDEX problems_domain ON problems(domain);
CREATE INDEX problems_complexity ON problems(complexity);
CREATE INDEX problems_origin ON problems(origin);
CREATE INDEX problems_base ON problems(base_problem_id) WHERE base_problem_id IS NOT NULL;
CREATE TABLE datasets (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    domain TEXT NOT NULL DEFAULT '',
    complexity_mix TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL);
CREATE TABLE dataset_problems (
    dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    problem_id TEXT NOT NULL REFERENCES problems(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    PRIMARY KEY (dataset_id, problem_id));
CREATE INDEX dataset_problems_problem ON dataset_problems(problem_id);
INSERT INTO problems VALUES (1, 'prb_old_root', 'chemistry', 'Balance the combustion equation of propane.', '["integer coefficients"]', '["atoms balance"]', NULL, 'simple', 'manual', NULL, NULL, '["stoichiometry"]', '2025-05-01T10:00:00.000Z');
INSERT INTO problems VALUES (2, 'prb_old_child', 'chemistry', 'Balance the combustion of butane in limited oxygen.', '[]', '[]', '{"o2":"limited"}', 'medium', 'variation', 'prb_old_root', NULL, '[]', '2025-05-01T10:05:00.000Z');
INSERT INTO datasets VALUES ('ds_old', 'Old set', 'chemistry', '{"simple":0.5,"medium":0.5}', '2025-05-02T00:00:00.000Z');
INSERT INTO dataset_problems VALUES ('ds_old', 'prb_old_root', 1), ('ds_old', 'prb_old_child', 2);
PRAGMA user_version = 1;
