#include "core/model/agent.h"

#include <QRegularExpression>

namespace crucible {

using nlohmann::json;

const QStringList &builtInAgentRoles()
{
    static const QStringList roles{agentrole::generator, agentrole::critic, agentrole::refiner,
                                   agentrole::evaluator};
    return roles;
}

bool agentRoleIsValid(const QString &role)
{
    static const QRegularExpression slug(QStringLiteral("^[a-z][a-z0-9_-]{0,39}$"));
    return slug.match(role).hasMatch();
}

QString normalizedAgentRole(const QString &role)
{
    return role.trimmed().toLower();
}

namespace {
bool traitNameIsValid(const QString &name)
{
    static const QRegularExpression slug(QStringLiteral("^[a-z][a-z0-9_]{0,39}$"));
    return slug.match(name).hasMatch();
}
} // namespace

std::vector<ValidationIssue> Agent::validate() const
{
    std::vector<ValidationIssue> issues;
    if (!agentRoleIsValid(role))
        issues.push_back({QStringLiteral("role"), role,
                          QStringLiteral("must be generator, critic, refiner, evaluator or a "
                                         "lower-case slug of your own (a letter, then letters, "
                                         "digits, '-' or '_')")});
    if (identity.name.trimmed().isEmpty())
        issues.push_back({QStringLiteral("identity.name"),
                          {},
                          QStringLiteral("must not be empty; give the agent a name")});
    for (const auto &[trait, value] : traits) {
        if (!traitNameIsValid(trait))
            issues.push_back({QStringLiteral("traits"), trait,
                              QStringLiteral("a trait name is lower-case letters, digits and "
                                             "'_', starting with a letter (e.g. risk_taking)")});
        if (value < 0 || value > 100)
            issues.push_back({QStringLiteral("traits.") + trait, QString::number(value),
                              QStringLiteral("must be an integer from 0 to 100")});
    }
    for (const auto &[trait, markers] : customTraits) {
        if (!traitNameIsValid(trait))
            issues.push_back({QStringLiteral("custom_traits"), trait,
                              QStringLiteral("a trait name is lower-case letters, digits and "
                                             "'_', starting with a letter")});
        if (markers.low.trimmed().isEmpty() || markers.high.trimmed().isEmpty())
            issues.push_back({QStringLiteral("custom_traits.") + trait,
                              {},
                              QStringLiteral("needs both a low and a high marker (e.g. "
                                             "impatient / patient)")});
    }
    if (instructions.size() > kMaxInstructions)
        issues.push_back(
            {QStringLiteral("instructions"), QString::number(instructions.size()),
             QStringLiteral("at most %1 instructions; merge or drop some").arg(kMaxInstructions)});
    for (qsizetype i = 0; i < instructions.size(); ++i) {
        const QString field = QStringLiteral("instructions[%1]").arg(i);
        if (instructions[i].trimmed().isEmpty())
            issues.push_back({field, {}, QStringLiteral("must not be empty; remove it instead")});
        else if (instructions[i].size() > kMaxInstructionLength)
            issues.push_back({field, instructions[i].left(40) + QStringLiteral("…"),
                              QStringLiteral("is longer than %1 characters; keep an instruction "
                                             "to one short sentence")
                                  .arg(kMaxInstructionLength)});
    }
    return issues;
}

json Agent::toJson() const
{
    json j = json::object();
    j["role"] = role;
    j["identity"] = {{"name", identity.name.toStdString()},
                     {"specialization", identity.specialization.toStdString()},
                     {"description", identity.description.toStdString()}};
    json t = json::object();
    for (const auto &[trait, value] : traits)
        t[trait.toStdString()] = value;
    j["traits"] = t;
    j["communication_style"] = communicationStyle;
    j["knowledge_domains"] = knowledgeDomains;
    if (!customTraits.empty()) {
        json c = json::object();
        for (const auto &[trait, markers] : customTraits)
            c[trait.toStdString()] = {{"low", markers.low.toStdString()},
                                      {"high", markers.high.toStdString()}};
        j["custom_traits"] = c;
    }
    if (!instructions.isEmpty())
        j["instructions"] = instructions;
    return j;
}

Agent Agent::fromJson(const json &j)
{
    jsonio::requireObject(j, {});
    Agent a;
    a.role = normalizedAgentRole(jsonio::requiredString(j, "role", {}));
    if (const auto it = j.find("identity"); it != j.end() && !it->is_null()) {
        jsonio::requireObject(*it, QStringLiteral("identity"));
        a.identity.name = jsonio::optionalString(*it, "name", QStringLiteral("identity"));
        a.identity.specialization =
            jsonio::optionalString(*it, "specialization", QStringLiteral("identity"));
        a.identity.description =
            jsonio::optionalString(*it, "description", QStringLiteral("identity"));
    }
    if (const auto it = j.find("traits"); it != j.end() && !it->is_null()) {
        jsonio::requireObject(*it, QStringLiteral("traits"));
        for (const auto &[trait, v] : it->items()) {
            const QString field = QStringLiteral("traits.") + QString::fromStdString(trait);
            if (!v.is_number_integer())
                throw ValidationError(field, jsonio::describe(v),
                                      QStringLiteral("must be an integer from 0 to 100"));
            a.traits[QString::fromStdString(trait)] = v.get<int>();
        }
    }
    a.communicationStyle = jsonio::optionalString(j, "communication_style", {});
    a.knowledgeDomains = jsonio::optionalStringList(j, "knowledge_domains", {});
    if (const auto it = j.find("custom_traits"); it != j.end() && !it->is_null()) {
        jsonio::requireObject(*it, QStringLiteral("custom_traits"));
        for (const auto &[trait, v] : it->items()) {
            const QString path = QStringLiteral("custom_traits.") + QString::fromStdString(trait);
            jsonio::requireObject(v, path);
            a.customTraits[QString::fromStdString(trait)] = {
                jsonio::optionalString(v, "low", path), jsonio::optionalString(v, "high", path)};
        }
    }
    a.instructions = jsonio::optionalStringList(j, "instructions", {});
    throwIfInvalid(a.validate());
    return a;
}

} // namespace crucible
