#pragma once
// Cooperative cancellation for LLM calls and jobs. A CancelSource owns the flag; CancelTokens
// observe it. Cancelling a source cancels every child created from its tokens. Use from one
// thread (the engine thread); the flag itself is atomic so other threads may poll it.

#include <QObject>

#include <atomic>
#include <memory>

namespace crucible {

class CancelState final : public QObject
{
    Q_OBJECT

public:
    bool isCancelled() const { return m_cancelled.load(std::memory_order_acquire); }
    void cancel();

signals:
    void cancelled();

private:
    std::atomic<bool> m_cancelled{false};
};

class CancelToken final
{
public:
    CancelToken() = default; // never cancelled
    explicit CancelToken(std::shared_ptr<CancelState> state)
        : m_state(std::move(state))
    {
    }

    bool isCancelled() const { return m_state && m_state->isCancelled(); }
    // For connecting to `cancelled()`; null for a default token.
    CancelState *state() const { return m_state.get(); }
    // A token cancelled when this one is, and also cancellable on its own (one call of a job).
    class CancelSource child() const;

private:
    std::shared_ptr<CancelState> m_state;
};

class CancelSource final
{
public:
    CancelSource()
        : m_state(std::make_shared<CancelState>())
    {
    }

    CancelToken token() const { return CancelToken(m_state); }
    void cancel() const { m_state->cancel(); }
    bool isCancelled() const { return m_state->isCancelled(); }

private:
    std::shared_ptr<CancelState> m_state;
};

} // namespace crucible
