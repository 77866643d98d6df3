#include "ui/llm/providerbox.h"

#include <QComboBox>
#include <algorithm>

namespace crucible {

QString providerBoxText(const LlmProviderInfo &provider, const QList<LlmProviderInfo> &all)
{
    QString name = provider.label.trimmed().isEmpty() ? provider.id : provider.label.trimmed();
    // Two providers with the same name (two "Ollama" servers) are told apart by their id.
    const auto sameName = std::count_if(all.begin(), all.end(), [&](const LlmProviderInfo &p) {
        return p.label.trimmed().compare(provider.label.trimmed(), Qt::CaseInsensitive) == 0;
    });
    if (sameName > 1 && name != provider.id)
        name += QStringLiteral(" (") + provider.id + u')';
    if (!provider.model.isEmpty() && provider.model.compare(name, Qt::CaseInsensitive) != 0)
        name += QStringLiteral(" — ") + provider.model;
    return name;
}

void fillProviderBox(QComboBox *box, const QList<LlmProviderInfo> &providers,
                     const QString &defaultId)
{
    const QString current = box->currentData().toString();
    box->clear();
    for (const auto &p : providers) {
        box->addItem(providerBoxText(p, providers), p.id);
        box->setItemData(box->count() - 1,
                         p.model.isEmpty()
                             ? QComboBox::tr("Provider id: %1").arg(p.id)
                             : QComboBox::tr("Provider id: %1 · model %2").arg(p.id, p.model),
                         Qt::ToolTipRole);
    }
    int index = box->findData(current.isEmpty() ? defaultId : current);
    if (index < 0)
        index = box->findData(defaultId);
    box->setCurrentIndex(std::max(0, index));
}

LlmProviderInfo providerById(const QList<LlmProviderInfo> &providers, const QString &id)
{
    for (const auto &p : providers)
        if (p.id == id)
            return p;
    return {};
}

QString estimateLine(const QString &what, GenerationEstimate estimate, bool simulated)
{
    if (simulated)
        estimate.costUsd = 0.0;
    return QComboBox::tr("Estimate: %1%2%3")
        .arg(what, estimate.summary(),
             simulated ? QComboBox::tr(" — Simulated provider, offline") : QString());
}

} // namespace crucible
