#!/usr/bin/env python3
"""Fills a Crucible workspace (made by `crucible-cli init`) with a synthetic evaluation history
for the export benchmarks: P problems, 4 generator agents, 2 solutions per agent and problem
(a solve and a refine after a critique), a verdict per solution, and one tournament whose
decisive comparisons give PAIRS preference pairs. Texts are ~600 bytes per solution.

Usage: tests/bench/make_evaluation_workspace.py WORKSPACE PAIRS
"""
import json
import random
import sqlite3
import sys

WORDS = ("inventory ledger schedule patient network budget supplier forecast compliance "
         "latency customer refund warehouse invoice shift routing quality audit capacity "
         "pricing contract dataset sensor outage").split()
NOW = "2026-12-03T12:00:00Z"


def sentence(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def main():
    path, pairs = sys.argv[1], int(sys.argv[2])
    rng = random.Random(7)
    db = sqlite3.connect(path)
    db.execute("PRAGMA foreign_keys = ON")
    agents = 4
    # Each problem gives agents*(agents-1)/2 comparisons of the agents' refined solutions.
    per_problem = agents * (agents - 1) // 2
    problems = (pairs + per_problem - 1) // per_problem
    with db:
        for a in range(agents):
            doc = {"role": "generator", "identity": {"name": f"Agent {a}", "specialization": "bench",
                                                     "description": "synthetic"},
                   "traits": {"creativity": 20 * a, "rigor": 80 - 10 * a},
                   "communication_style": "plain", "knowledge_domains": ["bench"]}
            db.execute("INSERT INTO agents (id, role, name, head_version_id, created_at, updated_at) "
                       "VALUES (?, 'generator', ?, ?, ?, ?)", (f"agt_{a}", f"Agent {a}", f"agv_{a}", NOW, NOW))
            db.execute("INSERT INTO agent_versions (id, agent_id, version, doc, system_prompt, created_at) "
                       "VALUES (?, ?, 1, ?, ?, ?)", (f"agv_{a}", f"agt_{a}", json.dumps(doc),
                                                     "You are a careful solver. " * 10, NOW))
        db.execute("INSERT INTO tournaments (id, name, format, created_at) VALUES "
                   "('trn_bench', 'Bench', 'round-robin', ?)", (NOW,))
        made = 0
        for p in range(problems):
            pid = f"prb_{p:08d}"
            db.execute("INSERT INTO problems (id, domain, statement, constraints, success_criteria, "
                       "complexity, origin, tags, created_at) VALUES (?, 'bench', ?, ?, ?, 'medium', "
                       "'seed', '[]', ?)",
                       (pid, f"Problem {p}: " + sentence(rng, 40),
                        json.dumps(["stay within budget", "use only the given data"]),
                        json.dumps(["all constraints hold"]), NOW))
            refined = []
            for a in range(agents):
                sid = f"sol_{p}_{a}"
                doc = {"approach": sentence(rng, 20), "steps": [sentence(rng, 15) for _ in range(4)],
                       "final_answer": sentence(rng, 8), "assumptions": [sentence(rng, 6)]}
                db.execute("INSERT INTO solutions (id, problem_id, agent_version_id, stage, doc, "
                           "text_length, created_at) VALUES (?, ?, ?, 'solve', ?, 600, ?)",
                           (sid, pid, f"agv_{a}", json.dumps(doc), NOW))
                cid = f"crt_{p}_{a}"
                db.execute("INSERT INTO critiques (id, solution_id, agent_version_id, doc, created_at) "
                           "VALUES (?, ?, ?, ?, ?)",
                           (cid, sid, f"agv_{(a + 1) % agents}",
                            json.dumps({"summary": sentence(rng, 12), "verdict": "revise", "issues": [
                                {"severity": "minor", "criterion": "budget", "description": sentence(rng, 10),
                                 "suggestion": sentence(rng, 8)}]}), NOW))
                rid = f"sol_{p}_{a}_r"
                doc["final_answer"] = sentence(rng, 8)
                db.execute("INSERT INTO solutions (id, problem_id, agent_version_id, stage, refined_from, "
                           "critique_id, doc, text_length, created_at) VALUES (?, ?, ?, 'refine', ?, ?, ?, "
                           "600, ?)", (rid, pid, f"agv_{a}", sid, cid, json.dumps(doc), NOW))
                score = round(rng.random(), 3)
                db.execute("INSERT INTO verdicts (id, solution_id, judge_version_id, status, overall, "
                           "scores, created_at) VALUES (?, ?, 'agv_0', 'ok', ?, ?, ?)",
                           (f"vrd_{p}_{a}", rid, score,
                            json.dumps({"correctness": {"score": score, "rationale": sentence(rng, 12)}}), NOW))
                refined.append((rid, score))
            for i in range(agents):
                for j in range(i + 1, agents):
                    if made >= pairs:
                        break
                    (a, sa), (b, sb) = refined[i], refined[j]
                    win = "a" if sa >= sb else "b"
                    cid = f"cmp_{p}_{i}_{j}"
                    db.execute("INSERT INTO comparisons (id, tournament_id, problem_id, solution_a, "
                               "solution_b, judge_version_id, verdict_ab, verdict_ba, winner, created_at) "
                               "VALUES (?, 'trn_bench', ?, ?, ?, 'agv_0', ?, ?, ?, ?)",
                               (cid, pid, a, b, win, win, win, NOW))
                    chosen, rejected = (a, b) if win == "a" else (b, a)
                    db.execute("INSERT INTO preference_pairs (id, comparison_id, problem_id, "
                               "chosen_solution_id, rejected_solution_id, chosen_score, rejected_score, "
                               "doc, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                               (f"prf_{made}", cid, pid, chosen, rejected, max(sa, sb), min(sa, sb),
                                json.dumps({"judges": ["agv_0"]}), NOW))
                    made += 1
    print(f"{path}: {problems} problems, {problems * agents * 2} solutions, {made} preference pairs")


if __name__ == "__main__":
    main()
