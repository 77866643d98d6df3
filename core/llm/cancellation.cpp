#include "core/llm/cancellation.h"

namespace crucible {

void CancelState::cancel()
{
    if (m_cancelled.exchange(true, std::memory_order_acq_rel))
        return;
    emit cancelled();
}

CancelSource CancelToken::child() const
{
    CancelSource source;
    if (!m_state)
        return source;
    if (m_state->isCancelled()) {
        source.cancel();
        return source;
    }
    // The child's state is owned by the source/tokens; a weak reference keeps the parent from
    // extending its life.
    std::weak_ptr<CancelState> weak = source.token().m_state;
    QObject::connect(m_state.get(), &CancelState::cancelled, m_state.get(), [weak] {
        if (auto s = weak.lock())
            s->cancel();
    });
    return source;
}

} // namespace crucible
