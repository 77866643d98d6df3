#pragma once
// Fills a provider combo box from the engine's provider list with the names the user gave the
// providers ("name — model", data = id, the id in the tooltip; two providers with one name are
// told apart by their id), keeping the current choice when it still exists, else selecting the
// default. GUI thread.

#include "core/engine/llmengine.h"

class QComboBox;

namespace crucible {

// The text of one provider among `all`: "Work gateway — gpt-4o", "Ollama (ollama-2) — llama3".
QString providerBoxText(const LlmProviderInfo &provider, const QList<LlmProviderInfo> &all);

void fillProviderBox(QComboBox *box, const QList<LlmProviderInfo> &providers,
                     const QString &defaultId);

} // namespace crucible
