#include "core/store/evaluationrows.h"

#include <QVariant>
#include <cmath>

namespace crucible::evaluationrows {

using nlohmann::json;

QSqlQuery streamQuery(const Workspace &ws, const QString &sql)
{
    QSqlQuery query(ws.database());
    query.setForwardOnly(true);
    if (!query.prepare(sql))
        Workspace::throwQueryError(query, QStringLiteral("Preparing an export query"));
    return query;
}

void execOrThrow(QSqlQuery &query, const QString &what)
{
    Workspace::execPrepared(query, what);
}

json parseDoc(const QVariant &text)
{
    if (text.isNull())
        return nullptr;
    const QByteArray bytes = text.toString().toUtf8();
    if (bytes.trimmed().isEmpty())
        return nullptr;
    json doc = json::parse(bytes.constData(), bytes.constData() + bytes.size(), nullptr, false);
    return doc.is_discarded() ? json(nullptr) : doc;
}

std::string stringField(const json &doc, const char *key)
{
    if (!doc.is_object())
        return {};
    const auto it = doc.find(key);
    return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string();
}

namespace {

std::string trimmed(const std::string &s)
{
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string::npos)
        return {};
    const auto last = s.find_last_not_of(" \t\r\n");
    return s.substr(first, last - first + 1);
}

std::vector<std::string> stringList(const json &doc, const char *key)
{
    std::vector<std::string> out;
    if (!doc.is_object() || !doc.contains(key) || !doc.at(key).is_array())
        return out;
    for (const json &item : doc.at(key)) {
        std::string text = item.is_string() ? trimmed(item.get<std::string>()) : item.dump();
        if (!text.empty())
            out.push_back(std::move(text));
    }
    return out;
}

} // namespace

std::string solutionText(const json &doc)
{
    if (doc.is_string())
        return trimmed(doc.get<std::string>());
    if (!doc.is_object())
        return doc.is_null() ? std::string() : doc.dump();

    std::string text;
    auto section = [&text](const std::string &part) {
        if (part.empty())
            return;
        if (!text.empty())
            text += "\n\n";
        text += part;
    };
    section(trimmed(stringField(doc, "approach")));
    const std::vector<std::string> steps = stringList(doc, "steps");
    if (!steps.empty()) {
        std::string part = "Steps:";
        for (size_t i = 0; i < steps.size(); ++i)
            part += "\n" + std::to_string(i + 1) + ". " + steps[i];
        section(part);
    }
    const std::string answer = trimmed(stringField(doc, "final_answer"));
    if (!answer.empty())
        section("Final answer: " + answer);
    const std::vector<std::string> assumptions = stringList(doc, "assumptions");
    if (!assumptions.empty()) {
        std::string part = "Assumptions:";
        for (const std::string &a : assumptions)
            part += "\n- " + a;
        section(part);
    }
    if (text.empty() && !doc.empty())
        return doc.dump();
    return text;
}

QVariant textParam(const QString &text)
{
    return text.isNull() ? QVariant(QString(QLatin1String(""))) : QVariant(text);
}

json realOrNull(const QVariant &value)
{
    if (value.isNull())
        return nullptr;
    const double v = value.toDouble();
    return std::isfinite(v) ? json(v) : json(nullptr);
}

} // namespace crucible::evaluationrows
