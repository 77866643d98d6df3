#include "core/store/datasetexporter.h"

#include "core/store/datasetrepository.h"
#include "core/store/exportfile.h"
#include "core/store/llmcallrepository.h"
#include "core/store/workspaceerror.h"

#include <QDir>
#include <QFileInfo>
#include <cmath>
#include <set>

namespace crucible {

using nlohmann::json;
using nlohmann::ordered_json;

namespace {

// ---- tolerant readers: hand-made or older metadata may hold anything ----

const json *member(const json &obj, const char *key)
{
    if (!obj.is_object())
        return nullptr;
    const auto it = obj.find(key);
    if (it == obj.end() || it->is_null())
        return nullptr;
    return &*it;
}

QString text(const json &obj, const char *key)
{
    const json *v = member(obj, key);
    if (!v)
        return {};
    if (v->is_string())
        return QString::fromStdString(v->get<std::string>());
    return QString::fromStdString(v->dump());
}

std::optional<double> number(const json &obj, const char *key)
{
    const json *v = member(obj, key);
    if (!v || !v->is_number())
        return std::nullopt;
    return v->get<double>();
}

const json &object(const json &obj, const char *key)
{
    static const json empty = json::object();
    const json *v = member(obj, key);
    return v && v->is_object() ? *v : empty;
}

const json &array(const json &obj, const char *key)
{
    static const json empty = json::array();
    const json *v = member(obj, key);
    return v && v->is_array() ? *v : empty;
}

// A JSON string as text, anything else (numbers, objects) as compact JSON; null for absent.
json textOrNull(const json &obj, const char *key)
{
    const json *v = member(obj, key);
    if (!v)
        return nullptr;
    if (v->is_string())
        return *v;
    return v->dump();
}

json stringList(const json &value)
{
    json out = json::array();
    if (value.is_array())
        for (const json &e : value)
            out.push_back(e.is_string() ? e.get<std::string>() : e.dump());
    return out;
}

// ---- Markdown helpers ----

QString cellText(QString s)
{
    s.replace(u'\\', QStringLiteral("\\\\"));
    s.replace(u'|', QStringLiteral("\\|"));
    s.replace(QStringLiteral("\r\n"), QStringLiteral(" "));
    s.replace(u'\n', u' ');
    s.replace(u'\r', u' ');
    return s;
}

QString preview(const QString &s, int width)
{
    const QString flat = s.simplified();
    if (flat.size() <= width)
        return flat;
    return flat.left(width - 1) + QChar(0x2026);
}

QString numberText(const json &v)
{
    if (v.is_number_integer() || v.is_number_unsigned())
        return QString::fromStdString(v.dump());
    if (v.is_number_float()) {
        const double d = v.get<double>();
        if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 1e15)
            return QString::number(static_cast<qint64>(d));
        return QString::number(d, 'g', 6);
    }
    if (v.is_string())
        return QString::fromStdString(v.get<std::string>());
    return QString::fromStdString(v.dump());
}

// A parameter value for a table cell: objects as "k: v, ...", arrays as "a, b".
QString valueText(const json &v)
{
    if (v.is_object()) {
        QStringList parts;
        for (const auto &[k, e] : v.items())
            parts << QString::fromStdString(k) + QStringLiteral(": ") + valueText(e);
        return parts.join(QStringLiteral(", "));
    }
    if (v.is_array()) {
        QStringList parts;
        for (const json &e : v)
            parts << valueText(e);
        return parts.join(QStringLiteral(", "));
    }
    if (v.is_null())
        return QStringLiteral("null");
    if (v.is_boolean())
        return v.get<bool>() ? QStringLiteral("true") : QStringLiteral("false");
    return numberText(v);
}

QString percent(double fraction)
{
    return QString::number(fraction * 100.0, 'f', 1) + QStringLiteral(" %");
}

QString usd(double v)
{
    return QStringLiteral("$") + QString::number(v, 'f', 4);
}

QString yamlString(const QString &s)
{
    QString out = s.simplified();
    out.replace(u'\\', QStringLiteral("\\\\"));
    out.replace(u'"', QStringLiteral("\\\""));
    return QStringLiteral("\"") + out + QStringLiteral("\"");
}

QString sizeCategory(qint64 n)
{
    if (n < 1000)
        return QStringLiteral("n<1K");
    if (n < 10'000)
        return QStringLiteral("1K<n<10K");
    if (n < 100'000)
        return QStringLiteral("10K<n<100K");
    if (n < 1'000'000)
        return QStringLiteral("100K<n<1M");
    if (n < 10'000'000)
        return QStringLiteral("1M<n<10M");
    return QStringLiteral("10M<n<100M");
}

const QString kNotRecorded = QStringLiteral("not recorded");

QString orNotRecorded(const QString &s)
{
    return s.isEmpty() ? kNotRecorded : s;
}

void row(QString &md, const QString &a, const QString &b)
{
    md += QStringLiteral("| ") + cellText(a) + QStringLiteral(" | ") + cellText(b) +
          QStringLiteral(" |\n");
}

QString templateText(const json &t)
{
    const QString id = text(t, "id");
    if (id.isEmpty())
        return {};
    const QString version = text(t, "version");
    return version.isEmpty() ? id : id + QStringLiteral(" v") + version;
}

// What the card learns by reading the member problems (and, when needed, the ledger).
struct MemberFacts
{
    qint64 count = 0;
    std::map<Complexity, qint64> byComplexity;
    std::set<QString> generators;
    std::set<QString> domains;
    std::set<QString> templates; // "id vN"
    std::set<QString> callIds;
};

struct LedgerFacts
{
    qint64 found = 0;
    qint64 missing = 0;
    qint64 calls = 0;
    qint64 cacheHits = 0;
    qint64 tokensIn = 0;
    qint64 tokensOut = 0;
    double usd = 0;
    qint64 priced = 0;
    qint64 unpriced = 0; // answered (not from the cache) without a known price
    std::set<QString> providerModels;
};

const char *const kColumnDocs[][2] = {
    {"id", "stable problem id"},
    {"domain", "problem domain"},
    {"statement", "the problem statement"},
    {"constraints", "list of constraints"},
    {"success_criteria", "list of success criteria"},
    {"complexity", "simple, medium or complex"},
    {"origin", "manual, import, seed, variation, matrix, adversarial or expansion"},
    {"base_problem_id", "the problem this one was derived from, or null"},
    {"matrix_cell", "dimension -> value for problem-matrix rows, or null"},
    {"tags", "list of tags"},
    {"sample_data", "sample input as JSON text, or null"},
    {"created_at", "ISO 8601 UTC timestamp"},
    {"generator", "seeds, variations, dataset, matrix, adversarial or expand"},
    {"template_id", "prompt template id"},
    {"template_version", "prompt template version"},
    {"job_id", "the generation job"},
    {"cost_usd", "cost of the calls that produced the problem, null when unpriced"},
    {"call_ids", "ids of the LLM calls in the workspace ledger"},
    {"parameters", "generator parameters as JSON text"},
    {"adversarial_strategy", "adversarial examples: strategy"},
    {"adversarial_attack", "adversarial examples: attack"},
    {"adversarial_expected_failure", "adversarial examples: expected failure"},
    {"adversarial_target_capability", "adversarial examples: capability under test"},
    {"adversarial_difficulty", "adversarial examples: difficulty"},
    {"expansion_factors", "expanded scenarios: factors added"},
    {"expansion_details", "expanded scenarios: factor -> detail, as JSON text"},
};

} // namespace

DatasetExporter::DatasetExporter(Workspace &ws)
    : m_ws(ws)
{
}

const QStringList &DatasetExporter::jsonlColumns()
{
    static const QStringList columns = [] {
        QStringList out;
        for (const auto &doc : kColumnDocs)
            out << QString::fromUtf8(doc[0]);
        return out;
    }();
    return columns;
}

ordered_json DatasetExporter::hfRecord(const Problem &p)
{
    const json &meta = p.metadata;
    ordered_json r = ordered_json::object();
    r["id"] = p.id.toStdString();
    r["domain"] = p.domain.toStdString();
    r["statement"] = p.statement.toStdString();
    r["constraints"] = json(p.constraints);
    r["success_criteria"] = json(p.successCriteria);
    r["complexity"] = toString(p.complexity).toStdString();
    r["origin"] = toString(p.origin).toStdString();
    r["base_problem_id"] = p.baseProblemId.isEmpty() ? ordered_json(nullptr)
                                                     : ordered_json(p.baseProblemId.toStdString());
    if (p.matrixCell.empty()) {
        r["matrix_cell"] = nullptr;
    } else {
        ordered_json cell = ordered_json::object();
        for (const auto &[k, v] : p.matrixCell)
            cell[k.toStdString()] = v.toStdString();
        r["matrix_cell"] = cell;
    }
    r["tags"] = json(p.tags);
    r["sample_data"] =
        p.sampleData.is_null() ? ordered_json(nullptr) : ordered_json(p.sampleData.dump());
    r["created_at"] = p.createdAt.isValid()
                          ? ordered_json(jsonio::formatTimestamp(p.createdAt).toStdString())
                          : ordered_json(nullptr);

    r["generator"] = textOrNull(meta, "generator");
    const json &tmpl = object(meta, "template");
    r["template_id"] = textOrNull(tmpl, "id");
    if (const json *v = member(tmpl, "version"); v && v->is_number())
        r["template_version"] = static_cast<qint64>(std::llround(v->get<double>()));
    else if (v && v->is_string() && !QString::fromStdString(v->get<std::string>()).isEmpty())
        r["template_version"] =
            QString::fromStdString(v->get<std::string>()).toLongLong(); // "3" -> 3
    else
        r["template_version"] = nullptr;
    r["job_id"] = textOrNull(meta, "job_id");
    if (const auto cost = number(meta, "cost_usd"))
        r["cost_usd"] = *cost; // always a double, so the column keeps one type
    else
        r["cost_usd"] = nullptr;
    r["call_ids"] = stringList(array(meta, "call_ids"));
    const json *params = member(meta, "parameters");
    r["parameters"] = params ? ordered_json(params->dump()) : ordered_json(nullptr);

    const json &adv = object(meta, "adversarial");
    r["adversarial_strategy"] = textOrNull(adv, "strategy");
    r["adversarial_attack"] = textOrNull(adv, "attack");
    r["adversarial_expected_failure"] = textOrNull(adv, "expected_failure");
    r["adversarial_target_capability"] = textOrNull(adv, "target_capability");
    r["adversarial_difficulty"] = textOrNull(adv, "difficulty");

    const json &exp = object(meta, "expansion");
    r["expansion_factors"] = stringList(array(exp, "factors"));
    const json *details = member(exp, "details");
    r["expansion_details"] = details ? ordered_json(details->dump()) : ordered_json(nullptr);
    return r;
}

qint64 DatasetExporter::writeJsonl(QIODevice &out, const DatasetJsonlOptions &options)
{
    ProblemRepository repo(m_ws);
    const qint64 total = options.progress ? repo.count(options.filter) : 0;
    qint64 written = 0;
    repo.forEachPage(options.filter, [&](const std::vector<Problem> &page) {
        QByteArray chunk;
        for (const Problem &p : page) {
            chunk += QByteArray::fromStdString(hfRecord(p).dump());
            chunk += '\n';
        }
        writeOrThrow(out, chunk);
        written += static_cast<qint64>(page.size());
        if (options.progress)
            options.progress(written, total);
    });
    return written;
}

qint64 DatasetExporter::exportJsonl(const QString &path, const DatasetJsonlOptions &options)
{
    qint64 n = 0;
    writeFileAtomically(path, [&](QIODevice &out) { n = writeJsonl(out, options); });
    return n;
}

QByteArray DatasetExporter::exportJsonlBytes(const DatasetJsonlOptions &options)
{
    return writeToBytes([&](QIODevice &out) { writeJsonl(out, options); });
}

QString DatasetExporter::defaultCardPath(const QString &dataPath)
{
    const QFileInfo info(dataPath);
    const QString base =
        info.completeBaseName().isEmpty() ? QStringLiteral("README") : info.completeBaseName();
    return info.dir().filePath(base + QStringLiteral(".md"));
}

bool DatasetExporter::parameterApplies(const QString &kind, const QString &parameter)
{
    // Parameters that only some kinds read; everything else (provider, model, temperature,
    // budgets, dedup, concurrency, ...) applies to every kind.
    static const std::map<std::string, std::set<std::string>> kOnly = {
        {"kind", {}},
        {"dataset_id", {}},
        {"domain", {"seeds", "dataset", "matrix"}},
        {"context", {"seeds", "dataset", "matrix"}},
        {"count", {"seeds", "dataset", "adversarial"}},
        {"base_problem_id", {"variations", "adversarial", "expand", "interactions", "matrix"}},
        {"dataset_name", {"dataset", "matrix"}},
        {"mix", {"dataset"}},
        {"levels", {"variations"}},
        {"per_level", {"variations"}},
        {"target_capability", {"adversarial"}},
        {"difficulty", {"adversarial"}},
        {"strategies", {"adversarial"}},
        {"factors", {"expand"}},
        {"detail_level", {"expand"}},
        {"roles", {"interactions"}},
        {"turn_limit", {"interactions"}},
        {"pict_model", {"matrix"}},
        {"strength", {"matrix"}},
        {"seed", {"matrix"}},
        {"statement_template", {"matrix"}},
    };
    const auto it = kOnly.find(parameter.toStdString());
    if (it == kOnly.end())
        return true;
    return kind.isEmpty() ? !it->second.empty() : it->second.count(kind.toStdString()) > 0;
}

QString DatasetExporter::card(const QString &datasetId, const DatasetCardOptions &options)
{
    const std::optional<Dataset> found = DatasetRepository(m_ws).get(datasetId);
    if (!found)
        throw WorkspaceError(
            WorkspaceError::Kind::NotFound,
            QStringLiteral("No dataset with id %1 in the workspace.").arg(datasetId));
    const Dataset &ds = *found;
    static const json kEmpty = json::object();
    const json &meta = ds.metadata.is_object() ? ds.metadata : kEmpty;
    const json &params = object(meta, "parameters");
    const json &counts = object(meta, "counts");
    const json &rejects = array(meta, "rejects");

    // Members, in order.
    MemberFacts members;
    {
        ProblemRepository repo(m_ws);
        ProblemFilter filter;
        filter.datasetId = ds.id;
        if (options.onlyAccepted)
            filter.reviewStatus = ReviewStatus::Accepted;
        qint64 after = 0;
        constexpr int kPage = 2000;
        for (;;) {
            qint64 last = after;
            const std::vector<Problem> page = repo.fullPageAfter(filter, after, kPage, &last);
            for (const Problem &p : page) {
                ++members.count;
                ++members.byComplexity[p.complexity];
                if (!p.domain.isEmpty())
                    members.domains.insert(p.domain);
                if (const QString g = text(p.metadata, "generator"); !g.isEmpty())
                    members.generators.insert(g);
                if (const QString t = templateText(object(p.metadata, "template")); !t.isEmpty())
                    members.templates.insert(t);
                for (const json &id : array(p.metadata, "call_ids"))
                    if (id.is_string())
                        members.callIds.insert(QString::fromStdString(id.get<std::string>()));
            }
            if (static_cast<int>(page.size()) < kPage)
                break;
            after = last;
        }
    }
    for (const json &r : rejects)
        for (const json &id : array(r, "call_ids"))
            if (id.is_string())
                members.callIds.insert(QString::fromStdString(id.get<std::string>()));

    const bool hasCost = member(meta, "cost") && member(meta, "cost")->is_object();
    const QString provider = text(params, "provider");
    const QString model = text(params, "model");
    LedgerFacts ledger;
    if ((!hasCost || provider.isEmpty() || model.isEmpty()) && !members.callIds.empty()) {
        LlmCallRepository calls(m_ws);
        for (const QString &id : members.callIds) {
            const std::optional<LlmCall> c = calls.get(id);
            if (!c) {
                ++ledger.missing;
                continue;
            }
            ++ledger.found;
            ++ledger.calls;
            ledger.tokensIn += c->tokensIn;
            ledger.tokensOut += c->tokensOut;
            if (c->cacheHit)
                ++ledger.cacheHits;
            if (c->costUsd) {
                ledger.usd += *c->costUsd;
                ++ledger.priced;
            } else if (!c->cacheHit && c->status == QLatin1String("ok")) {
                ++ledger.unpriced;
            }
            ledger.providerModels.insert(c->provider + QStringLiteral("/") + c->model);
        }
    }

    QString md;
    // ---- front matter ----
    md += QStringLiteral("---\n");
    md += QStringLiteral("pretty_name: ") + yamlString(ds.name) + QStringLiteral("\n");
    md +=
        QStringLiteral("size_categories:\n- ") + sizeCategory(members.count) + QStringLiteral("\n");
    md += QStringLiteral("task_categories:\n- text-generation\n");
    md += QStringLiteral("language:\n- en\n");
    md += QStringLiteral("tags:\n- synthetic\n- crucible\n");
    md += QStringLiteral("---\n\n");

    QString domain = ds.domain.isEmpty() ? text(params, "domain") : ds.domain;
    if (domain.isEmpty() && !members.domains.empty())
        domain =
            QStringList(members.domains.begin(), members.domains.end()).join(QStringLiteral(", "));
    md += QStringLiteral("# ") + ds.name.simplified() + QStringLiteral("\n\n");
    md += QStringLiteral("Synthetic problems");
    if (!domain.isEmpty())
        md += QStringLiteral(" in the domain *") + domain.simplified() + QStringLiteral("*");
    md += QStringLiteral(", generated with Crucible. %1 %2.\n\n")
              .arg(members.count)
              .arg(members.count == 1 ? QStringLiteral("problem") : QStringLiteral("problems"));
    if (options.onlyAccepted)
        md += QStringLiteral("Only the problems a reviewer accepted: %1 of the dataset's %2 "
                             "members.\n\n")
                  .arg(members.count)
                  .arg(DatasetRepository(m_ws).memberCount(ds.id));

    // ---- origin ----
    md += QStringLiteral("## Origin\n\n| Field | Value |\n|---|---|\n");
    QString generator = text(meta, "generator");
    if (generator.isEmpty() && !members.generators.empty())
        generator = QStringList(members.generators.begin(), members.generators.end())
                        .join(QStringLiteral(", "));
    row(md, QStringLiteral("Generator"), orNotRecorded(generator));
    row(md, QStringLiteral("Domain"), orNotRecorded(domain));
    QString providerModel;
    if (!provider.isEmpty() || !model.isEmpty())
        providerModel = orNotRecorded(provider) + QStringLiteral("/") + orNotRecorded(model);
    else if (!ledger.providerModels.empty())
        providerModel = QStringList(ledger.providerModels.begin(), ledger.providerModels.end())
                            .join(QStringLiteral(", ")) +
                        QStringLiteral(" (from the call ledger)");
    row(md, QStringLiteral("Provider / model"), orNotRecorded(providerModel));
    QStringList templates;
    for (const json &t : array(meta, "templates"))
        if (const QString s = templateText(t); !s.isEmpty())
            templates << s;
    if (templates.isEmpty())
        templates = QStringList(members.templates.begin(), members.templates.end());
    row(md, QStringLiteral("Templates"), orNotRecorded(templates.join(QStringLiteral(", "))));
    row(md, QStringLiteral("Job"), orNotRecorded(text(meta, "job_id")));
    row(md, QStringLiteral("Dataset id"), ds.id);
    row(md, QStringLiteral("Created"), orNotRecorded(jsonio::formatTimestamp(ds.createdAt)));
    md += u'\n';

    // ---- parameters ----
    md += QStringLiteral("## Parameters\n\n");
    // Only what the job's kind reads (a dataset job's card has no adversarial strategies), and
    // no empty text: an unset context or template says nothing.
    const QString kind = text(meta, "kind").isEmpty() ? generator : text(meta, "kind");
    QString paramRows;
    for (const auto &[k, v] : params.items()) {
        const QString key = QString::fromStdString(k);
        if (!parameterApplies(kind, key) || (v.is_string() && v.get<std::string>().empty()))
            continue;
        const json *dedup = member(params, "dedup");
        if (key == QLatin1String("dedup_threshold") && dedup && dedup->is_boolean() &&
            !dedup->get<bool>())
            continue;
        row(paramRows, key,
            (v.is_array() || v.is_object()) && v.empty() ? QStringLiteral("default")
                                                         : valueText(v));
    }
    if (paramRows.isEmpty())
        md += QStringLiteral("Not recorded for this dataset.\n\n");
    else
        md += QStringLiteral("| Parameter | Value |\n|---|---|\n") + paramRows + u'\n';

    // ---- counts ----
    md += QStringLiteral("## Counts\n\n| Count | Value |\n|---|---|\n");
    row(md, QStringLiteral("Accepted (members)"), QString::number(members.count));
    const json *rejectedCount = member(counts, "rejected");
    if (rejectedCount && rejectedCount->is_number())
        row(md, QStringLiteral("Rejected"), numberText(*rejectedCount));
    else if (member(meta, "rejects"))
        row(md, QStringLiteral("Rejected"), QString::number(rejects.size()));
    else
        row(md, QStringLiteral("Rejected"), kNotRecorded);
    const json *candidates = member(counts, "candidates");
    row(md, QStringLiteral("Candidates"),
        candidates && candidates->is_number() ? numberText(*candidates) : kNotRecorded);
    md += u'\n';

    std::map<QString, double> mix;
    for (const auto &[level, fraction] : ds.complexityMix)
        mix[toString(level)] = fraction;
    if (mix.empty())
        for (const auto &[k, v] : object(params, "mix").items())
            if (v.is_number())
                mix[QString::fromStdString(k)] = v.get<double>();
    md +=
        QStringLiteral("| Complexity | Target mix | Actual | Actual share |\n|---|---|---|---|\n");
    for (const QString &level : complexityNames()) {
        const auto target = mix.find(level);
        const qint64 actual = members.byComplexity[*complexityFromString(level)];
        md +=
            QStringLiteral("| %1 | %2 | %3 | %4 |\n")
                .arg(level, target == mix.end() ? QStringLiteral("-") : percent(target->second),
                     QString::number(actual),
                     members.count
                         ? percent(static_cast<double>(actual) / static_cast<double>(members.count))
                         : QStringLiteral("-"));
    }
    md += u'\n';

    // ---- rejects ----
    md += QStringLiteral("## Rejects\n\n");
    if (!member(meta, "rejects")) {
        md += QStringLiteral("Not recorded for this dataset.\n\n");
    } else if (rejects.empty()) {
        md += QStringLiteral("No candidate was rejected.\n\n");
    } else {
        std::map<QString, qint64> byReason;
        for (const json &r : rejects)
            ++byReason[orNotRecorded(text(r, "reason"))];
        md += QStringLiteral("| Reason | Count |\n|---|---|\n");
        for (const auto &[reason, n] : byReason)
            row(md, reason, QString::number(n));
        md += u'\n';
        if (rejectedCount && rejectedCount->is_number() &&
            rejectedCount->get<double>() > static_cast<double>(rejects.size()))
            md += QStringLiteral("%1 of %2 rejects are listed in the metadata.\n\n")
                      .arg(rejects.size())
                      .arg(numberText(*rejectedCount));
        const int shown =
            std::min<int>(options.maxRejectExamples, static_cast<int>(rejects.size()));
        md += QStringLiteral("Examples (%1 of %2):\n\n").arg(shown).arg(rejects.size());
        for (int i = 0; i < shown; ++i) {
            const json &r = rejects[static_cast<size_t>(i)];
            QString line =
                QStringLiteral("%1. **%2**").arg(i + 1).arg(orNotRecorded(text(r, "reason")));
            if (const QString c = text(r, "complexity"); !c.isEmpty())
                line += QStringLiteral(" (") + c + QStringLiteral(")");
            const QString statement = text(r, "statement");
            line += QStringLiteral(": ") +
                    (statement.trimmed().isEmpty()
                         ? QStringLiteral("(no statement)")
                         : QStringLiteral("\"") + preview(statement, 160) + QStringLiteral("\""));
            if (const QString d = text(r, "detail"); !d.isEmpty())
                line += QStringLiteral(" — ") + preview(d, 200);
            md += line + QStringLiteral("\n");
        }
        md += u'\n';
    }

    // ---- diversity ----
    md += QStringLiteral("## Diversity\n\n");
    const json &div = object(meta, "diversity");
    if (div.empty()) {
        md += QStringLiteral("Not recorded for this dataset.\n\n");
    } else {
        md += QStringLiteral("| Metric | Value |\n|---|---|\n");
        const std::pair<const char *, const char *> metrics[] = {
            {"distinct_1", "Distinct-1 (unique unigrams / unigrams)"},
            {"distinct_2", "Distinct-2 (unique bigrams / bigrams)"},
            {"mean_pairwise_jaccard", "Mean pairwise Jaccard similarity"},
            {"pairs_compared", "Pairs compared"},
            {"sampled", "Sampled"},
        };
        for (const auto &[key, label] : metrics)
            if (const json *v = member(div, key))
                row(md, QString::fromUtf8(label), valueText(*v));
        md += u'\n';
        const json &coverage = object(div, "dimension_coverage");
        if (!coverage.empty()) {
            md += QStringLiteral("Dimension coverage:\n\n| Dimension | Covered / expected | "
                                 "Values |\n|---|---|---|\n");
            for (const auto &[dim, c] : coverage.items()) {
                QStringList values;
                for (const auto &[v, n] : object(c, "values").items())
                    values << QString::fromStdString(v) + QStringLiteral(" (") + numberText(n) +
                                  QStringLiteral(")");
                const QString covered =
                    member(c, "covered") ? numberText(c["covered"]) : QStringLiteral("?");
                const QString expected =
                    member(c, "expected") ? numberText(c["expected"]) : QStringLiteral("?");
                md += QStringLiteral("| ") + cellText(QString::fromStdString(dim)) +
                      QStringLiteral(" | ") + covered + QStringLiteral(" / ") + expected +
                      QStringLiteral(" | ") + cellText(values.join(QStringLiteral(", "))) +
                      QStringLiteral(" |\n");
            }
            md += u'\n';
        }
    }

    // ---- cost ----
    md += QStringLiteral("## Cost\n\n");
    if (hasCost) {
        const json &cost = object(meta, "cost");
        md += QStringLiteral("| Item | Value |\n|---|---|\n");
        const auto amount = number(cost, "usd");
        row(md, QStringLiteral("Cost"), amount ? usd(*amount) : QStringLiteral("unpriced"));
        const std::pair<const char *, const char *> items[] = {{"tokens_in", "Tokens in"},
                                                               {"tokens_out", "Tokens out"},
                                                               {"calls", "Calls"},
                                                               {"cache_hits", "Cache hits"}};
        for (const auto &[key, label] : items) {
            const json *v = member(cost, key);
            row(md, QString::fromUtf8(label), v ? valueText(*v) : kNotRecorded);
        }
        md += QStringLiteral("\nSource: the dataset's metadata.\n\n");
    } else if (ledger.found > 0) {
        QString amount;
        if (ledger.priced > 0 && ledger.unpriced == 0)
            amount = usd(ledger.usd);
        else if (ledger.priced > 0)
            amount =
                usd(ledger.usd) + QStringLiteral(" plus %1 unpriced calls").arg(ledger.unpriced);
        else if (ledger.unpriced > 0)
            amount = QStringLiteral("unpriced");
        else
            amount = usd(0);
        md += QStringLiteral("| Item | Value |\n|---|---|\n");
        row(md, QStringLiteral("Cost"), amount);
        row(md, QStringLiteral("Tokens in"), QString::number(ledger.tokensIn));
        row(md, QStringLiteral("Tokens out"), QString::number(ledger.tokensOut));
        row(md, QStringLiteral("Calls"), QString::number(ledger.calls));
        row(md, QStringLiteral("Cache hits"), QString::number(ledger.cacheHits));
        md += QStringLiteral("\nSource: computed from the workspace's LLM call ledger (%1 calls "
                             "referenced by the problems and rejects")
                  .arg(members.callIds.size());
        if (ledger.missing > 0)
            md += QStringLiteral("; %1 not found in the ledger").arg(ledger.missing);
        md += QStringLiteral(").\n\n");
    } else if (!members.callIds.empty()) {
        md += QStringLiteral("Not recorded: the %1 calls referenced by the problems are not in "
                             "this workspace's ledger.\n\n")
                  .arg(members.callIds.size());
    } else {
        md += QStringLiteral("Not recorded for this dataset.\n\n");
    }

    // ---- loading ----
    const bool csv = options.dataKind == DatasetFileKind::Csv;
    md += QStringLiteral("## How to load\n\n```python\nfrom datasets import load_dataset\n\n");
    md += QStringLiteral("ds = load_dataset(\"%1\", data_files=%2, split=\"train\")\n```\n\n")
              .arg(csv ? QStringLiteral("csv") : QStringLiteral("json"),
                   yamlString(options.dataFile));

    if (options.dataKind == DatasetFileKind::HfJsonl) {
        md += QStringLiteral("## Fields\n\n| Field | Meaning |\n|---|---|\n");
        for (const auto &doc : kColumnDocs)
            md += QStringLiteral("| `") + QString::fromUtf8(doc[0]) + QStringLiteral("` | ") +
                  QString::fromUtf8(doc[1]) + QStringLiteral(" |\n");
    }
    return md;
}

void DatasetExporter::writeCard(const QString &datasetId, const QString &path,
                                const DatasetCardOptions &options)
{
    const QByteArray bytes = card(datasetId, options).toUtf8();
    writeFileAtomically(path, [&](QIODevice &out) { writeOrThrow(out, bytes); });
}

} // namespace crucible
