#include "core/llm/secrets/keychainsecretstore.h"

#include "core/llm/secrets/keychainrequest.h"

#include <QCoro/QCoroSignal>

#include <memory>
#include <optional>

namespace crucible {

namespace {

using Outcome = KeychainRequest::Outcome;

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
QString describeFailure(const Outcome &outcome)
{
    const QString code = errorName(outcome.error);
    const QString text = outcome.errorString.trimmed();
    return text.isEmpty() ? code : text + QStringLiteral(" [") + code + u']';
}

QString timeoutMessage(std::chrono::milliseconds timeout)
{
    return QStringLiteral("the keychain did not answer within %1 s (locked, waiting for a "
                          "password?)")
        .arg(static_cast<double>(timeout.count()) / 1000.0);
}

// Waits for the request in this thread; nullopt on timeout. The job itself runs on (and is
// deleted by QtKeychain) whatever happens here, so giving up or dying early is safe.
QCoro::Task<std::optional<Outcome>> awaitRequest(std::shared_ptr<KeychainRequest> request,
                                                 std::chrono::milliseconds timeout)
{
    if (!request->isDone()) {
        const auto emitted = co_await qCoro(request.get(), &KeychainRequest::finished, timeout);
        if (!emitted.has_value())
            co_return std::nullopt;
    }
    co_return request->outcome();
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

// The coroutines below copy what they need from `this` before the first co_await: the store
// may be gone when they resume.

QCoro::Task<SecretResult> KeychainSecretStore::read(SecretLookup lookup)
{
    const std::chrono::milliseconds timeout = m_timeout;
    auto request =
        KeychainRequest::start(KeychainRequest::Operation::Read, m_service, lookup.account);
    SecretResult result;
    result.sourceLabel = noneSourceLabel();
    const std::optional<Outcome> outcome = co_await awaitRequest(std::move(request), timeout);
    if (!outcome) {
        result.keychainUnavailable = true;
        result.keychainError = timeoutMessage(timeout);
        co_return result;
    }
    if (outcome->error == QKeychain::NoError) {
        if (!outcome->text.isEmpty()) {
            result.value = outcome->text;
            result.source = KeySource::Keychain;
            result.sourceLabel = keychainSourceLabel();
        }
    } else if (outcome->error != QKeychain::EntryNotFound) {
        result.keychainUnavailable = true;
        result.keychainError = describeFailure(*outcome);
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
    auto request = KeychainRequest::start(KeychainRequest::Operation::Write, m_service,
                                          lookup.account, secret);
    const std::optional<Outcome> outcome = co_await awaitRequest(std::move(request), timeout);
    const QString action = QStringLiteral("the key was not saved.");
    if (!outcome) {
        markUnavailable(result, timeoutMessage(timeout), action);
    } else if (outcome->error != QKeychain::NoError) {
        markUnavailable(result, describeFailure(*outcome), action);
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
    auto request =
        KeychainRequest::start(KeychainRequest::Operation::Remove, m_service, lookup.account);
    SecretWriteResult result;
    const std::optional<Outcome> outcome = co_await awaitRequest(std::move(request), timeout);
    const QString action = QStringLiteral("the key could not be removed from it.");
    if (!outcome) {
        markUnavailable(result, timeoutMessage(timeout), action);
    } else if (outcome->error != QKeychain::NoError && outcome->error != QKeychain::EntryNotFound) {
        markUnavailable(result, describeFailure(*outcome), action);
    } else {
        result.ok = true;
        result.message = QStringLiteral("Key removed from the system keychain.");
    }
    co_return result;
}

} // namespace crucible
