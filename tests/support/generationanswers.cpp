#include "tests/support/generationanswers.h"

#include "tests/support/llmtestwire.h"

#include <QCryptographicHash>

#include <atomic>
#include <random>
#include <string>
#include <vector>

namespace crucible::test {

using nlohmann::json;

namespace {

const std::vector<std::string> &vocabulary()
{
    static const std::vector<std::string> words = [] {
        const char *syllables[] = {"ka",  "lo",  "mi",  "ren", "tus", "vo",  "pel", "dra", "sin",
                                   "gor", "bla", "que", "nix", "ta",  "fen", "mor", "zu",  "wex"};
        std::vector<std::string> out;
        std::mt19937_64 rng(7);
        for (int i = 0; i < 1500; ++i) {
            std::string w;
            const int n = 2 + static_cast<int>(rng() % 2);
            for (int k = 0; k < n; ++k)
                w += syllables[rng() % std::size(syllables)];
            out.push_back(w);
        }
        return out;
    }();
    return words;
}

std::string sentence(std::mt19937_64 &rng, int words)
{
    const auto &v = vocabulary();
    std::string s;
    for (int i = 0; i < words; ++i) {
        if (i)
            s += ' ';
        s += v[rng() % v.size()];
    }
    s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
    return s + '.';
}

json list(std::mt19937_64 &rng, int n)
{
    json a = json::array();
    for (int i = 0; i < n; ++i)
        a.push_back(sentence(rng, 6));
    return a;
}

json problem(std::mt19937_64 &rng, bool duplicate)
{
    std::string statement =
        duplicate ? "The ward needs a weekly rota that covers every night shift with two nurses "
                    "while nobody works more than five nights in a row and requests are honoured."
                  : sentence(rng, 25) + ' ' + sentence(rng, 25);
    return {{"problem_statement", statement},
            {"constraints", list(rng, 2)},
            {"success_criteria", list(rng, 2)},
            {"sample_data", nullptr}};
}

} // namespace

QByteArray generationAnswer(const json &request, double duplicateRate, Sampling sampling)
{
    const std::string body = request.dump();
    const QByteArray digest =
        QCryptographicHash::hash(QByteArray::fromStdString(body), QCryptographicHash::Sha256);
    quint64 seed = 0;
    for (int i = 0; i < 8; ++i)
        seed = (seed << 8) | static_cast<unsigned char>(digest[i]);
    // Sampled, like a model at temperature > 0: the same prompt gets a different answer each time.
    static std::atomic<quint64> calls{0};
    std::mt19937_64 rng(sampling == Sampling::Seeded ? seed
                                                     : seed ^ (0x9E3779B97F4A7C15ull * ++calls));
    const bool duplicate = static_cast<double>(rng() % 10'000) / 10'000.0 < duplicateRate;

    std::string name;
    // response_format json_schema (OpenAI-compatible) or the forced tool (Anthropic).
    if (const auto requested = wire::requestedSchema(request))
        name = requested->name;
    json answer;
    if (name == "seeds") {
        json seed = problem(rng, duplicate);
        seed.erase("sample_data"); // the seeds schema allows only the three fields
        answer = {{"problems", json::array({std::move(seed)})}};
    } else if (name == "adversarial") {
        answer = problem(rng, duplicate);
        answer.erase("sample_data");
        answer["attacked_assumption"] = sentence(rng, 8);
        answer["must_notice"] = sentence(rng, 8);
        answer["expected_failure"] = sentence(rng, 8);
    } else if (name == "expansion") {
        answer = problem(rng, duplicate);
        answer.erase("sample_data");
        answer["factor_details"] =
            json::array({{{"factor", "time"}, {"detail", sentence(rng, 8)}}});
        answer["stakeholders"] = list(rng, 2);
        answer["complications"] = list(rng, 1);
    } else if (name == "interaction_turn") {
        const char *intents[] = {"propose", "question", "critique", "refine"};
        answer = {
            {"content", sentence(rng, 20)}, {"intent", intents[rng() % 4]}, {"confidence", 0.5}};
    } else {
        answer = problem(rng, duplicate);
    }
    return QByteArray::fromStdString(answer.dump());
}

} // namespace crucible::test
