#include "core/llm/secrets/keychainsecretstore.h"

#include <QCoro/QCoroSignal>
#include <qt6keychain/keychain.h>

#include <memory>

namespace crucible {

namespace {

// Jobs are deleted with deleteLater: the coroutine may resume inside the job's own signal.
struct JobDeleter
{
    void operator()(QKeychain::Job *job) const { job->deleteLater(); }
};
using JobPtr = std::unique_ptr<QKeychain::Job, JobDeleter>;

QString errorName(QKeychain::Error error)
{
    switch (error) {
    case QKeychain::NoError:
        return QStringLiteral("NoError");
    case QKeychain::EntryNotFound:
        return QStringLiteral("EntryNotFound");
    case QKeychain::CouldNotDeleteEntry:
        return QStringLiteral("CouldNotDeleteEntry");
    case QKeychain::AccessDeniedByUser:
        return QStringLiteral("AccessDeniedByUser");
    case QKeychain::AccessDenied:
        return QStringLiteral("AccessDenied");
    case QKeychain::NoBackendAvailable:
        return QStringLiteral("NoBackendAvailable");
    case QKeychain::NotImplemented:
        return QStringLiteral("NotImplemented");
    case QKeychain::OtherError:
        break;
    }
    return QStringLiteral("OtherError");
}

// Why the keychain failed, for a person: QtKeychain's own text plus the error code.
QString describeFailure(const QKeychain::Job &job)
{
    const QString code = errorName(job.error());
    const QString text = job.errorString().trimmed();
    return text.isEmpty() ? code : text + QStringLiteral(" [") + code + u']';
}

QString timeoutMessage(std::chrono::milliseconds timeout)
{
    return QStringLiteral("the keychain did not answer within %1 s (locked, waiting for a "
                          "password?)")
        .arg(static_cast<double>(timeout.count()) / 1000.0);
}

// Starts the job and waits for it. Returns false on timeout; the job then deletes itself when
// (if ever) it finishes, because deleting a job with a D-Bus call in flight is not safe.
QCoro::Task<bool> runJob(JobPtr &job, std::chrono::milliseconds timeout)
{
    auto finished = qCoro(job.get(), &QKeychain::Job::finished, timeout);
    job->start();
    const auto emitted = co_await finished;
    if (emitted.has_value())
        co_return true;
    QKeychain::Job *abandoned = job.release();
    abandoned->setAutoDelete(true);
    co_return false;
}

void markUnavailable(SecretWriteResult &result, const QString &why, const QString &action)
{
    result.ok = false;
    result.keychainUnavailable = true;
    result.keychainError = why;
    result.message =
        QStringLiteral("System keychain unavailable (") + why + QStringLiteral("); ") + action;
}

} // namespace

KeychainSecretStore::KeychainSecretStore(QString service, std::chrono::milliseconds timeout)
    : m_service(std::move(service))
    , m_timeout(timeout)
{
}

QCoro::Task<SecretResult> KeychainSecretStore::read(SecretLookup lookup)
{
    const std::chrono::milliseconds timeout = m_timeout;
    auto *readJob = new QKeychain::ReadPasswordJob(m_service);
    JobPtr job(readJob);
    job->setAutoDelete(false);
    job->setKey(lookup.account);

    SecretResult result;
    result.sourceLabel = noneSourceLabel();
    const bool finished = co_await runJob(job, timeout);
    if (!finished) {
        result.keychainUnavailable = true;
        result.keychainError = timeoutMessage(timeout);
        co_return result;
    }
    const QKeychain::Error error = job->error();
    if (error == QKeychain::NoError) {
        const QString value = readJob->textData();
        if (!value.isEmpty()) {
            result.value = value;
            result.source = KeySource::Keychain;
            result.sourceLabel = keychainSourceLabel();
        }
    } else if (error != QKeychain::EntryNotFound) {
        result.keychainUnavailable = true;
        result.keychainError = describeFailure(*job);
    }
    co_return result;
}

QCoro::Task<SecretWriteResult> KeychainSecretStore::write(SecretLookup lookup, QString secret)
{
    SecretWriteResult result;
    if (secret.isEmpty()) {
        result.message = QStringLiteral("Refused to store an empty key; remove the key instead.");
        co_return result;
    }
    const std::chrono::milliseconds timeout = m_timeout;
    auto *writeJob = new QKeychain::WritePasswordJob(m_service);
    JobPtr job(writeJob);
    job->setAutoDelete(false);
    job->setKey(lookup.account);
    writeJob->setTextData(secret);

    const bool finished = co_await runJob(job, timeout);
    const QString action = QStringLiteral("the key was not saved.");
    if (!finished) {
        markUnavailable(result, timeoutMessage(timeout), action);
    } else if (job->error() != QKeychain::NoError) {
        markUnavailable(result, describeFailure(*job), action);
    } else {
        result.ok = true;
        result.storedIn = KeySource::Keychain;
        result.message = QStringLiteral("Key saved in the system keychain.");
    }
    co_return result;
}

QCoro::Task<SecretWriteResult> KeychainSecretStore::remove(SecretLookup lookup)
{
    const std::chrono::milliseconds timeout = m_timeout;
    JobPtr job(new QKeychain::DeletePasswordJob(m_service));
    job->setAutoDelete(false);
    job->setKey(lookup.account);

    SecretWriteResult result;
    const bool finished = co_await runJob(job, timeout);
    const QString action = QStringLiteral("the key could not be removed from it.");
    if (!finished) {
        markUnavailable(result, timeoutMessage(timeout), action);
    } else if (job->error() != QKeychain::NoError && job->error() != QKeychain::EntryNotFound) {
        markUnavailable(result, describeFailure(*job), action);
    } else {
        result.ok = true;
        result.message = QStringLiteral("Key removed from the system keychain.");
    }
    co_return result;
}

} // namespace crucible
