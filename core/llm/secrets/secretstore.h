#pragma once
// The SecretStore interface (API keys) and the value types its backends share. Keys live in the
// system keychain, an environment variable or session memory; never in QSettings, SQLite or logs.

#include <QCoro/QCoroTask>
#include <QString>

namespace crucible {

// Where a key came from. The settings UI shows it next to the key field.
enum class KeySource { Keychain, Environment, Session, None };

QString keySourceName(KeySource source); // "keychain", "environment", "session", "none"

// What to look up: the account names the key in the keychain and in session memory
// (see accountForProvider); envVar is the environment variable to consult (may be empty).
struct SecretLookup
{
    QString account;
    QString envVar;
};

// Account under which a provider's API key is stored: "provider/<id>/api-key".
QString accountForProvider(const QString &providerId);

// Outcome of a read. `value` is empty when no key was found anywhere (source None); a key is
// never an empty string. `keychainUnavailable` is set when the keychain failed with anything but
// NoError/EntryNotFound, whatever the final source; `keychainError` then says why.
struct SecretResult
{
    QString value;
    KeySource source = KeySource::None;
    QString sourceLabel; // e.g. "from environment variable OPENAI_API_KEY"
    bool keychainUnavailable = false;
    QString keychainError;

    bool found() const { return source != KeySource::None; }
    // One line for a person: the source, plus the keychain problem if there was one.
    QString describe() const;
};

// Outcome of a write or removal. On failure `message` says what happened and what to do.
struct SecretWriteResult
{
    bool ok = false;
    KeySource storedIn = KeySource::None; // where the key now lives (None after a removal)
    QString message;                      // human summary, also set on success
    bool keychainUnavailable = false;
    QString keychainError;
};

// Human labels used by every backend, so that the UI reads the same whatever the chain did.
QString keychainSourceLabel();                       // "from the system keychain"
QString environmentSourceLabel(const QString &name); // "from environment variable NAME"
QString sessionSourceLabel();                        // "from this session only (not saved)"
QString noneSourceLabel();                           // "no API key set"

// Asynchronous key storage. Reads and writes may complete later (the keychain talks to D-Bus);
// a backend that does not hold the key reports KeySource::None, not an error. Implementations
// are used from the thread that created them, which must run an event loop.
class SecretStore
{
public:
    virtual ~SecretStore();

    // Which source this backend reports when it finds a key.
    virtual KeySource kind() const = 0;
    virtual bool isWritable() const = 0;

    // Parameters are taken by value: they must outlive the caller's frame in a coroutine.
    virtual QCoro::Task<SecretResult> read(SecretLookup lookup) = 0;
    virtual QCoro::Task<SecretWriteResult> write(SecretLookup lookup, QString secret) = 0;
    virtual QCoro::Task<SecretWriteResult> remove(SecretLookup lookup) = 0;
};

} // namespace crucible
