#include "core/engine/jobsupport.h"

#include "core/llm/structured/structuredcaller.h"

#include <QCryptographicHash>
#include <QFile>

#include <map>
#include <string>

namespace crucible::jobsupport {

using nlohmann::json;

const json &schema(const char *name)
{
    static std::map<std::string, json> cache;
    auto it = cache.find(name);
    if (it == cache.end()) {
        QFile f(QStringLiteral(":/schemas/%1.schema.json").arg(QString::fromLatin1(name)));
        json parsed = json::object();
        if (f.open(QIODevice::ReadOnly)) {
            parsed = json::parse(f.readAll().toStdString(), nullptr, false);
            if (parsed.is_discarded())
                parsed = json::object();
        }
        it = cache.emplace(name, std::move(parsed)).first;
    }
    return it->second;
}

int sampleIndexFor(const QString &jobId, int unit, int salt)
{
    quint32 h = 2166136261u; // FNV-1a
    for (const char c : jobId.toUtf8()) {
        h ^= static_cast<unsigned char>(c);
        h *= 16777619u;
    }
    h ^= static_cast<quint32>(unit) * 2654435761u;
    if (salt != 0)
        h = (h ^ static_cast<quint32>(salt)) * 16777619u;
    return static_cast<int>(h & 0x7fffffffu);
}

bool isFatal(const LlmError &e)
{
    using K = LlmError::Kind;
    if (e.kind == K::Configuration || e.kind == K::Budget || e.kind == K::Tls)
        return true;
    return e.kind == K::Http && (e.httpStatus == 400 || e.httpStatus == 401 ||
                                 e.httpStatus == 403 || e.httpStatus == 404);
}

QString derivedId(const char *prefix, const QString &key)
{
    const QByteArray h = QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Sha256);
    return QString::fromLatin1(prefix) + u'_' + QString::fromLatin1(h.left(8).toHex());
}

void CallTally::add(const StructuredOutcome &o)
{
    callIds << o.callIds;
    tokensIn += o.tokensIn;
    tokensOut += o.tokensOut;
    calls += static_cast<int>(o.callIds.size());
    if (!o.costUsd)
        cost.reset();
    else if (cost)
        *cost += *o.costUsd;
    if (o.cacheHit)
        ++cacheHits;
}

void CallTally::add(const CallTally &other)
{
    callIds << other.callIds;
    tokensIn += other.tokensIn;
    tokensOut += other.tokensOut;
    calls += other.calls;
    cacheHits += other.cacheHits;
    if (!other.cost)
        cost.reset();
    else if (cost)
        *cost += *other.cost;
}

json CallTally::toJson() const
{
    json j = {{"calls", calls},
              {"cache_hits", cacheHits},
              {"tokens_in", tokensIn},
              {"tokens_out", tokensOut}};
    if (cost)
        j["cost_usd"] = *cost;
    else
        j["cost_usd"] = nullptr;
    return j;
}

CallTally CallTally::fromJson(const json &j)
{
    CallTally t;
    t.calls = j.value("calls", 0);
    t.cacheHits = j.value("cache_hits", 0);
    t.tokensIn = j.value("tokens_in", 0LL);
    t.tokensOut = j.value("tokens_out", 0LL);
    const auto it = j.find("cost_usd");
    if (it != j.end() && it->is_number())
        t.cost = it->get<double>();
    else if (t.calls > 0)
        t.cost.reset();
    return t;
}

} // namespace crucible::jobsupport
