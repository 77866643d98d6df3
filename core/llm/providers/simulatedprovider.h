#pragma once
// SimulatedProvider: an in-process LLM that answers deterministically (per seed and normalised
// request) with schema-valid JSON or varied prose, after a simulated latency; no network. Lives
// on the thread that created it and is used from coroutines there, like every LlmProvider.

#include "core/llm/providers/llmprovider.h"
#include "core/llm/simulated/judgeflaw.h"

#include <memory>
#include <optional>

namespace crucible::simulated {
class FitnessLandscape;
}

namespace crucible {

class SimulatedProvider final : public LlmProvider
{
public:
    struct Options
    {
        int latencyMs = 150; // mean time to the complete answer
        int jitterMs = 100;  // uniform ± around the mean (never below 0)
        quint64 seed = 0;    // another seed gives other answers to the same requests
        // Fitness-landscape mode (simulated::FitnessLandscape with this seed): agents'
        // solutions, verdicts and reflections follow a hidden true quality of the agent version
        // a request carries, so that optimisers can learn. Other requests are answered as usual.
        std::optional<quint64> landscapeSeed;
        // In landscape mode: judges that score wrongly on a planted subset (benchmarks of the
        // feedback inbox and judge calibration).
        simulated::JudgeFlaws judgeFlaws;
    };

    // The config's type is forced to Simulated; an empty id becomes "simulated".
    explicit SimulatedProvider(ProviderConfig config);
    SimulatedProvider(ProviderConfig config, Options options);

    const ProviderConfig &config() const override;
    QString label() const override; // always contains "Simulated"
    const Options &options() const { return m_options; }
    // The landscape in landscape mode, else null.
    const simulated::FitnessLandscape *landscape() const { return m_landscape.get(); }

    // Waits the simulated latency (cancellable, streamed in deltas when request.stream), then
    // returns answer(request). Cancellation gives LlmError::Cancelled within ~20 ms.
    QCoro::Task<ChatResult> chat(ChatRequest request, ChatCallOptions options) override;
    QCoro::Task<ModelsResult> listModels(CancelToken cancel) override; // simulated, -large

    // The answer itself, without waiting: deterministic for (seed, request.toJson()).
    // JsonSchema requests get JSON the schema accepts (an InvalidOutput error when the schema
    // is unsatisfiable); JsonObject a small object; Text a few sentences. Text longer than
    // request.maxTokens is cut (finish reason Length); JSON is made smaller but kept valid.
    ChatResult answer(const ChatRequest &request) const;
    // The latency the request will take, jitter included (deterministic too).
    int latencyFor(const ChatRequest &request) const;

private:
    quint64 requestHash(const ChatRequest &request) const;
    QString modelFor(const ChatRequest &request) const;

    ProviderConfig m_config;
    Options m_options;
    std::shared_ptr<const simulated::FitnessLandscape> m_landscape;
};

} // namespace crucible
