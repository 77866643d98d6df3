// Peak memory of the GUI browsing a large workspace: a QTableView over ProblemTableModel (the
// Problems panel's table) is scrolled from the first row to the last in 4,000 steps and repainted
// at each step, then searched and filtered. Prints peak RSS and the cost per scroll step.
// Run: QT_QPA_PLATFORM=offscreen build-bench/tests/bench/guimemory_guibench WORKSPACE
// (build WORKSPACE with store_bench first: /tmp/crucible-bench/problems-1000000.crucible)

#include "core/store/workspace.h"
#include "ui/models/problemtablemodel.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QScrollBar>
#include <QTableView>

#include <cstdio>
#include <limits>
#include <sys/resource.h>

using namespace crucible;

namespace {
double peakRssMb()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0; // ru_maxrss is in KiB on Linux
}
} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s WORKSPACE\n", argv[0]);
        return 2;
    }
    const double baseline = peakRssMb();
    auto ws = Workspace::open(QString::fromLocal8Bit(argv[1]), Workspace::Mode::ReadOnly);
    ProblemTableModel model;
    // Every count and page on this thread, as before they could move to a worker: the figures
    // are the cost of reading the rows (guilatency_guibench measures the event loop).
    model.setCountBudget(std::numeric_limits<qint64>::max());
    model.setPageBudget(std::numeric_limits<qint64>::max());
    QTableView view;
    view.setModel(&model);
    view.verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    view.verticalHeader()->setDefaultSectionSize(22);
    view.resize(1200, 800);
    view.show();

    QElapsedTimer timer;
    timer.start();
    model.setWorkspace(ws.get());
    view.grab();
    const double openMs = static_cast<double>(timer.nsecsElapsed()) / 1e6;
    const int rows = model.rowCount();

    QScrollBar *bar = view.verticalScrollBar();
    constexpr int kSteps = 4000;
    timer.restart();
    for (int i = 0; i <= kSteps; ++i) {
        bar->setValue(static_cast<int>(static_cast<qint64>(bar->maximum()) * i / kSteps));
        view.grab(); // paints the visible rows: fetches their pages
    }
    const double scrollMs = static_cast<double>(timer.nsecsElapsed()) / 1e6;
    // Page-by-page reading at the start (keyset paging path).
    timer.restart();
    bar->setValue(0);
    for (int i = 0; i < 400; ++i) {
        bar->setValue(bar->value() + bar->pageStep());
        view.grab();
    }
    const double pageMs = static_cast<double>(timer.nsecsElapsed()) / 1e6;

    ProblemFilter filter;
    filter.search = QStringLiteral("warehouse outage");
    timer.restart();
    model.setFilter(filter);
    view.grab();
    const double searchMs = static_cast<double>(timer.nsecsElapsed()) / 1e6;

    std::printf("rows in workspace            %d\n", rows);
    std::printf("open + first paint           %.1f ms\n", openMs);
    std::printf("jump-scroll, per step        %.2f ms (%d steps over all rows)\n",
                scrollMs / kSteps, kSteps);
    std::printf("page-down, per page          %.2f ms\n", pageMs / 400);
    std::printf("search + repaint             %.1f ms (%d hits)\n", searchMs, model.rowCount());
    std::printf("pages cached at end          %d (max %d)\n", model.cachedPageCount(),
                model.maxCachedPages());
    std::printf("peak RSS                     %.1f MB (process baseline %.1f MB)\n", peakRssMb(),
                baseline);
    return 0;
}
