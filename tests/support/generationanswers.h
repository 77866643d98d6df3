#pragma once
// Answers for the loopback LLM server that look like a real model's generation output: varied,
// schema-valid JSON for the generation schemas (problem, seeds, adversarial, expansion,
// interaction_turn), different on every call like sampled output, with an optional share of
// planted near-duplicates. Thread-safe.

#include <QByteArray>
#include <nlohmann/json.hpp>

namespace crucible::test {

// `duplicateRate`: share of answers (by request hash) whose statement is one fixed text, so
// that dedup has something to reject.
QByteArray generationAnswer(const nlohmann::json &request, double duplicateRate = 0.0);

} // namespace crucible::test
