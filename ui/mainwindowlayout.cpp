// MainWindow, part three: the dock arrangement of a first start (for the screen it starts on),
// saving and restoring it, and keeping the window on the screen when docks open. Split from
// mainwindow.cpp to keep both files small; still one class.
#include "ui/mainwindow.h"

#include "ui/generate/generationpanel.h"
#include "ui/matrix/matrixeditorpanel.h"
#include "ui/models/jobtablemodel.h"
#include "ui/problemspanel.h"
#include "ui/settings.h"

#include <QDockWidget>
#include <QScreen>
#include <QScrollArea>
#include <QShowEvent>
#include <QTimer>

#include <algorithm>

namespace crucible {

namespace {

constexpr QSize kPreferredSize(1360, 860);
// Below this width the Playground starts hidden (View → LLM Playground shows it), so the start
// page and the Problems panel keep room.
constexpr int kWideScreen = 1280;
// Below this height Jobs and the Request Inspector start closed.
constexpr int kTallScreen = 900;

QRect availableGeometryOf(const QWidget *widget)
{
    const QScreen *screen = widget->screen();
    return screen ? screen->availableGeometry() : QRect(QPoint(0, 0), kPreferredSize);
}

} // namespace

void MainWindow::arrangeDocks()
{
    // One tab group at the bottom: side by side, the jobs, the inspector, the matrix editor and
    // the interactions squeeze each other below their minimum sizes and overlap.
    // On a narrow screen the Playground joins them: beside the Problems panel and the Workspace
    // overview it would push the window past the screen.
    const QSize screen = availableGeometryOf(this).size();
    const bool wide = screen.width() >= kWideScreen;
    QDockWidget *first = bottomDock();
    for (QDockWidget *dock :
         {m_inspectorDock, m_matrixDock, m_interactionsDock, wide ? nullptr : m_playgroundDock})
        if (dock && dock != first)
            tabifyDockWidget(first, dock);
    first->raise();
    // The matrix editor needs about 1000×470 pixels: it scrolls in its dock instead.
    auto *scroll = new QScrollArea(m_matrixDock);
    scroll->setObjectName(QStringLiteral("matrixScroll"));
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidgetResizable(true);
    scroll->setWidget(m_matrixEditor);
    m_matrixDock->setWidget(scroll);

    // On a small screen the start page and the Problems panel get the room: the Playground and
    // the bottom group start closed (a job that starts opens Jobs).
    if (m_playgroundDock)
        m_playgroundDock->setVisible(wide);
    if (screen.height() < kTallScreen)
        for (QDockWidget *dock : {m_generationDock, m_inspectorDock})
            if (dock)
                dock->hide();
    if (m_generation)
        connect(m_generation->model(), &QAbstractItemModel::rowsInserted, this, [this] {
            if (!m_generationDock->isVisible()) {
                m_generationDock->show();
                m_generationDock->raise();
            }
        });

    for (QDockWidget *dock : findChildren<QDockWidget *>(Qt::FindDirectChildrenOnly))
        keepOnScreenWhenShown(dock);
}

QDockWidget *MainWindow::bottomDock() const
{
    return m_generationDock ? m_generationDock : m_matrixDock;
}

void MainWindow::applyDockSizes()
{
    // Dock sizes only take once the window has its size: called after the first show.
    const QSize screen = availableGeometryOf(this).size();
    resizeDocks({m_overviewDock}, {screen.width() >= kWideScreen ? 210 : 180}, Qt::Horizontal);
    if (m_playgroundDock && dockWidgetArea(m_playgroundDock) == Qt::RightDockWidgetArea)
        resizeDocks({m_playgroundDock}, {std::min(380, width() / 3)}, Qt::Horizontal);
    resizeDocks({bottomDock()}, {std::min(300, height() / 3)}, Qt::Vertical);
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    if (m_dockSizesPending) {
        m_dockSizesPending = false;
        QTimer::singleShot(0, this, &MainWindow::applyDockSizes);
    }
}

void MainWindow::keepOnScreenWhenShown(QDockWidget *dock)
{
    connect(dock, &QDockWidget::visibilityChanged, this, [this](bool visible) {
        if (!visible || !isVisible())
            return;
        // The main window grows to its new minimum size once the layout has run; only such a
        // growth is undone (a window the user or a script made larger stays as it is).
        const QSize before = size();
        QTimer::singleShot(0, this, [this, before] {
            const bool grewToMinimum = (width() > before.width() && width() == minimumWidth()) ||
                                       (height() > before.height() && height() == minimumHeight());
            if (grewToMinimum)
                fitInto(availableGeometryOf(this));
        });
    });
}

void MainWindow::fitInto(const QRect &available)
{
    if (isMaximized() || isFullScreen() || !isVisible() || available.isEmpty())
        return;
    const QRect frame = frameGeometry();
    if (available.contains(frame))
        return;
    const QSize decoration = frame.size() - size();
    if (frame.width() > available.width() || frame.height() > available.height())
        resize(size().boundedTo(available.size() - decoration).expandedTo(minimumSize()));
    QRect moved = frameGeometry();
    moved.moveLeft(std::clamp(moved.left(), available.left(),
                              std::max(available.left(), available.right() - moved.width() + 1)));
    moved.moveTop(std::clamp(moved.top(), available.top(),
                             std::max(available.top(), available.bottom() - moved.height() + 1)));
    move(moved.topLeft());
}

void MainWindow::restoreLayout()
{
    const QByteArray geometry = settings::mainWindowGeometry.get();
    if (geometry.isEmpty() || !restoreGeometry(geometry)) {
        // First start: the preferred size, or what the screen has (title bar and panel aside).
        const QRect available = availableGeometryOf(this);
        const QSize size = kPreferredSize.boundedTo(available.size() - QSize(16, 48));
        resize(size);
        move(available.center() - QPoint(size.width() / 2, size.height() / 2));
    }
    const QByteArray state = settings::mainWindowState.get();
    m_dockSizesPending = state.isEmpty() || !restoreState(state, settings::kMainWindowStateVersion);
    m_problems->restoreState();
}

void MainWindow::saveLayout() const
{
    settings::mainWindowGeometry.set(saveGeometry());
    settings::mainWindowState.set(saveState(settings::kMainWindowStateVersion));
    m_problems->saveState();
}

} // namespace crucible
