#include "tests/support/solvefixtures.h"

#include "tests/support/llmtestwire.h"

#include "core/model/jsonsupport.h"
#include "core/store/agentrepository.h"
#include "core/store/problemrepository.h"
#include "tests/support/generationanswers.h"
#include "tests/support/testworkspace.h"

#include <QCryptographicHash>

#include <random>

namespace crucible::test {

using nlohmann::json;

QString insertAgentVersion(Workspace &ws, const QString &role, const QString &name)
{
    Agent definition;
    definition.role = role;
    definition.identity.name = name;
    definition.traits = {{QStringLiteral("rigor"), 70}};
    return AgentRepository(ws).create(definition).id;
}

QStringList insertProblems(Workspace &ws, int n, int first)
{
    QStringList ids;
    std::vector<Problem> problems;
    for (int i = first; i < first + n; ++i) {
        problems.push_back(makeProblem(i));
        ids << problems.back().id;
    }
    ProblemRepository(ws).insertMany(problems);
    return ids;
}

namespace {

std::string words(std::mt19937_64 &rng, int n)
{
    static const char *const vocab[] = {
        "plan",   "measure", "budget",  "schedule", "review",   "widgets", "batch",   "queue",
        "cost",   "limit",   "shift",   "supplier", "buffer",   "verify",  "deliver", "stock",
        "weekly", "rotate",  "balance", "priority", "capacity", "route",   "order",   "safety"};
    std::string s;
    for (int i = 0; i < n; ++i) {
        if (i)
            s += ' ';
        s += vocab[rng() % std::size(vocab)];
    }
    return s;
}

} // namespace

QByteArray solveAnswer(const json &request)
{
    std::string name;
    json schema;
    // response_format json_schema (OpenAI-compatible) or the forced tool (Anthropic).
    if (const auto requested = wire::requestedSchema(request)) {
        name = requested->name;
        schema = requested->schema;
    }
    const QByteArray digest = QCryptographicHash::hash(QByteArray::fromStdString(request.dump()),
                                                       QCryptographicHash::Sha256);
    quint64 seed = 0;
    for (int i = 0; i < 8; ++i)
        seed = (seed << 8) | static_cast<unsigned char>(digest[i]);
    std::mt19937_64 rng(seed);
    json answer;
    if (name == "solution") {
        answer = {
            {"approach", "We " + words(rng, 12) + "."},
            {"steps", json::array({"First " + words(rng, 10) + ".", "Then " + words(rng, 10) + ".",
                                   "Finally " + words(rng, 10) + "."})},
            {"final_answer", "Use " + words(rng, 8) + " within the budget under 100."},
            {"assumptions", json::array({"Assume " + words(rng, 6) + "."})}};
    } else if (name == "critique") {
        answer = {{"summary", "Mostly sound, " + words(rng, 10) + "."},
                  {"issues", json::array({{{"severity", "major"},
                                           {"criterion", "budget under 100"},
                                           {"description", "Cost is not shown: " + words(rng, 6)},
                                           {"suggestion", "Add " + words(rng, 5)}}})},
                  {"verdict", "revise"}};
    } else if (name == "verdict") {
        json scores = json::object();
        for (const auto &a : schema["properties"]["scores"].value("required", json::array()))
            scores[a.get<std::string>()] = {{"score", static_cast<double>(rng() % 101) / 100.0},
                                            {"rationale", "Because " + words(rng, 8) + "."}};
        answer = {{"scores", scores},
                  {"confidence", 0.5 + static_cast<double>(rng() % 50) / 100.0},
                  {"summary", "Judged: " + words(rng, 8) + "."}};
    } else {
        return generationAnswer(request);
    }
    return QByteArray::fromStdString(answer.dump());
}

} // namespace crucible::test
