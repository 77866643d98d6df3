#include "ui/models/matrixdimensionmodel.h"
#include "ui/models/matrixrowsmodel.h"
#include "ui/models/paircoveragemodel.h"

#include <QAbstractItemModelTester>
#include <gtest/gtest.h>

using namespace crucible;

namespace {

QString s(const char *text)
{
    return QString::fromUtf8(text);
}

QStringList sl(std::initializer_list<const char *> items)
{
    QStringList list;
    for (const char *item : items)
        list << QString::fromUtf8(item);
    return list;
}

MatrixDimension dim(const QString &name, const QStringList &values, const QStringList &w = {})
{
    return {name, values, w};
}

QString issue(const MatrixDimensionModel &m, int row, MatrixDimensionModel::Column c)
{
    return m.index(row, c).data(MatrixDimensionModel::IssueRole).toString();
}

} // namespace

TEST(MatrixDimensionModel, InsertRemoveMoveAndEditKeepTheModelConsistent)
{
    MatrixDimensionModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setDimensions({dim(QStringLiteral("A"), {QStringLiteral("x"), QStringLiteral("y")}),
                         dim(QStringLiteral("B"), {QStringLiteral("p")})});
    model.insertDimension(1, dim(QStringLiteral("C"), {QStringLiteral("1"), QStringLiteral("2")}));
    ASSERT_EQ(model.rowCount(), 3);
    EXPECT_EQ(model.index(1, MatrixDimensionModel::NameColumn).data().toString(), s("C"));
    EXPECT_EQ(model.index(1, MatrixDimensionModel::CountColumn).data().toInt(), 2);

    model.moveDimension(0, 2);
    EXPECT_EQ(model.dimension(0).name, s("C"));
    EXPECT_EQ(model.dimension(2).name, s("A"));
    model.moveDimension(2, 0);
    EXPECT_EQ(model.dimension(0).name, s("A"));
    model.moveDimension(1, 2);
    EXPECT_EQ(model.dimension(1).name, s("B"));

    // No edit handler: setData applies the edit itself.
    EXPECT_TRUE(model.setData(model.index(0, MatrixDimensionModel::ValuesColumn),
                              QStringLiteral("x, y (3), z")));
    EXPECT_EQ(model.dimension(0).values, sl({"x", "y", "z"}));
    EXPECT_EQ(model.dimension(0).weights, sl({"1", "3", "1"}));
    EXPECT_EQ(model.index(0, MatrixDimensionModel::WeightsColumn).data().toString(), s("1, 3, 1"));
    // A weight survives re-ordering of the values; all-1 weights are dropped.
    model.setData(model.index(0, MatrixDimensionModel::ValuesColumn), QStringLiteral("z, y"));
    EXPECT_EQ(model.dimension(0).weights, sl({"1", "3"}));
    model.setData(model.index(0, MatrixDimensionModel::WeightsColumn), QStringLiteral("1,1"));
    EXPECT_TRUE(model.dimension(0).weights.isEmpty());

    model.removeDimension(0);
    EXPECT_EQ(model.rowCount(), 2);
    EXPECT_FALSE(model.flags(model.index(0, MatrixDimensionModel::CountColumn)) &
                 Qt::ItemIsEditable);
}

TEST(MatrixDimensionModel, ValidationFlagsNamesValuesAndWeights)
{
    MatrixDimensionModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setDimensions(
        {dim(QStringLiteral("Tier"), {QStringLiteral("Free"), QStringLiteral("Pro")}),
         dim(QStringLiteral("tier"), {QStringLiteral("a")}), dim(QString(), {QStringLiteral("a")}),
         dim(QStringLiteral("V"), {QStringLiteral("a"), QStringLiteral("A")}),
         dim(QStringLiteral("W"), {QStringLiteral("a"), QStringLiteral("b")},
             {QStringLiteral("2"), QStringLiteral("x")}),
         dim(QStringLiteral("N"), {QStringLiteral("a"), QStringLiteral("b")},
             {QStringLiteral("2")})});
    EXPECT_TRUE(issue(model, 0, MatrixDimensionModel::NameColumn).isEmpty());
    EXPECT_TRUE(issue(model, 1, MatrixDimensionModel::NameColumn).contains(s("already called")));
    EXPECT_TRUE(issue(model, 2, MatrixDimensionModel::NameColumn).contains(s("empty")));
    EXPECT_TRUE(issue(model, 3, MatrixDimensionModel::ValuesColumn).contains(s("Duplicate value")));
    EXPECT_TRUE(issue(model, 4, MatrixDimensionModel::WeightsColumn).contains(s("'x'")));
    EXPECT_TRUE(
        issue(model, 5, MatrixDimensionModel::WeightsColumn).contains(s("1 weights for 2")));
    EXPECT_TRUE(model.index(1, MatrixDimensionModel::NameColumn)
                    .data(Qt::ForegroundRole)
                    .isValid()); // shown in red
    EXPECT_TRUE(model.firstIssue().startsWith(s("Dimension 2 (tier)")));
    model.removeDimension(1);
    EXPECT_TRUE(model.firstIssue().startsWith(s("Dimension 2:"))); // the empty name is next
}

TEST(PairCoverageModel, CountsPairsAndFlagsImpossibleAndUncovered)
{
    PairCoverageModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    const std::vector<std::vector<int>> rows = {{0, 0, 1}, {0, 1, 0}, {1, 0, 0}, {0, 0, 0}};
    // Dimensions 0 (2 values) × 2 (2 values); pair (1, 1) ruled out.
    model.setCoverage(sl({"a0", "a1"}), sl({"c0", "c1"}), 0, 2, rows, {1, 1, 1, 0});
    EXPECT_EQ(model.count(0, 0), 2);
    EXPECT_EQ(model.count(0, 1), 1);
    EXPECT_EQ(model.count(1, 0), 1);
    EXPECT_EQ(model.state(1, 1), PairCoverageModel::State::Impossible);
    EXPECT_EQ(model.impossibleCount(), 1);
    EXPECT_EQ(model.uncoveredCount(), 0);
    model.setCoverage(sl({"a0", "a1"}), sl({"c0", "c1"}), 0, 2, rows, {});
    EXPECT_EQ(model.state(1, 1), PairCoverageModel::State::Uncovered);
    EXPECT_EQ(model.uncoveredCount(), 1);
    model.clear();
    EXPECT_EQ(model.rowCount(), 0);
}

TEST(MatrixRowsModel, ShowsValueNamesPerDimension)
{
    MatrixRowsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setRows(sl({"A", "B"}), {sl({"x", "y"}), sl({"p", "q", "r"})}, {{0, 2}, {1, 0}});
    ASSERT_EQ(model.rowCount(), 2);
    EXPECT_EQ(model.index(0, 1).data().toString(), s("r"));
    EXPECT_EQ(model.index(1, 0).data().toString(), s("y"));
    EXPECT_EQ(model.headerData(1, Qt::Horizontal).toString(), s("B"));
    model.clear();
    EXPECT_EQ(model.columnCount(), 0);
}
