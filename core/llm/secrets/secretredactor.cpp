#include "core/llm/secrets/secretredactor.h"

#include <QMutexLocker>
#include <QRegularExpression>

#include <algorithm>

namespace crucible {

namespace {

constexpr qsizetype MinKnownSecretLength = 8;
const QString Mask = QStringLiteral("***");

struct Rule
{
    QRegularExpression pattern; // group 1 is kept, the rest of the match becomes the mask
};

const std::vector<Rule> &rules()
{
    static const std::vector<Rule> all = [] {
        const auto ci = QRegularExpression::CaseInsensitiveOption;
        std::vector<Rule> list;
        // Authorization / Proxy-Authorization in header lines, JSON and key=value text; the
        // scheme (Bearer, Basic, …) stays visible.
        list.push_back({QRegularExpression(
            QStringLiteral(R"re((\b(?:proxy-)?authorization\b["']?\s*[:=]\s*["']?)re"
                           R"re((?:(?:bearer|basic|token|digest)\s+)?)[^\s"',;}&]+)re"),
            ci)});
        // x-api-key, api-key (Azure), api_key, OPENAI_API_KEY=…, access_token, secret_key …
        list.push_back({QRegularExpression(
            QStringLiteral(R"re((\b[\w-]*?(?:api[-_]?key|access[-_]?token|auth[-_]?token|)re"
                           R"re(secret[-_]?key|subscription[-_]?key)\b["']?\s*[:=]\s*["']?))re"
                           R"re([^\s"',;}&]+)re"),
            ci)});
        // Keys in query strings (?key=, &api-key=, Azure SAS &sig=).
        list.push_back({QRegularExpression(
            QStringLiteral(R"re(([?&](?:key|token|sig|access_token)=)[^&\s"'#]+)re"), ci)});
        // Well-known key shapes: OpenAI sk-/sk-proj-, Anthropic sk-ant-, OpenRouter sk-or-v1-.
        list.push_back({QRegularExpression(
            QStringLiteral(R"re(\b(sk-(?:ant-|proj-|or-v1-|or-)?)[A-Za-z0-9_-]{16,})re"))});
        return list;
    }();
    return all;
}

QString applyRules(QString text)
{
    for (const Rule &rule : rules())
        text.replace(rule.pattern, QStringLiteral("\\1") + Mask);
    return text;
}

QString replaceKnown(QString text, QStringList secrets)
{
    // Longest first, so that a key containing another key is masked whole.
    std::sort(secrets.begin(), secrets.end(),
              [](const QString &a, const QString &b) { return a.size() > b.size(); });
    for (const QString &secret : std::as_const(secrets)) {
        if (secret.size() >= MinKnownSecretLength)
            text.replace(secret, Mask);
    }
    return text;
}

} // namespace

SecretRedactor &SecretRedactor::global()
{
    static SecretRedactor instance;
    return instance;
}

void SecretRedactor::addKnownSecret(const QString &secret)
{
    if (secret.size() < MinKnownSecretLength)
        return;
    const QMutexLocker lock(&m_mutex);
    if (!m_known.contains(secret))
        m_known.push_back(secret);
}

void SecretRedactor::forgetKnownSecret(const QString &secret)
{
    const QMutexLocker lock(&m_mutex);
    m_known.removeAll(secret);
}

QStringList SecretRedactor::knownSecrets() const
{
    const QMutexLocker lock(&m_mutex);
    return m_known;
}

QString SecretRedactor::redact(const QString &text, const QStringList &extraSecrets) const
{
    QStringList secrets = knownSecrets();
    secrets += extraSecrets;
    return applyRules(replaceKnown(text, std::move(secrets)));
}

QString redact(const QString &text, const QStringList &extraSecrets)
{
    return SecretRedactor::global().redact(text, extraSecrets);
}

QByteArray redact(const QByteArray &text, const QStringList &extraSecrets)
{
    return redact(QString::fromUtf8(text), extraSecrets).toUtf8();
}

bool isSensitiveHeader(QByteArrayView name)
{
    static const QByteArrayView sensitive[] = {"authorization",  "proxy-authorization",
                                               "x-api-key",      "api-key",
                                               "x-goog-api-key", "cookie",
                                               "set-cookie",     "ocp-apim-subscription-key"};
    const QByteArray lower = name.toByteArray().trimmed().toLower();
    return std::any_of(std::begin(sensitive), std::end(sensitive),
                       [&](QByteArrayView s) { return lower == s; });
}

QByteArray redactHeaderValue(QByteArrayView name, const QByteArray &value)
{
    if (!isSensitiveHeader(name))
        return redact(value);
    const QByteArray lower = name.toByteArray().trimmed().toLower();
    const QByteArray trimmed = value.trimmed();
    const qsizetype space = trimmed.indexOf(' ');
    if (lower.endsWith("authorization") && space > 0)
        return trimmed.left(space) + " ***";
    return QByteArrayLiteral("***");
}

QString maskSecret(const QString &secret)
{
    if (secret.size() < 12)
        return Mask;
    return secret.left(5) + QChar(0x2026) + secret.right(4);
}

} // namespace crucible
