#include "ui/matrix/matrixanalyzer.h"

#include "core/generate/coveragechecker.h"
#include "core/generate/coveringarray.h"
#include "ui/backgroundrefresh.h"

#include <QRegularExpression>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <chrono>

namespace crucible {

namespace {

const char *const kFileName = "model";

bool looksLikeConstraint(const QString &line)
{
    static const QRegularExpression start(QStringLiteral("^(\\[|\\(|(if|not)([\\s\\[(]|$))"),
                                          QRegularExpression::CaseInsensitiveOption);
    return start.match(line).hasMatch();
}

// The first line of the constraint text that is neither blank nor a comment must start a
// constraint, otherwise PICT would read it as a parameter. Returns its 1-based line, or 0.
int firstNonConstraintLine(const QString &constraints, int &column)
{
    const QStringList lines = constraints.split(QLatin1Char('\n'));
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString content = lines[i].trimmed();
        if (content.isEmpty() || content.startsWith(QLatin1Char('#')))
            continue;
        if (looksLikeConstraint(content))
            return 0;
        column = static_cast<int>(lines[i].indexOf(content.front())) + 1;
        return static_cast<int>(i) + 1;
    }
    return 0;
}

} // namespace

MatrixAnalyzer::MatrixAnalyzer(QObject *parent)
    : QObject(parent)
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(kDebounceMs);
    connect(&m_timer, &QTimer::timeout, this, &MatrixAnalyzer::start);
    connect(&m_watcher, &QFutureWatcher<MatrixAnalysis>::finished, this, [this] {
        if (!m_running || !m_watcher.isFinished())
            return;
        m_running = false;
        emit finished(m_watcher.result());
    });
}

MatrixAnalyzer::~MatrixAnalyzer()
{
    // The worker holds copies only; tell it to stop and let it finish on its own.
    if (m_cancel)
        *m_cancel = true;
}

QString MatrixAnalyzer::pictText(const QList<MatrixDimension> &dimensions,
                                 const QString &constraints)
{
    QString text;
    for (const MatrixDimension &d : dimensions) {
        QStringList items;
        for (qsizetype v = 0; v < d.values.size(); ++v) {
            const QString weight = v < d.weights.size() ? d.weights[v] : QStringLiteral("1");
            items << (weight == QStringLiteral("1")
                          ? d.values[v]
                          : d.values[v] % QStringLiteral(" (") % weight % QLatin1Char(')'));
        }
        text +=
            d.name % QStringLiteral(": ") % items.join(QStringLiteral(", ")) % QLatin1Char('\n');
    }
    if (!constraints.trimmed().isEmpty()) {
        text += QLatin1Char('\n') % constraints;
        if (!constraints.endsWith(QLatin1Char('\n')))
            text += QLatin1Char('\n');
    }
    return text;
}

MatrixParseResult MatrixAnalyzer::parse(const QList<MatrixDimension> &dimensions,
                                        const QString &constraints)
{
    MatrixParseResult result;
    const int offset = static_cast<int>(dimensions.size()) + 1; // constraint line 1 is offset+1
    int column = 0;
    if (const int line = firstNonConstraintLine(constraints, column); line > 0) {
        result.line = line;
        result.column = column;
        result.error = tr("Constraints %1:%2: expected a constraint (IF …, [Dimension] …, NOT … or "
                          "( … ); end each with ';'")
                           .arg(line)
                           .arg(column);
        return result;
    }
    const QByteArray text = pictText(dimensions, constraints).toUtf8();
    try {
        result.model = PictModel::parse(std::string_view(text.constData(), text.size()), kFileName);
    } catch (const PictParseError &e) {
        const QString message = QString::fromStdString(e.message());
        if (e.line() > offset || (e.line() == offset && !constraints.trimmed().isEmpty())) {
            result.line = std::max(1, e.line() - offset);
            result.column = e.column();
            result.error =
                tr("Constraints %1:%2: %3").arg(result.line).arg(result.column).arg(message);
        } else {
            result.dimension = std::clamp(e.line() - 1, 0, static_cast<int>(dimensions.size()) - 1);
            result.error = tr("Dimension %1: %2").arg(result.dimension + 1).arg(message);
        }
        return result;
    }
    static const QRegularExpression where(QStringLiteral("^model:(\\d+):(\\d+): (.*)$"));
    for (const std::string &warning : result.model.warnings) {
        const QString w = QString::fromStdString(warning);
        const QRegularExpressionMatch m = where.match(w);
        result.warnings << (m.hasMatch() ? tr("Constraints %1:%2: %3")
                                               .arg(m.captured(1).toInt() - offset)
                                               .arg(m.captured(2), m.captured(3))
                                         : w);
    }
    result.ok = true;
    return result;
}

MatrixAnalysis MatrixAnalyzer::analyse(const PictModel &model, int strength, quint64 seed,
                                       const std::shared_ptr<std::atomic_bool> &cancelled)
{
    MatrixAnalysis a;
    std::vector<int> counts;
    a.product = 1;
    for (const MatrixParameter &p : model.parameters) {
        counts.push_back(static_cast<int>(p.values.size()));
        a.product *= static_cast<double>(p.values.size());
        a.dimensions << QString::fromStdString(p.name);
        QStringList names;
        for (const std::string &v : p.values)
            names << QString::fromStdString(v);
        a.values.push_back(names);
    }
    a.strength = std::clamp(strength, 1, static_cast<int>(counts.size()));
    try {
        const auto begin = std::chrono::steady_clock::now();
        if (a.product <= kCountLimit)
            a.allowedRows = CoverageChecker::allowedRowCount(model);

        CoveringArrayOptions options;
        options.strength = a.strength;
        options.seed = seed;
        options.cancelled = [cancelled] { return cancelled->load(); };
        CoveringArrayResult r = CoveringArrayGenerator::generate(model, options);
        a.rows = std::move(r.rows);
        a.requiredTuples = r.requiredTuples;
        a.excludedTuples = r.excludedTuples;
        a.satisfiable = r.satisfiable;

        // Which value pairs the constraints allow: pairs some row holds, plus the allowed pairs
        // no row holds (the checker lists those); everything else is impossible.
        if (counts.size() >= 2 && !model.constraints.empty() && !cancelled->load()) {
            const CoverageReport report = CoverageChecker::check(model, a.rows, 2);
            for (std::size_t i = 0; i < counts.size(); ++i) {
                for (std::size_t j = i + 1; j < counts.size(); ++j) {
                    std::vector<char> allowed(static_cast<std::size_t>(counts[i] * counts[j]), 0);
                    for (const std::vector<int> &row : a.rows)
                        allowed[static_cast<std::size_t>(row[i] * counts[j] + row[j])] = 1;
                    a.allowedPairs[{static_cast<int>(i), static_cast<int>(j)}] = std::move(allowed);
                }
            }
            for (const auto &tuple : report.uncovered) {
                auto &allowed = a.allowedPairs[{tuple[0].first, tuple[1].first}];
                allowed[static_cast<std::size_t>(
                    tuple[0].second * counts[static_cast<std::size_t>(tuple[1].first)] +
                    tuple[1].second)] = 1;
            }
        }
        a.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    } catch (const std::exception &e) {
        a.error = QString::fromStdString(e.what());
    }
    return a;
}

void MatrixAnalyzer::request(const QList<MatrixDimension> &dimensions, const QString &constraints,
                             int strength, quint64 seed)
{
    m_dimensions = dimensions;
    m_constraints = constraints;
    m_strength = strength;
    m_seed = seed;
    m_timer.start();
}

void MatrixAnalyzer::runNow()
{
    if (m_timer.isActive()) {
        m_timer.stop();
        start();
    }
}

void MatrixAnalyzer::cancel()
{
    m_timer.stop();
    if (m_cancel)
        *m_cancel = true;
    m_running = false;
}

void MatrixAnalyzer::start()
{
    cancel();
    m_parsed = parse(m_dimensions, m_constraints);
    emit parsed(m_parsed);
    if (!m_parsed.ok)
        return;
    m_cancel = std::make_shared<std::atomic_bool>(false);
    m_running = true;
    emit started();
    m_watcher.setFuture(QtConcurrent::run(workspacePool(), &MatrixAnalyzer::analyse, m_parsed.model,
                                          m_strength, m_seed, m_cancel));
}

} // namespace crucible
