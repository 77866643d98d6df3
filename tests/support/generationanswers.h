#pragma once
// Answers for the loopback LLM server that look like a real model's generation output: varied,
// schema-valid JSON for the generation schemas (problem, seeds, adversarial, expansion,
// interaction_turn), different on every call like sampled output, with an optional share of
// planted near-duplicates. Thread-safe.

#include <QByteArray>
#include <nlohmann/json.hpp>

namespace crucible::test {

// How answers to the same request relate: Sampled, a different answer every call (a model at
// temperature > 0); Seeded, the same answer every time (a model asked with a fixed seed), for
// tests that compare two runs of one process.
enum class Sampling { Sampled, Seeded };

// `duplicateRate`: share of answers (by request hash) whose statement is one fixed text, so
// that dedup has something to reject.
QByteArray generationAnswer(const nlohmann::json &request, double duplicateRate = 0.0,
                            Sampling sampling = Sampling::Sampled);

} // namespace crucible::test
