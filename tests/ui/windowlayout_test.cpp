// The main window's dock arrangement: every dock fits a 1024×700 screen without growing the
// window past it, and no widget is drawn over another at 1024×700 or 1600×1000.
#include "core/store/problemrepository.h"
#include "llmwindow.h"
#include "ui/problemspanel.h"
#include "ui/startpage.h"
#include "uitestsupport.h"

#include <QComboBox>
#include <QDockWidget>
#include <QLayout>
#include <QLineEdit>
#include <gtest/gtest.h>

using namespace crucible;
using namespace crucible::uitest;

namespace {

QString describe(const QWidget *w)
{
    QString name = QString::fromLatin1(w->metaObject()->className());
    if (!w->objectName().isEmpty())
        name += QLatin1Char('#') + w->objectName();
    const QRect g = w->geometry();
    return name +
           QStringLiteral("(%1,%2 %3×%4)").arg(g.x()).arg(g.y()).arg(g.width()).arg(g.height());
}

// Visible sibling widgets whose rectangles intersect, anywhere below `parent`.
void findOverlaps(const QWidget *parent, const QList<const QWidget *> &skip, QStringList &found)
{
    if (skip.contains(parent))
        return;
    // Tabbed docks that are not current are parked outside the window: not drawn, not counted.
    QList<const QWidget *> children;
    for (const QObject *object : parent->children()) {
        const auto *w = qobject_cast<const QWidget *>(object);
        if (w && !w->isWindow() && w->isVisible() && w->geometry().intersects(parent->rect()))
            children << w;
    }
    for (qsizetype i = 0; i < children.size(); ++i)
        for (qsizetype j = i + 1; j < children.size(); ++j)
            if (children[i]->geometry().intersects(children[j]->geometry()))
                found << describe(parent) + QStringLiteral(": ") + describe(children[i]) +
                             QStringLiteral(" overlaps ") + describe(children[j]);
    for (const QWidget *child : children)
        findOverlaps(child, skip, found);
}

struct LayoutWindow : LlmWindow
{
    LayoutWindow()
        : LlmWindow(QStringLiteral("layout.crucible"))
    {
        {
            auto ws = Workspace::open(path);
            std::vector<Problem> problems;
            for (int i = 0; i < 40; ++i)
                problems.push_back(makeProblem(i));
            ProblemRepository(*ws).insertMany(problems);
        }
        open();
    }
    QList<QDockWidget *> docks() const
    {
        return window->findChildren<QDockWidget *>(Qt::FindDirectChildrenOnly);
    }
    void settle() const
    {
        for (int i = 0; i < 5; ++i)
            QTest::qWait(20);
    }
};

} // namespace

TEST(WindowLayout, BottomDocksShareOneTabGroup)
{
    ScopedSettings settings;
    LayoutWindow app;
    MainWindow &w = *app.window;
    for (QDockWidget *dock : app.docks())
        dock->show(); // tabifiedDockWidgets() leaves closed docks out
    const QList<QDockWidget *> group = w.tabifiedDockWidgets(w.generationDock());
    EXPECT_TRUE(group.contains(w.inspectorDock()));
    EXPECT_TRUE(group.contains(w.matrixDock()));
    EXPECT_TRUE(group.contains(w.interactionsDock()));
    // The test screen is narrower than 1280 pixels: the Playground joins the group too.
    EXPECT_TRUE(group.contains(w.playgroundDock()));
}

TEST(WindowLayout, ShowingEveryDockKeepsTheWindowWithinA1024x700Screen)
{
    ScopedSettings settings;
    LayoutWindow app;
    MainWindow &w = *app.window;
    const QRect screen(0, 0, 1024, 700);
    w.setGeometry(screen);
    app.settle();
    for (QDockWidget *dock : app.docks()) {
        dock->show();
        app.settle();
        EXPECT_LE(w.width(), screen.width()) << dock->objectName().toStdString();
        EXPECT_LE(w.height(), screen.height()) << dock->objectName().toStdString();
    }
    const QSize minimum = w.minimumSizeHint().expandedTo(w.minimumSize());
    EXPECT_LE(minimum.width(), screen.width());
    EXPECT_LE(minimum.height(), screen.height());
    w.fitInto(screen);
    EXPECT_TRUE(screen.contains(w.frameGeometry()));
}

TEST(WindowLayout, FitIntoShrinksAndMovesAWindowOntoTheScreen)
{
    ScopedSettings settings;
    LayoutWindow app;
    MainWindow &w = *app.window;
    w.setGeometry(300, 200, 1300, 900);
    app.settle();
    const QRect screen(0, 0, 1024, 700);
    w.fitInto(screen);
    EXPECT_TRUE(screen.contains(w.frameGeometry()))
        << w.frameGeometry().width() << "×" << w.frameGeometry().height();
}

TEST(WindowLayout, TheOverlapCheckSeesOverlappingWidgets)
{
    QWidget bar;
    bar.resize(300, 40);
    auto *search = new QLineEdit(&bar);
    auto *domain = new QComboBox(&bar);
    search->setGeometry(0, 0, 150, 24);
    domain->setGeometry(150, 0, 150, 24);
    bar.show();
    QStringList found;
    findOverlaps(&bar, {}, found);
    EXPECT_TRUE(found.isEmpty()) << found.join(u'\n').toStdString();
    domain->move(100, 0); // the combo box drawn over the end of the search box
    findOverlaps(&bar, {}, found);
    ASSERT_EQ(found.size(), 1);
    EXPECT_TRUE(found.first().contains(QStringLiteral("QComboBox"))) << found.first().toStdString();
}

class WindowLayoutOverlap : public ::testing::TestWithParam<QSize>
{
};

TEST_P(WindowLayoutOverlap, NoWidgetIsDrawnOverAnother)
{
    ScopedSettings settings;
    LayoutWindow app;
    MainWindow &w = *app.window;
    w.resize(GetParam());
    app.settle();
    const QList<const QWidget *> skip;
    QStringList found;
    findOverlaps(&w, skip, found);
    EXPECT_TRUE(found.isEmpty()) << "default layout:\n" << found.join(u'\n').toStdString();

    // Every dock open, one at a time (tabbed ones raised in turn).
    for (QDockWidget *dock : app.docks()) {
        dock->show();
        dock->raise();
        app.settle();
        found.clear();
        findOverlaps(&w, skip, found);
        EXPECT_TRUE(found.isEmpty()) << dock->objectName().toStdString() << ":\n"
                                     << found.join(u'\n').toStdString();
    }
}

INSTANTIATE_TEST_SUITE_P(Sizes, WindowLayoutOverlap,
                         ::testing::Values(QSize(1024, 700), QSize(1600, 1000)));
