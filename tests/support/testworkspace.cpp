#include "tests/support/testworkspace.h"

#include <QFile>
#include <stdexcept>

namespace crucible::test {

TempFolder::TempFolder()
{
    if (!m_dir.isValid())
        throw std::runtime_error("cannot create a temporary folder");
}

QString TempFolder::file(const QString &name) const
{
    return m_dir.filePath(name);
}

Problem makeProblem(int n, const QString &domain)
{
    static const char *const words[] = {"zero", "one", "two",   "three", "four",
                                        "five", "six", "seven", "eight", "nine"};
    Problem p;
    p.id = QStringLiteral("prb_test_%1").arg(n, 6, 10, QLatin1Char('0'));
    p.domain = domain;
    p.statement = QStringLiteral("Problem number %1 about %2 widgets")
                      .arg(n)
                      .arg(QString::fromUtf8(words[n % 10]));
    p.constraints = {QStringLiteral("constraint A%1").arg(n), QStringLiteral("budget under 100")};
    p.successCriteria = {QStringLiteral("criterion %1").arg(n)};
    p.complexity = static_cast<Complexity>(n % 3);
    p.origin = ProblemOrigin::Manual;
    p.tags = {QStringLiteral("t%1").arg(n % 5)};
    p.createdAt = QDateTime::fromMSecsSinceEpoch(1'700'000'000'000LL + n * 1000LL, Qt::UTC);
    return p;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        throw std::runtime_error("cannot read " + path.toStdString());
    return f.readAll();
}

void writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(data) != data.size())
        throw std::runtime_error("cannot write " + path.toStdString());
}

} // namespace crucible::test
