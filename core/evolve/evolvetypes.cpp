#include "core/evolve/evolvetypes.h"

#include "core/llm/simulated/rng.h"
#include "core/model/jsonsupport.h"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace crucible::evolve {

using nlohmann::json;

json ProblemScore::toJson() const
{
    json j = {{"score", score},
              {"feedback", feedback.toStdString()},
              {"solution", solution.toStdString()},
              {"tokens", tokens},
              {"solution_tokens", solutionTokens}};
    if (!aspects.empty()) {
        json a = json::object();
        for (const auto &[name, value] : aspects)
            a[name.toStdString()] = value;
        j["aspects"] = a;
    }
    return j;
}

ProblemScore ProblemScore::fromJson(const json &j)
{
    ProblemScore s;
    s.score = j.value("score", 0.0);
    s.feedback = jsonio::stringOr(j, "feedback");
    s.solution = jsonio::stringOr(j, "solution");
    s.tokens = j.value("tokens", qint64(0));
    s.solutionTokens = j.value("solution_tokens", qint64(0));
    if (const auto it = j.find("aspects"); it != j.end() && it->is_object())
        for (const auto &[name, value] : it->items())
            if (value.is_number())
                s.aspects[QString::fromStdString(name)] = value.get<double>();
    return s;
}

std::optional<double> Candidate::meanOver(const QStringList &problems) const
{
    if (problems.isEmpty())
        return std::nullopt;
    double sum = 0;
    for (const QString &p : problems) {
        const auto it = scores.find(p);
        if (it == scores.end())
            return std::nullopt;
        sum += it->second.score;
    }
    return sum / static_cast<double>(problems.size());
}

bool Candidate::scoredOn(const QStringList &problems) const
{
    return std::all_of(problems.begin(), problems.end(),
                       [this](const QString &p) { return scores.count(p) > 0; });
}

json Candidate::toJson() const
{
    json s = json::object();
    for (const auto &[problem, score] : scores)
        s[problem.toStdString()] = score.toJson();
    json j = {{"id", id},
              {"parent", parent},
              {"op", op.toStdString()},
              {"definition", definition.toJson()},
              {"why", why.toStdString()},
              {"change", change},
              {"scores", s},
              {"accepted", accepted},
              {"version_id", versionId.toStdString()}};
    if (minibatchParent)
        j["minibatch_parent"] = *minibatchParent;
    if (minibatchChild)
        j["minibatch_child"] = *minibatchChild;
    return j;
}

Candidate Candidate::fromJson(const json &j)
{
    Candidate c;
    c.id = j.value("id", 0);
    c.parent = j.value("parent", -1);
    c.op = jsonio::stringOr(j, "op");
    c.definition = Agent::fromJson(j.at("definition"));
    c.why = jsonio::stringOr(j, "why");
    c.change = j.value("change", json());
    const json scores = j.value("scores", json::object());
    for (const auto &[problem, score] : scores.items())
        c.scores[QString::fromStdString(problem)] = ProblemScore::fromJson(score);
    if (const auto it = j.find("minibatch_parent"); it != j.end() && it->is_number())
        c.minibatchParent = it->get<double>();
    if (const auto it = j.find("minibatch_child"); it != j.end() && it->is_number())
        c.minibatchChild = it->get<double>();
    c.accepted = j.value("accepted", false);
    c.versionId = jsonio::stringOr(j, "version_id");
    return c;
}

DataSplit DataSplit::make(QStringList problemIds, std::uint64_t seed, double validationShare,
                          double testShare, int maxValidation)
{
    const auto n = static_cast<int>(problemIds.size());
    if (n < 3)
        throw std::invalid_argument("a train/validation/test split needs at least 3 problems");
    std::sort(problemIds.begin(), problemIds.end()); // the split depends on the set, not its order
    std::vector<QString> ids(problemIds.begin(), problemIds.end());
    simulated::Rng rng(seed);
    rng.shuffle(ids);
    const int test = std::clamp(static_cast<int>(n * testShare + 0.5), 1, n - 2);
    const int validation = std::clamp(
        std::min(static_cast<int>(n * validationShare + 0.5), maxValidation), 1, n - test - 1);
    DataSplit s;
    for (int i = 0; i < n; ++i) {
        const QString &id = ids[static_cast<size_t>(i)];
        if (i < test)
            s.test << id;
        else if (i < test + validation)
            s.validation << id;
        else
            s.train << id;
    }
    return s;
}

json DataSplit::toJson() const
{
    return {{"train", train}, {"validation", validation}, {"test", test}};
}

DataSplit DataSplit::fromJson(const json &j)
{
    DataSplit s;
    s.train = jsonio::stringsAt(j, "train");
    s.validation = jsonio::stringsAt(j, "validation");
    s.test = jsonio::stringsAt(j, "test");
    return s;
}

QString EvolveTask::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Evaluate:
        return QStringLiteral("evaluate");
    case Kind::Reflect:
        return QStringLiteral("reflect");
    case Kind::Finished:
        break;
    }
    return QStringLiteral("finished");
}

int CallBudget::remaining() const
{
    return maxCalls <= 0 ? std::numeric_limits<int>::max() : std::max(0, maxCalls - used);
}

} // namespace crucible::evolve
