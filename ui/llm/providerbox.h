#pragma once
// Fills a provider combo box from the engine's provider list ("label — model", data = id),
// keeping the current choice when it still exists, else selecting the default. GUI thread.

#include "core/engine/llmengine.h"

class QComboBox;

namespace crucible {

void fillProviderBox(QComboBox *box, const QList<LlmProviderInfo> &providers,
                     const QString &defaultId);

} // namespace crucible
