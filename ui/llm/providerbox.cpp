#include "ui/llm/providerbox.h"

#include <QComboBox>

namespace crucible {

void fillProviderBox(QComboBox *box, const QList<LlmProviderInfo> &providers,
                     const QString &defaultId)
{
    const QString current = box->currentData().toString();
    box->clear();
    for (const auto &p : providers) {
        QString text = p.label;
        if (!p.model.isEmpty() && p.model.compare(p.label, Qt::CaseInsensitive) != 0)
            text += QStringLiteral(" — ") + p.model;
        box->addItem(text, p.id);
    }
    int index = box->findData(current.isEmpty() ? defaultId : current);
    if (index < 0)
        index = box->findData(defaultId);
    box->setCurrentIndex(std::max(0, index));
}

} // namespace crucible
