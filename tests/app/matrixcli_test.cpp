// `crucible-cli matrix … --print` on a real PICT model file: the rows cover every allowed pair,
// respect the constraints, and are the same for the same seed.

#include "tests/app/clitestsupport.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTextStream>
#include <gtest/gtest.h>

#include <set>

namespace crucible::cli {
namespace {

CliResult cli(const QStringList &args)
{
    return runCli(args);
}

class MatrixCliTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(m_dir.isValid());
        m_model = write(QStringLiteral("browsers.pict"),
                        "# Browsers\n"
                        "OS: Windows, Linux, macOS\n"
                        "Browser: Chrome, Firefox, Safari, Edge\n"
                        "Locale: en, de, ja\n"
                        "\n"
                        "IF [OS] = \"Linux\" THEN [Browser] <> \"Safari\" AND [Browser] <> "
                        "\"Edge\";\n");
    }

    QString write(const QString &name, const QByteArray &text)
    {
        QFile f(m_dir.filePath(name));
        EXPECT_TRUE(f.open(QIODevice::WriteOnly));
        f.write(text);
        return f.fileName();
    }

    QStringList matrix(const QStringList &extra) const
    {
        return QStringList{QStringLiteral("matrix"), m_dir.filePath(QStringLiteral("w.crucible")),
                           QStringLiteral("--model"), m_model, QStringLiteral("--print")} +
               extra;
    }

    QTemporaryDir m_dir;
    QString m_model;
};

std::vector<QStringList> rowsOf(const QString &out)
{
    std::vector<QStringList> rows;
    for (const QString &line : out.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        rows.push_back(line.split(QLatin1Char('\t')));
    return rows;
}

bool allowed(const QStringList &row)
{
    return !(row[0] == QStringLiteral("Linux") &&
             (row[1] == QStringLiteral("Safari") || row[1] == QStringLiteral("Edge")));
}

} // namespace

TEST_F(MatrixCliTest, PrintsAPairwiseArrayThatRespectsTheConstraints)
{
    const CliResult r = cli(matrix({}));
    ASSERT_EQ(r.code, 0) << r.err.toStdString();
    const auto rows = rowsOf(r.out);
    ASSERT_GE(rows.size(), 13u);
    EXPECT_EQ(rows[0], (QStringList{QStringLiteral("OS"), QStringLiteral("Browser"),
                                    QStringLiteral("Locale")}));
    // Every allowed pair of values of every two dimensions, checked from the printed text.
    const QStringList os{QStringLiteral("Windows"), QStringLiteral("Linux"),
                         QStringLiteral("macOS")};
    const QStringList browser{QStringLiteral("Chrome"), QStringLiteral("Firefox"),
                              QStringLiteral("Safari"), QStringLiteral("Edge")};
    const QStringList locale{QStringLiteral("en"), QStringLiteral("de"), QStringLiteral("ja")};
    const std::vector<QStringList> values{os, browser, locale};
    std::set<std::tuple<int, QString, int, QString>> seen;
    for (std::size_t i = 1; i < rows.size(); ++i) {
        ASSERT_EQ(rows[i].size(), 3);
        EXPECT_TRUE(allowed(rows[i])) << rows[i].join(QLatin1Char(' ')).toStdString();
        for (int a = 0; a < 3; ++a)
            for (int b = a + 1; b < 3; ++b)
                seen.insert({a, rows[i][a], b, rows[i][b]});
    }
    for (int a = 0; a < 3; ++a) {
        for (int b = a + 1; b < 3; ++b) {
            for (const QString &va : values[a]) {
                for (const QString &vb : values[b]) {
                    const bool forbidden =
                        a == 0 && b == 1 && va == QStringLiteral("Linux") &&
                        (vb == QStringLiteral("Safari") || vb == QStringLiteral("Edge"));
                    EXPECT_EQ(seen.count({a, va, b, vb}) == 1, !forbidden)
                        << a << ' ' << va.toStdString() << ' ' << b << ' ' << vb.toStdString();
                }
            }
        }
    }
    EXPECT_TRUE(r.err.contains(QStringLiteral("2-way"))) << r.err.toStdString();
}

TEST_F(MatrixCliTest, SameSeedSameRowsAndFullStrengthIsEveryAllowedRow)
{
    EXPECT_EQ(cli(matrix({QStringLiteral("--seed"), QStringLiteral("7")})).out,
              cli(matrix({QStringLiteral("--seed"), QStringLiteral("7")})).out);
    const CliResult full = cli(matrix({QStringLiteral("--strength"), QStringLiteral("3")}));
    ASSERT_EQ(full.code, 0) << full.err.toStdString();
    EXPECT_EQ(rowsOf(full.out).size(), 1u + 36u - 6u); // the product minus Linux×{Safari,Edge}×3
}

TEST_F(MatrixCliTest, ModelErrorsNameFileLineAndColumn)
{
    const QString good = m_model;
    m_model = write(QStringLiteral("bad.pict"), "OS: Windows, Linux\nIF [OS] = \"Linux\" THEN;\n");
    const CliResult r = cli(matrix({}));
    EXPECT_EQ(r.code, 1);
    EXPECT_TRUE(r.err.contains(QStringLiteral("bad.pict:2:"))) << r.err.toStdString();

    m_model = good;
    const CliResult tooStrong = cli(matrix({QStringLiteral("--strength"), QStringLiteral("5")}));
    EXPECT_EQ(tooStrong.code, 1);
    EXPECT_TRUE(tooStrong.err.contains(QStringLiteral("--strength 5")))
        << tooStrong.err.toStdString();
}

} // namespace crucible::cli
