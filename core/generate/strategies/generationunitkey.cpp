#include "core/generate/strategies/generationunitkey.h"

#include "core/store/jobrepository.h"

namespace crucible {

using nlohmann::json;

namespace {

const QLatin1String kRowPrefix("row ");

// The group names jobs wrote before typed keys: a level, a strategy id, "row N" or the kind.
std::optional<GenerationUnitKey> fromGroupName(GenerationKind kind, const QString &group)
{
    switch (kind) {
    case GenerationKind::Dataset:
    case GenerationKind::Variations:
        if (const auto level = complexityFromString(group))
            return GenerationUnitKey::forLevel(kind, *level);
        return std::nullopt;
    case GenerationKind::Adversarial:
        if (group.isEmpty())
            return std::nullopt;
        return GenerationUnitKey::forStrategy(group);
    case GenerationKind::Matrix: {
        if (!group.startsWith(kRowPrefix))
            return std::nullopt;
        bool ok = false;
        const int row = group.mid(kRowPrefix.size()).toInt(&ok);
        if (!ok || row < 0)
            return std::nullopt;
        return GenerationUnitKey::forRow(row);
    }
    case GenerationKind::Seeds:
    case GenerationKind::Expand:
    case GenerationKind::Interactions:
        if (group != toString(kind))
            return std::nullopt;
        return GenerationUnitKey::forKind(kind);
    }
    return std::nullopt;
}

} // namespace

GenerationUnitKey GenerationUnitKey::forKind(GenerationKind kind)
{
    GenerationUnitKey k;
    k.kind = kind;
    return k;
}

GenerationUnitKey GenerationUnitKey::forLevel(GenerationKind kind, Complexity level)
{
    GenerationUnitKey k = forKind(kind);
    k.level = level;
    return k;
}

GenerationUnitKey GenerationUnitKey::forStrategy(const QString &strategy)
{
    GenerationUnitKey k = forKind(GenerationKind::Adversarial);
    k.strategy = strategy;
    return k;
}

GenerationUnitKey GenerationUnitKey::forRow(int row)
{
    GenerationUnitKey k = forKind(GenerationKind::Matrix);
    k.row = row;
    return k;
}

QString GenerationUnitKey::groupName() const
{
    if (level)
        return toString(*level);
    if (!strategy.isEmpty())
        return strategy;
    if (row >= 0)
        return kRowPrefix + QString::number(row);
    return toString(kind);
}

json GenerationUnitKey::toJson() const
{
    json j = {{"kind", toString(kind).toStdString()}};
    if (level)
        j["level"] = toString(*level).toStdString();
    if (!strategy.isEmpty())
        j["strategy"] = strategy.toStdString();
    if (row >= 0)
        j["row"] = row;
    return j;
}

std::optional<GenerationUnitKey> GenerationUnitKey::fromJson(const json &j)
{
    if (!j.is_object() || !j.contains("kind") || !j["kind"].is_string())
        return std::nullopt;
    const auto kind =
        generationKindFromString(QString::fromStdString(j["kind"].get<std::string>()));
    if (!kind)
        return std::nullopt;
    GenerationUnitKey k = forKind(*kind);
    if (const auto it = j.find("level"); it != j.end()) {
        if (!it->is_string())
            return std::nullopt;
        k.level = complexityFromString(QString::fromStdString(it->get<std::string>()));
        if (!k.level)
            return std::nullopt;
    }
    if (const auto it = j.find("strategy"); it != j.end()) {
        if (!it->is_string())
            return std::nullopt;
        k.strategy = QString::fromStdString(it->get<std::string>());
    }
    if (const auto it = j.find("row"); it != j.end()) {
        if (!it->is_number_integer() || it->get<int>() < 0)
            return std::nullopt;
        k.row = it->get<int>();
    }
    return k;
}

void GenerationUnitKey::writeTo(JobUnit &unit) const
{
    unit.group = groupName();
    if (!unit.input.is_object())
        unit.input = json::object();
    unit.input["key"] = toJson();
    unit.input["group"] = unit.group.toStdString();
}

std::optional<GenerationUnitKey> GenerationUnitKey::readFrom(GenerationKind kind,
                                                             const JobUnit &unit)
{
    if (unit.input.is_object() && unit.input.contains("key")) {
        const auto key = fromJson(unit.input["key"]);
        if (key && key->kind == kind)
            return key;
        return std::nullopt;
    }
    return fromGroupName(kind, unit.group);
}

} // namespace crucible
