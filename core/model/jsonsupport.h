#pragma once
// nlohmann/json conversions for the Qt value types used by the domain model, and helpers to read
// fields with errors that name the field, the value and the rule.

#include "core/model/validationerror.h"

#include <QDateTime>
#include <QString>
#include <QStringList>
#include <nlohmann/json.hpp>

namespace nlohmann {
template <> struct adl_serializer<QString>
{
    static void to_json(json &j, const QString &s) { j = s.toStdString(); }
    static void from_json(const json &j, QString &s)
    {
        s = QString::fromStdString(j.get<std::string>());
    }
};
template <> struct adl_serializer<QStringList>
{
    static void to_json(json &j, const QStringList &list)
    {
        j = json::array();
        for (const QString &s : list)
            j.push_back(s.toStdString());
    }
    static void from_json(const json &j, QStringList &list)
    {
        list.clear();
        for (const auto &e : j)
            list.push_back(QString::fromStdString(e.get<std::string>()));
    }
};
} // namespace nlohmann

namespace crucible::jsonio {

using Json = nlohmann::json;

// Timestamps are stored as ISO 8601 UTC with milliseconds so that they round-trip exactly.
QString formatTimestamp(const QDateTime &t);
QDateTime parseTimestamp(const QString &text);
QDateTime nowUtc();

// Readers that throw ValidationError naming the field when the type is wrong.
QString requiredString(const Json &obj, const char *field, const QString &path);
QString optionalString(const Json &obj, const char *field, const QString &path,
                       const QString &fallback = {});
QStringList optionalStringList(const Json &obj, const char *field, const QString &path);
int optionalInt(const Json &obj, const char *field, const QString &path, int fallback);
double optionalDouble(const Json &obj, const char *field, const QString &path, double fallback);
bool optionalBool(const Json &obj, const char *field, const QString &path, bool fallback);
QDateTime optionalTimestamp(const Json &obj, const char *field, const QString &path);
void requireObject(const Json &value, const QString &path);
QString describe(const Json &value); // short printable form of a value for error messages

// A new stable id: prefix + 16 hex digits of system randomness, e.g. "prb_3f9a1c0b7d2e4a61".
QString newId(const char *prefix);
// A stable id derived from `key` (same key, same id): prefix + 16 hex digits of its SHA-256, for
// records a reproducible process makes (a training run's variation jobs).
QString derivedId(const char *prefix, const QString &key);

// Lenient readers for documents this program wrote itself (job parameters, stored records),
// where a missing or mistyped field means "none" rather than an error to report:
// the string at `key`, or empty.
QString stringOr(const Json &obj, const char *key);
// The strings of the array `value` (other elements skipped); empty when it is not an array.
QStringList stringsIn(const Json &value, bool skipEmpty = true);
// stringsIn(obj[key]), or empty when there is no such key.
QStringList stringsAt(const Json &obj, const char *key, bool skipEmpty = true);

} // namespace crucible::jsonio
