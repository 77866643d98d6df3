#pragma once
// One QtKeychain operation, whatever thread asks for it. QtKeychain is not safe to use from more
// than one thread (one process-wide job queue holding raw job pointers, connected to whichever
// thread created it) and its libsecret backend calls back into a job that cannot be cancelled.
// So every job is created, started and deleted on the application's main thread, is deleted only
// by QtKeychain itself once it finished, and never depends on the caller still existing: the
// caller awaits finished() on this object, in its own thread, and may give up at any time.

#include <QObject>
#include <QString>
#include <qt6keychain/keychain.h>

#include <memory>

namespace crucible {

class KeychainRequest final : public QObject
{
    Q_OBJECT

public:
    enum class Operation { Read, Write, Remove };

    struct Outcome
    {
        QKeychain::Error error = QKeychain::OtherError;
        QString errorString;
        QString text; // Read: the stored text
    };

    // Creates the request in the calling thread (which must run an event loop) and queues its
    // job on the main thread. The returned object is deleted with deleteLater when the last
    // owner lets go, so a late answer can still be posted to it safely.
    static std::shared_ptr<KeychainRequest> start(Operation operation, const QString &service,
                                                  const QString &account,
                                                  const QString &secret = {});

    bool isDone() const { return m_done; }
    const Outcome &outcome() const { return m_outcome; }

signals:
    void finished();

private:
    KeychainRequest() = default;
    void complete(const Outcome &outcome);

    Outcome m_outcome;
    bool m_done = false;
};

} // namespace crucible
