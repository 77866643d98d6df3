#include "core/llm/secrets/keychainrequest.h"

#include <QCoreApplication>
#include <QPointer>

namespace crucible {

namespace {

using Outcome = KeychainRequest::Outcome;

QKeychain::Job *makeJob(KeychainRequest::Operation operation, const QString &service,
                        const QString &account, const QString &secret)
{
    QKeychain::Job *job = nullptr;
    switch (operation) {
    case KeychainRequest::Operation::Read:
        job = new QKeychain::ReadPasswordJob(service);
        break;
    case KeychainRequest::Operation::Write: {
        auto *write = new QKeychain::WritePasswordJob(service);
        write->setTextData(secret);
        job = write;
        break;
    }
    case KeychainRequest::Operation::Remove:
        job = new QKeychain::DeletePasswordJob(service);
        break;
    }
    job->setKey(account);
    // QtKeychain deletes the job (deleteLater) right after finished(), once its own job queue
    // has seen it; nothing else may delete it, since a backend callback may still be pending.
    job->setAutoDelete(true);
    return job;
}

} // namespace

std::shared_ptr<KeychainRequest> KeychainRequest::start(Operation operation, const QString &service,
                                                        const QString &account,
                                                        const QString &secret)
{
    // deleteLater, not delete: the last owner may be a lambda running on the main thread.
    std::shared_ptr<KeychainRequest> request(new KeychainRequest,
                                             [](KeychainRequest *r) { r->deleteLater(); });
    QCoreApplication *app = QCoreApplication::instance();
    if (!app) {
        Outcome failed;
        failed.errorString = QStringLiteral("no application event loop is running");
        request->complete(failed);
        return request;
    }
    // The reply travels back to the request's thread as a queued call holding a reference, so
    // the request is alive when it is posted; if its owner gave up, nobody listens and the
    // request goes away with the lambda.
    auto deliver = [request](const Outcome &outcome) {
        QMetaObject::invokeMethod(
            request.get(), [request, outcome] { request->complete(outcome); },
            Qt::QueuedConnection);
    };
    QMetaObject::invokeMethod(
        app,
        [operation, service, account, secret, deliver] {
            QKeychain::Job *job = makeJob(operation, service, account, secret);
            QObject::connect(
                job, &QKeychain::Job::finished, job, [deliver, operation](QKeychain::Job *done) {
                    Outcome outcome;
                    outcome.error = done->error();
                    outcome.errorString = done->errorString();
                    if (operation == Operation::Read && done->error() == QKeychain::NoError)
                        outcome.text = static_cast<QKeychain::ReadPasswordJob *>(done)->textData();
                    deliver(outcome);
                });
            job->start();
        },
        Qt::QueuedConnection);
    return request;
}

void KeychainRequest::complete(const Outcome &outcome)
{
    if (m_done)
        return;
    m_outcome = outcome;
    m_done = true;
    emit finished();
}

} // namespace crucible
