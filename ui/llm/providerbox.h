#pragma once
// Fills a provider combo box from the engine's provider list with the names the user gave the
// providers ("name — model", data = id, the id in the tooltip; two providers with one name are
// told apart by their id), keeping the current choice when it still exists, else selecting the
// default. GUI thread.

#include "core/engine/llmengine.h"
#include "core/generate/generationestimate.h"

class QComboBox;

namespace crucible {

// The text of one provider among `all`: "Work gateway — gpt-4o", "Ollama (ollama-2) — llama3".
QString providerBoxText(const LlmProviderInfo &provider, const QList<LlmProviderInfo> &all);

void fillProviderBox(QComboBox *box, const QList<LlmProviderInfo> &providers,
                     const QString &defaultId);

// The provider with this id among `providers`; a default (no model, not simulated) when none.
LlmProviderInfo providerById(const QList<LlmProviderInfo> &providers, const QString &id);

// An estimate line for a job dialog: "Estimate: <what><summary>", with a simulated provider's
// cost set to $0 and said to be offline.
QString estimateLine(const QString &what, GenerationEstimate estimate, bool simulated);

} // namespace crucible
