// Test entry point for core and CLI tests: QtSql, signals and timers need a QCoreApplication.
#include <QCoreApplication>
#include <gtest/gtest.h>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("CrucibleTests"));
    QCoreApplication::setApplicationName(QStringLiteral("crucible-tests"));
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
