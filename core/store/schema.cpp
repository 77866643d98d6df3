#include "core/store/schema.h"

namespace crucible::schema {

namespace {

// Version 1: problems and datasets.
const char *const kV1[] = {
    R"(CREATE TABLE problems (
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
        created_at TEXT NOT NULL))",
    "CREATE INDEX problems_domain ON problems(domain)",
    "CREATE INDEX problems_complexity ON problems(complexity)",
    "CREATE INDEX problems_origin ON problems(origin)",
    "CREATE INDEX problems_base ON problems(base_problem_id) WHERE base_problem_id IS NOT NULL",
    R"(CREATE TABLE datasets (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        domain TEXT NOT NULL DEFAULT '',
        complexity_mix TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL))",
    R"(CREATE TABLE dataset_problems (
        dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        problem_id TEXT NOT NULL REFERENCES problems(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        PRIMARY KEY (dataset_id, problem_id)))",
    "CREATE INDEX dataset_problems_problem ON dataset_problems(problem_id)",
};

const char *const kFtsInsertTrigger =
    R"(CREATE TRIGGER problems_fts_insert AFTER INSERT ON problems BEGIN
        INSERT INTO problems_fts(rowid, statement, constraints, success_criteria, tags, domain)
        VALUES (new.seq, new.statement, new.constraints, new.success_criteria, new.tags,
                new.domain);
    END)";

// Version 2: provenance metadata, full-text search, and the tables of later capabilities.
const char *const kV2[] = {
    "ALTER TABLE problems ADD COLUMN metadata TEXT NOT NULL DEFAULT '{}'",
    "ALTER TABLE datasets ADD COLUMN metadata TEXT NOT NULL DEFAULT '{}'",
    "CREATE UNIQUE INDEX dataset_problems_position ON dataset_problems(dataset_id, position)",
    // A narrow copy of the row order: jumping to row N of a million walks this, not the table.
    "CREATE INDEX problems_seq ON problems(seq)",
    R"(CREATE VIRTUAL TABLE problems_fts USING fts5(
        statement, constraints, success_criteria, tags, domain,
        content='problems', content_rowid='seq', detail='none',
        tokenize='unicode61 remove_diacritics 2'))",
    R"(CREATE TRIGGER problems_fts_delete AFTER DELETE ON problems BEGIN
        INSERT INTO problems_fts(problems_fts, rowid, statement, constraints, success_criteria,
                                 tags, domain)
        VALUES ('delete', old.seq, old.statement, old.constraints, old.success_criteria,
                old.tags, old.domain);
    END)",
    R"(CREATE TRIGGER problems_fts_update AFTER UPDATE ON problems BEGIN
        INSERT INTO problems_fts(problems_fts, rowid, statement, constraints, success_criteria,
                                 tags, domain)
        VALUES ('delete', old.seq, old.statement, old.constraints, old.success_criteria,
                old.tags, old.domain);
        INSERT INTO problems_fts(rowid, statement, constraints, success_criteria, tags, domain)
        VALUES (new.seq, new.statement, new.constraints, new.success_criteria, new.tags,
                new.domain);
    END)",
    "INSERT INTO problems_fts(problems_fts) VALUES ('rebuild')",
};

// Version 3: the LLM call ledger gets real columns (cache lookups, inspector filters and totals
// must not parse JSON) next to the full document.
const char *const kV3[] = {
    "ALTER TABLE llm_calls ADD COLUMN provider TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE llm_calls ADD COLUMN model TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE llm_calls ADD COLUMN status TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE llm_calls ADD COLUMN http_status INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE llm_calls ADD COLUMN attempt INTEGER NOT NULL DEFAULT 1",
    "ALTER TABLE llm_calls ADD COLUMN tokens_in INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE llm_calls ADD COLUMN tokens_out INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE llm_calls ADD COLUMN cost_usd REAL",
    "ALTER TABLE llm_calls ADD COLUMN latency_ms INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE llm_calls ADD COLUMN cache_hit INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE llm_calls ADD COLUMN cache_key TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE llm_calls ADD COLUMN template_id TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE llm_calls ADD COLUMN error TEXT NOT NULL DEFAULT ''",
    R"(UPDATE llm_calls SET
        provider = coalesce(json_extract(doc, '$.provider'), ''),
        model = coalesce(json_extract(doc, '$.model'), ''),
        status = coalesce(json_extract(doc, '$.status'), ''),
        http_status = coalesce(json_extract(doc, '$.http_status'), 0),
        attempt = coalesce(json_extract(doc, '$.attempt'), 1),
        tokens_in = coalesce(json_extract(doc, '$.tokens_in'), 0),
        tokens_out = coalesce(json_extract(doc, '$.tokens_out'), 0),
        cost_usd = json_extract(doc, '$.cost_usd'),
        latency_ms = coalesce(json_extract(doc, '$.latency_ms'), 0),
        cache_hit = coalesce(json_extract(doc, '$.cache_hit'), 0),
        cache_key = coalesce(json_extract(doc, '$.cache_key'), ''),
        template_id = coalesce(json_extract(doc, '$.template_id'), ''),
        error = coalesce(json_extract(doc, '$.error'), ''))",
    "CREATE INDEX llm_calls_cache ON llm_calls(cache_key) WHERE cache_key <> '' AND cache_hit = 0",
    "CREATE INDEX llm_calls_status ON llm_calls(status)",
};

// Version 4: generation jobs and their units of work. A unit is written when it starts (with the
// exact input it was given, so a resumed job asks the same question and hits the cache) and
// again, together with what it produced, when it ends.
const char *const kV4[] = {
    R"(CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        params TEXT NOT NULL DEFAULT '{}',
        status TEXT NOT NULL,
        done INTEGER NOT NULL DEFAULT 0,
        total INTEGER NOT NULL DEFAULT 0,
        summary TEXT NOT NULL DEFAULT '{}',
        error TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL))",
    R"(CREATE TABLE job_units (
        job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        unit INTEGER NOT NULL,
        grp TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL,
        input TEXT NOT NULL DEFAULT '{}',
        result TEXT NOT NULL DEFAULT '{}',
        PRIMARY KEY (job_id, unit)))",
};

// Version 5: curation. A review verdict and note per problem, the generating job as a column (the
// Problems panel filters by it), dataset members get their own origin, and the full-text index is
// only rewritten when an indexed column changes (a review of 10,000 problems touches no index).
const char *const kV5[] = {
    ("ALTER TABLE problems ADD COLUMN review_status TEXT NOT NULL DEFAULT 'unreviewed' "
     "CHECK (review_status IN ('unreviewed', 'accepted', 'rejected'))"),
    "ALTER TABLE problems ADD COLUMN review_note TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE problems ADD COLUMN job_id TEXT NOT NULL DEFAULT ''",
    "DROP TRIGGER problems_fts_update",
    R"(CREATE TRIGGER problems_fts_update
        AFTER UPDATE OF statement, constraints, success_criteria, tags, domain ON problems BEGIN
        INSERT INTO problems_fts(problems_fts, rowid, statement, constraints, success_criteria,
                                 tags, domain)
        VALUES ('delete', old.seq, old.statement, old.constraints, old.success_criteria,
                old.tags, old.domain);
        INSERT INTO problems_fts(rowid, statement, constraints, success_criteria, tags, domain)
        VALUES (new.seq, new.statement, new.constraints, new.success_criteria, new.tags,
                new.domain);
    END)",
    R"(UPDATE problems SET job_id = json_extract(metadata, '$.job_id')
        WHERE json_valid(metadata) AND json_type(metadata, '$.job_id') = 'text')",
    R"(UPDATE problems SET origin = 'dataset'
        WHERE origin = 'seed' AND json_valid(metadata)
          AND json_extract(metadata, '$.generator') = 'dataset')",
    "CREATE INDEX problems_review ON problems(review_status)",
    "CREATE INDEX problems_job ON problems(job_id) WHERE job_id <> ''",
};

// Version 6: the Problems table sorts by creation time through an index (keyset paging on
// (created_at, seq)); the other sortable columns already have one.
const char *const kV6[] = {
    "CREATE INDEX problems_created ON problems(created_at)",
};

// Version 7: agents and evaluation. The generic JSON tables of version 2 for agents and solutions
// were never written by a feature; they are kept under a legacy name (nothing is dropped) and
// replaced by real tables. Every agent change is a new immutable row in agent_versions; solutions,
// critiques, verdicts, comparisons and ratings name the exact version that produced them.
const char *const kV7[] = {
    "ALTER TABLE agents RENAME TO legacy_agents",
    "ALTER TABLE solutions RENAME TO legacy_solutions",
    R"(CREATE TABLE agents (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL,
        name TEXT NOT NULL,
        is_template INTEGER NOT NULL DEFAULT 0,
        head_version_id TEXT NOT NULL DEFAULT '',
        cloned_from TEXT NOT NULL DEFAULT '',
        archived INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL))",
    "CREATE INDEX agents_role ON agents(role)",
    R"(CREATE TABLE agent_versions (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
        version INTEGER NOT NULL CHECK (version >= 1),
        parent_version_id TEXT NOT NULL DEFAULT '',
        doc TEXT NOT NULL,
        system_prompt TEXT NOT NULL,
        prompt_template TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        UNIQUE (agent_id, version)))",
    "CREATE INDEX agent_versions_parent ON agent_versions(parent_version_id)",
    R"(CREATE TABLE solutions (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        problem_id TEXT NOT NULL REFERENCES problems(id) ON DELETE CASCADE,
        agent_version_id TEXT NOT NULL REFERENCES agent_versions(id),
        stage TEXT NOT NULL CHECK (stage IN ('solve', 'refine')),
        refined_from TEXT NOT NULL DEFAULT '',
        critique_id TEXT NOT NULL DEFAULT '',
        job_id TEXT NOT NULL DEFAULT '',
        doc TEXT NOT NULL,
        text_length INTEGER NOT NULL DEFAULT 0,
        call_ids TEXT NOT NULL DEFAULT '[]',
        cost_usd REAL,
        tokens INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL))",
    "CREATE INDEX solutions_problem ON solutions(problem_id)",
    "CREATE INDEX solutions_agent ON solutions(agent_version_id)",
    "CREATE INDEX solutions_job ON solutions(job_id) WHERE job_id <> ''",
    "CREATE INDEX solutions_refined ON solutions(refined_from) WHERE refined_from <> ''",
    R"(CREATE TABLE critiques (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        solution_id TEXT NOT NULL REFERENCES solutions(id) ON DELETE CASCADE,
        agent_version_id TEXT NOT NULL REFERENCES agent_versions(id),
        job_id TEXT NOT NULL DEFAULT '',
        doc TEXT NOT NULL,
        call_ids TEXT NOT NULL DEFAULT '[]',
        cost_usd REAL,
        tokens INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL))",
    "CREATE INDEX critiques_solution ON critiques(solution_id)",
    R"(CREATE TABLE verdicts (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        solution_id TEXT NOT NULL REFERENCES solutions(id) ON DELETE CASCADE,
        judge_version_id TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
        overall REAL,
        confidence REAL,
        novelty REAL,
        scores TEXT NOT NULL DEFAULT '{}',
        checks TEXT NOT NULL DEFAULT '{}',
        rubric_version TEXT NOT NULL DEFAULT '',
        prompt_template TEXT NOT NULL DEFAULT '',
        error TEXT NOT NULL DEFAULT '',
        job_id TEXT NOT NULL DEFAULT '',
        call_ids TEXT NOT NULL DEFAULT '[]',
        cost_usd REAL,
        tokens INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL))",
    "CREATE INDEX verdicts_solution ON verdicts(solution_id)",
    "CREATE INDEX verdicts_judge ON verdicts(judge_version_id)",
    R"(CREATE TABLE human_judgments (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        solution_id TEXT NOT NULL REFERENCES solutions(id) ON DELETE CASCADE,
        aspect TEXT NOT NULL,
        rating INTEGER CHECK (rating IS NULL OR rating BETWEEN 1 AND 5),
        note TEXT NOT NULL DEFAULT '',
        rater TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (solution_id, aspect, rater)))",
    R"(CREATE TABLE tournaments (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL DEFAULT '',
        format TEXT NOT NULL CHECK (format IN ('round-robin', 'swiss')),
        params TEXT NOT NULL DEFAULT '{}',
        job_id TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL))",
    R"(CREATE TABLE comparisons (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        tournament_id TEXT NOT NULL DEFAULT '',
        problem_id TEXT NOT NULL REFERENCES problems(id) ON DELETE CASCADE,
        solution_a TEXT NOT NULL REFERENCES solutions(id) ON DELETE CASCADE,
        solution_b TEXT NOT NULL REFERENCES solutions(id) ON DELETE CASCADE,
        entrant_a TEXT NOT NULL DEFAULT '',
        entrant_b TEXT NOT NULL DEFAULT '',
        judge_version_id TEXT NOT NULL DEFAULT '',
        verdict_ab TEXT NOT NULL CHECK (verdict_ab IN ('a', 'b', 'tie', 'failed')),
        verdict_ba TEXT NOT NULL CHECK (verdict_ba IN ('a', 'b', 'tie', 'failed')),
        winner TEXT NOT NULL CHECK (winner IN ('a', 'b', 'tie', 'failed')),
        doc TEXT NOT NULL DEFAULT '{}',
        job_id TEXT NOT NULL DEFAULT '',
        call_ids TEXT NOT NULL DEFAULT '[]',
        cost_usd REAL,
        tokens INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        UNIQUE (tournament_id, solution_a, solution_b, judge_version_id)))",
    "CREATE INDEX comparisons_tournament ON comparisons(tournament_id)",
    "CREATE INDEX comparisons_problem ON comparisons(problem_id)",
    R"(CREATE TABLE ratings (
        tournament_id TEXT NOT NULL,
        entrant TEXT NOT NULL,
        rating REAL NOT NULL,
        ci_low REAL NOT NULL,
        ci_high REAL NOT NULL,
        wins INTEGER NOT NULL DEFAULT 0,
        losses INTEGER NOT NULL DEFAULT 0,
        ties INTEGER NOT NULL DEFAULT 0,
        doc TEXT NOT NULL DEFAULT '{}',
        computed_at TEXT NOT NULL,
        PRIMARY KEY (tournament_id, entrant)))",
    R"(CREATE TABLE preference_pairs (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        comparison_id TEXT NOT NULL UNIQUE REFERENCES comparisons(id) ON DELETE CASCADE,
        problem_id TEXT NOT NULL REFERENCES problems(id) ON DELETE CASCADE,
        chosen_solution_id TEXT NOT NULL REFERENCES solutions(id) ON DELETE CASCADE,
        rejected_solution_id TEXT NOT NULL REFERENCES solutions(id) ON DELETE CASCADE,
        chosen_score REAL,
        rejected_score REAL,
        doc TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL))",
    "CREATE INDEX preference_pairs_problem ON preference_pairs(problem_id)",
};

// Version 8: the feedback inbox. A question is raised once per dedup key (raising again refreshes
// nothing twice); an answer records the effects it had (human judgments written with the values
// they replaced, questions it resolved, the rubric criterion it added) so that undo can revert
// exactly those. Verdicts name the human-rated solutions their judge prompt carried as
// calibration examples. The version-2 feedback_items table was never written by a feature and
// is left as it is.
const char *const kV8[] = {
    R"(CREATE TABLE feedback_questions (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('disagreement', 'low_confidence', 'boundary',
                                           'rubric_gap', 'budget', 'comparison')),
        status TEXT NOT NULL CHECK (status IN ('pending', 'snoozed', 'answered', 'resolved',
                                               'dismissed')),
        answer_type TEXT NOT NULL CHECK (answer_type IN ('rating', 'choice', 'yes_no', 'text')),
        dedup_key TEXT NOT NULL UNIQUE,
        problem_id TEXT NOT NULL DEFAULT '',
        solution_id TEXT NOT NULL DEFAULT '',
        aspect TEXT NOT NULL DEFAULT '',
        job_id TEXT NOT NULL DEFAULT '',
        question TEXT NOT NULL,
        context TEXT NOT NULL DEFAULT '{}',
        uncertainty REAL NOT NULL,
        impact REAL NOT NULL,
        expected_value REAL NOT NULL,
        snoozed_until TEXT NOT NULL DEFAULT '',
        answer_id TEXT NOT NULL DEFAULT '',
        resolved_by TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL))",
    "CREATE INDEX feedback_questions_status ON feedback_questions(status, expected_value)",
    "CREATE INDEX feedback_questions_solution ON feedback_questions(solution_id)",
    "CREATE INDEX feedback_questions_problem ON feedback_questions(problem_id)",
    R"(CREATE TABLE feedback_answers (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        question_id TEXT NOT NULL REFERENCES feedback_questions(id) ON DELETE CASCADE,
        answer_type TEXT NOT NULL,
        value TEXT NOT NULL,
        effects TEXT NOT NULL DEFAULT '{}',
        rater TEXT NOT NULL DEFAULT '',
        undone INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        undone_at TEXT NOT NULL DEFAULT ''))",
    "CREATE INDEX feedback_answers_question ON feedback_answers(question_id)",
    R"(CREATE TABLE feedback_digests (
        seq INTEGER PRIMARY KEY,
        question_ids TEXT NOT NULL,
        created_at TEXT NOT NULL))",
    R"(CREATE TABLE feedback_settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL))",
    "ALTER TABLE verdicts ADD COLUMN calibration TEXT NOT NULL DEFAULT '[]'",
};

// Version 9: problem definition sessions. A session (its rounds of questions and answers and
// every draft) is one JSON document beside its domain, statement and state, so that it can be
// resumed and replayed; the problem it became is named once it is finished.
const char *const kV9[] = {
    R"(CREATE TABLE definition_sessions (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        domain TEXT NOT NULL,
        statement TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('asking', 'answering', 'ready', 'finished')),
        doc TEXT NOT NULL DEFAULT '{}',
        problem_id TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL))",
};

QStringList entityTable(const char *name)
{
    const QString table = QString::fromUtf8(name);
    return {QStringLiteral("CREATE TABLE %1 ("
                           "seq INTEGER PRIMARY KEY, "
                           "id TEXT NOT NULL UNIQUE, "
                           "parent TEXT NOT NULL DEFAULT '', "
                           "doc TEXT NOT NULL, "
                           "created_at TEXT NOT NULL DEFAULT '')")
                .arg(table),
            QStringLiteral("CREATE INDEX %1_parent ON %1(parent)").arg(table)};
}

template <size_t N> QStringList toList(const char *const (&statements)[N])
{
    QStringList out;
    for (const char *s : statements)
        out << QString::fromUtf8(s);
    return out;
}

} // namespace

QStringList migrationStep(int to)
{
    switch (to) {
    case 1:
        return toList(kV1);
    case 2: {
        QStringList out = toList(kV2);
        out.insert(out.size() - 1, QString::fromUtf8(kFtsInsertTrigger));
        for (const char *t : {"agents", "solutions", "interactions", "feedback_items",
                              "training_runs", "llm_calls"})
            out << entityTable(t);
        return out;
    }
    case 3:
        return toList(kV3);
    case 4:
        return toList(kV4);
    case 5:
        return toList(kV5);
    case 6:
        return toList(kV6);
    case 7:
        return toList(kV7);
    case 8:
        return toList(kV8);
    case 9:
        return toList(kV9);
    default:
        return {};
    }
}

QString ftsInsertTrigger()
{
    return QString::fromUtf8(kFtsInsertTrigger);
}

QString ftsIndexRowsAfter()
{
    return QStringLiteral(
        "INSERT INTO problems_fts(rowid, statement, constraints, success_criteria, tags, domain) "
        "SELECT seq, statement, constraints, success_criteria, tags, domain FROM problems "
        "WHERE seq > ?");
}

} // namespace crucible::schema
