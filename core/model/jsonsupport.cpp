#include "core/model/jsonsupport.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

namespace crucible::jsonio {

namespace {
QString fieldPath(const QString &path, const char *field)
{
    const QString name = QString::fromUtf8(field);
    return path.isEmpty() ? name : path + u'.' + name;
}

const char *typeName(const Json &v)
{
    return v.type_name();
}

[[noreturn]] void wrongType(const QString &path, const char *field, const Json &v,
                            const char *expected)
{
    throw ValidationError(fieldPath(path, field), describe(v),
                          QStringLiteral("must be %1, got %2")
                              .arg(QString::fromUtf8(expected), QString::fromUtf8(typeName(v))));
}
} // namespace

QString formatTimestamp(const QDateTime &t)
{
    if (!t.isValid())
        return {};
    return t.toUTC().toString(Qt::ISODateWithMs);
}

QDateTime parseTimestamp(const QString &text)
{
    QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!t.isValid())
        t = QDateTime::fromString(text, Qt::ISODate);
    return t.isValid() ? t.toUTC() : QDateTime();
}

QDateTime nowUtc()
{
    return QDateTime::currentDateTimeUtc();
}

QString describe(const Json &value)
{
    std::string s = value.dump();
    if (s.size() > 60) {
        s.resize(57);
        s.append(3, '.');
    }
    return QString::fromStdString(s);
}

void requireObject(const Json &value, const QString &path)
{
    if (!value.is_object())
        throw ValidationError(path.isEmpty() ? QStringLiteral("(record)") : path, describe(value),
                              QStringLiteral("must be a JSON object, got %1")
                                  .arg(QString::fromUtf8(value.type_name())));
}

QString requiredString(const Json &obj, const char *field, const QString &path)
{
    const auto it = obj.find(field);
    if (it == obj.end() || it->is_null())
        throw ValidationError(fieldPath(path, field), {}, QStringLiteral("is required"));
    if (!it->is_string())
        wrongType(path, field, *it, "a string");
    return QString::fromStdString(it->get<std::string>());
}

QString optionalString(const Json &obj, const char *field, const QString &path,
                       const QString &fallback)
{
    const auto it = obj.find(field);
    if (it == obj.end() || it->is_null())
        return fallback;
    if (!it->is_string())
        wrongType(path, field, *it, "a string");
    return QString::fromStdString(it->get<std::string>());
}

QStringList optionalStringList(const Json &obj, const char *field, const QString &path)
{
    QStringList out;
    const auto it = obj.find(field);
    if (it == obj.end() || it->is_null())
        return out;
    if (!it->is_array())
        wrongType(path, field, *it, "an array of strings");
    int index = 0;
    for (const auto &e : *it) {
        if (!e.is_string())
            throw ValidationError(
                QStringLiteral("%1[%2]").arg(fieldPath(path, field)).arg(index), describe(e),
                QStringLiteral("must be a string, got %1").arg(QString::fromUtf8(e.type_name())));
        out << QString::fromStdString(e.get<std::string>());
        ++index;
    }
    return out;
}

int optionalInt(const Json &obj, const char *field, const QString &path, int fallback)
{
    const auto it = obj.find(field);
    if (it == obj.end() || it->is_null())
        return fallback;
    if (it->is_number_integer())
        return it->get<int>();
    if (it->is_number_float()) {
        const double d = it->get<double>();
        if (d == static_cast<double>(static_cast<int>(d)))
            return static_cast<int>(d);
    }
    wrongType(path, field, *it, "an integer");
}

double optionalDouble(const Json &obj, const char *field, const QString &path, double fallback)
{
    const auto it = obj.find(field);
    if (it == obj.end() || it->is_null())
        return fallback;
    if (!it->is_number())
        wrongType(path, field, *it, "a number");
    return it->get<double>();
}

bool optionalBool(const Json &obj, const char *field, const QString &path, bool fallback)
{
    const auto it = obj.find(field);
    if (it == obj.end() || it->is_null())
        return fallback;
    if (!it->is_boolean())
        wrongType(path, field, *it, "true or false");
    return it->get<bool>();
}

QDateTime optionalTimestamp(const Json &obj, const char *field, const QString &path)
{
    const QString text = optionalString(obj, field, path);
    if (text.isEmpty())
        return {};
    const QDateTime t = parseTimestamp(text);
    if (!t.isValid())
        throw ValidationError(fieldPath(path, field), text,
                              QStringLiteral("must be an ISO 8601 timestamp"));
    return t;
}

QString stringOr(const Json &obj, const char *key)
{
    if (!obj.is_object())
        return {};
    const auto it = obj.find(key);
    return it != obj.end() && it->is_string() ? QString::fromStdString(it->get<std::string>())
                                              : QString();
}

QStringList stringsIn(const Json &value, bool skipEmpty)
{
    QStringList out;
    if (value.is_array())
        for (const auto &v : value)
            if (v.is_string() && !(skipEmpty && v.get<std::string>().empty()))
                out << QString::fromStdString(v.get<std::string>());
    return out;
}

QStringList stringsAt(const Json &obj, const char *key, bool skipEmpty)
{
    if (!obj.is_object())
        return {};
    const auto it = obj.find(key);
    return it != obj.end() ? stringsIn(*it, skipEmpty) : QStringList();
}

QString newId(const char *prefix)
{
    const quint64 r = QRandomGenerator::system()->generate64();
    return QString::fromUtf8(prefix) + u'_' + QStringLiteral("%1").arg(r, 16, 16, QLatin1Char('0'));
}

QString derivedId(const char *prefix, const QString &key)
{
    const QByteArray digest =
        QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Sha256).left(8);
    return QString::fromUtf8(prefix) + u'_' + QString::fromLatin1(digest.toHex());
}

} // namespace crucible::jsonio
