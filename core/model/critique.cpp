#include "core/model/critique.h"

namespace crucible {

using nlohmann::json;

namespace {
const QStringList kSeverities = {QStringLiteral("critical"), QStringLiteral("major"),
                                 QStringLiteral("minor")};
const QStringList kVerdicts = {QStringLiteral("accept"), QStringLiteral("revise"),
                               QStringLiteral("reject")};
} // namespace

json Critique::docJson() const
{
    json arr = json::array();
    for (const CritiqueIssue &i : issues)
        arr.push_back({{"severity", i.severity.toStdString()},
                       {"criterion", i.criterion.toStdString()},
                       {"description", i.description.toStdString()},
                       {"suggestion", i.suggestion.toStdString()}});
    return {
        {"summary", summary.toStdString()}, {"issues", arr}, {"verdict", verdict.toStdString()}};
}

void Critique::setDoc(const json &doc)
{
    jsonio::requireObject(doc, QStringLiteral("doc"));
    summary = jsonio::optionalString(doc, "summary", QStringLiteral("doc"));
    verdict =
        jsonio::optionalString(doc, "verdict", QStringLiteral("doc"), QStringLiteral("revise"));
    issues.clear();
    if (const auto it = doc.find("issues"); it != doc.end() && it->is_array()) {
        int n = 0;
        for (const auto &e : *it) {
            const QString path = QStringLiteral("doc.issues[%1]").arg(n++);
            jsonio::requireObject(e, path);
            issues.push_back({jsonio::optionalString(e, "severity", path, QStringLiteral("minor")),
                              jsonio::optionalString(e, "criterion", path),
                              jsonio::optionalString(e, "description", path),
                              jsonio::optionalString(e, "suggestion", path)});
        }
    }
}

QString Critique::toText() const
{
    QString out = QStringLiteral("Verdict: %1\n").arg(verdict);
    if (!summary.trimmed().isEmpty())
        out += QStringLiteral("Summary: ") + summary.trimmed() + u'\n';
    for (const CritiqueIssue &i : issues) {
        out += QStringLiteral("- [%1] ").arg(i.severity);
        if (!i.criterion.trimmed().isEmpty())
            out += QStringLiteral("(%1) ").arg(i.criterion.trimmed());
        out += i.description.trimmed();
        if (!i.suggestion.trimmed().isEmpty())
            out += QStringLiteral(" Suggestion: ") + i.suggestion.trimmed();
        out += u'\n';
    }
    return out.trimmed();
}

std::vector<ValidationIssue> Critique::validate() const
{
    std::vector<ValidationIssue> out;
    if (!id.startsWith(QLatin1String("crt_")))
        out.push_back({QStringLiteral("id"), id, QStringLiteral("must start with crt_")});
    if (solutionId.isEmpty())
        out.push_back({QStringLiteral("solution_id"), {}, QStringLiteral("must not be empty")});
    if (agentVersionId.isEmpty())
        out.push_back(
            {QStringLiteral("agent_version_id"), {}, QStringLiteral("must not be empty")});
    if (!kVerdicts.contains(verdict))
        out.push_back({QStringLiteral("verdict"), verdict,
                       QStringLiteral("must be one of accept|revise|reject")});
    for (std::size_t i = 0; i < issues.size(); ++i)
        if (!kSeverities.contains(issues[i].severity))
            out.push_back({QStringLiteral("issues[%1].severity").arg(i), issues[i].severity,
                           QStringLiteral("must be one of critical|major|minor")});
    return out;
}

json Critique::toJson() const
{
    json j = {{"id", id.toStdString()},
              {"solution_id", solutionId.toStdString()},
              {"agent_version_id", agentVersionId.toStdString()},
              {"doc", docJson()},
              {"call_ids", callIds},
              {"tokens", tokens},
              {"created_at", jsonio::formatTimestamp(createdAt).toStdString()}};
    j["cost_usd"] = costUsd ? json(*costUsd) : json(nullptr);
    if (!jobId.isEmpty())
        j["job_id"] = jobId.toStdString();
    return j;
}

Critique Critique::fromJson(const json &j)
{
    jsonio::requireObject(j, {});
    Critique c;
    c.id = jsonio::requiredString(j, "id", {});
    c.solutionId = jsonio::requiredString(j, "solution_id", {});
    c.agentVersionId = jsonio::requiredString(j, "agent_version_id", {});
    c.jobId = jsonio::optionalString(j, "job_id", {});
    if (const auto it = j.find("doc"); it != j.end())
        c.setDoc(*it);
    c.callIds = jsonio::optionalStringList(j, "call_ids", {});
    if (const auto it = j.find("cost_usd"); it != j.end() && it->is_number())
        c.costUsd = it->get<double>();
    c.tokens = static_cast<qint64>(jsonio::optionalDouble(j, "tokens", {}, 0));
    c.createdAt = jsonio::optionalTimestamp(j, "created_at", {});
    throwIfInvalid(c.validate());
    return c;
}

} // namespace crucible
