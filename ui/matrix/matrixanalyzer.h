#pragma once
// Turns the edited matrix into a PICT model and analyses it: parse errors at once (on the
// caller's thread, cheap), then counts, the covering array and pair feasibility on the global
// QThreadPool. A newer request cancels the run in flight; stale results are never delivered.
// Lives on the GUI thread; the worker only sees copies and a shared cancel flag.

#include "core/generate/pictmodel.h"
#include "ui/models/matrixdimensionmodel.h"

#include <QFutureWatcher>
#include <QObject>
#include <QTimer>

#include <atomic>
#include <map>
#include <memory>
#include <vector>

namespace crucible {

// Where a parse error is: in a dimension (row) or in the constraint text (1-based line:col).
struct MatrixParseResult
{
    bool ok = false;
    PictModel model;
    QString error;      // "constraints:3:14: expected THEN", empty when ok
    int dimension = -1; // row of the dimension at fault, or -1
    int line = 0;       // constraint text position, 0 when not in the constraints
    int column = 0;
    QStringList warnings; // relative to the constraint text too
};

struct MatrixAnalysis
{
    double product = 0;      // ∏ value counts
    qint64 allowedRows = -1; // rows the constraints allow; -1 when too many to count
    std::vector<std::vector<int>> rows;
    qint64 requiredTuples = 0; // allowed t-way combinations (all covered)
    qint64 excludedTuples = 0; // combinations the constraints rule out
    int strength = 0;
    double seconds = 0;
    bool satisfiable = true;
    QString error;
    QStringList dimensions;
    std::vector<QStringList> values; // value names (first name of each value)
    // For dimensions a < b: allowed[a,b][i * |b| + j]; a missing entry means all allowed.
    std::map<std::pair<int, int>, std::vector<char>> allowedPairs;
};

class MatrixAnalyzer final : public QObject
{
    Q_OBJECT
public:
    static constexpr double kCountLimit = 1e6; // above this, allowed rows are not counted
    static constexpr int kDebounceMs = 250;

    explicit MatrixAnalyzer(QObject *parent = nullptr);
    ~MatrixAnalyzer() override;

    // The PICT text of dimensions + constraints (constraints kept as written).
    static QString pictText(const QList<MatrixDimension> &dimensions, const QString &constraints);
    static MatrixParseResult parse(const QList<MatrixDimension> &dimensions,
                                   const QString &constraints);
    // The heavy part; runs on any thread. Polls `cancelled`.
    static MatrixAnalysis analyse(const PictModel &model, int strength, quint64 seed,
                                  const std::shared_ptr<std::atomic_bool> &cancelled);

    // Schedules an analysis kDebounceMs from now (restarting the delay).
    void request(const QList<MatrixDimension> &dimensions, const QString &constraints, int strength,
                 quint64 seed);
    void runNow(); // skips the remaining delay
    void cancel(); // drops any pending or running analysis
    bool isBusy() const { return m_timer.isActive() || m_running; }
    const MatrixParseResult &lastParse() const { return m_parsed; }

signals:
    void parsed(const crucible::MatrixParseResult &result); // after each debounced edit
    void started();
    void finished(const crucible::MatrixAnalysis &analysis);

private:
    void start();

    QTimer m_timer;
    QFutureWatcher<MatrixAnalysis> m_watcher;
    std::shared_ptr<std::atomic_bool> m_cancel;
    bool m_running = false;
    QList<MatrixDimension> m_dimensions;
    QString m_constraints;
    int m_strength = 2;
    quint64 m_seed = 1;
    MatrixParseResult m_parsed;
};

} // namespace crucible
