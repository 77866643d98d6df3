#include "ui/agents/traitsliders.h"

#include "core/agents/traitcatalogue.h"

#include <QGridLayout>
#include <QLabel>
#include <QSlider>
#include <QStringBuilder>

namespace crucible {

TraitSliders::TraitSliders(QWidget *parent)
    : QWidget(parent)
    , m_grid(new QGridLayout(this))
{
    m_grid->setContentsMargins(0, 0, 0, 0);
    m_grid->setHorizontalSpacing(8);
    m_grid->setVerticalSpacing(2);
    m_grid->setColumnStretch(1, 1);
}

void TraitSliders::clearRows()
{
    while (QLayoutItem *item = m_grid->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    m_rows.clear();
}

void TraitSliders::setAgent(const Agent &agent)
{
    m_updating = true;
    clearRows();
    m_custom = agent.customTraits;
    int line = 0;
    for (const TraitWording &w : TraitCatalogue::builtIn().wordings(agent)) {
        Row row;
        auto *name = new QLabel(w.label, this);
        name->setToolTip(w.custom ? tr("A trait of your own")
                                  : TraitCatalogue::builtIn().find(w.trait)->summary);
        row.slider = new QSlider(Qt::Horizontal, this);
        row.slider->setObjectName(QStringLiteral("trait_") + w.trait);
        row.slider->setRange(0, 100);
        row.slider->setPageStep(10);
        row.slider->setMinimumWidth(140);
        row.slider->setAccessibleName(w.label);
        row.value = new QLabel(this);
        row.value->setMinimumWidth(QFontMetrics(font()).horizontalAdvance(QStringLiteral("100")) +
                                   4);
        row.value->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
        row.band = new QLabel(this);
        row.band->setMinimumWidth(QFontMetrics(font()).horizontalAdvance(
            QStringLiteral("neither conventional nor creative")));
        row.behaviour = new QLabel(this);
        row.behaviour->setWordWrap(true);
        QFont small = row.behaviour->font();
        small.setPointSizeF(small.pointSizeF() * 0.9);
        row.behaviour->setFont(small);
        row.behaviour->setForegroundRole(QPalette::PlaceholderText);
        m_grid->addWidget(name, line, 0);
        m_grid->addWidget(row.slider, line, 1);
        m_grid->addWidget(row.value, line, 2);
        m_grid->addWidget(row.band, line, 3);
        m_grid->addWidget(row.behaviour, line + 1, 1, 1, 3);
        line += 2;

        const QString trait = w.trait;
        QSlider *slider = row.slider;
        connect(slider, &QSlider::sliderPressed, this, [this, trait] {
            Row &r = m_rows.at(trait);
            r.pressedAt = r.committed;
        });
        connect(slider, &QSlider::valueChanged, this, [this, trait](int value) {
            if (m_updating)
                return;
            Row &r = m_rows.at(trait);
            showValue(trait, r, value);
            if (r.slider->isSliderDown()) {
                emit traitPreviewed(trait, value);
                return;
            }
            const int from = r.committed;
            r.committed = value;
            if (from != value)
                emit traitChanged(trait, from, value);
        });
        connect(slider, &QSlider::sliderReleased, this, [this, trait] {
            Row &r = m_rows.at(trait);
            const int from = r.pressedAt < 0 ? r.committed : r.pressedAt;
            const int to = r.slider->value();
            r.pressedAt = -1;
            r.committed = to;
            if (from != to)
                emit traitChanged(trait, from, to);
        });
        m_rows.emplace(trait, row);
        Row &stored = m_rows.at(trait);
        stored.committed = w.value;
        stored.slider->setValue(w.value);
        showValue(trait, stored, w.value);
    }
    m_grid->setRowStretch(line, 1);
    setReadOnly(m_readOnly);
    m_updating = false;
}

void TraitSliders::updateValues(const Agent &agent)
{
    m_updating = true;
    for (auto &[trait, row] : m_rows) {
        const auto it = agent.traits.find(trait);
        if (it == agent.traits.end())
            continue;
        if (!row.slider->isSliderDown()) {
            row.slider->setValue(it->second);
            row.committed = it->second;
        }
        showValue(trait, row, row.slider->value());
    }
    m_updating = false;
}

void TraitSliders::showValue(const QString &trait, Row &row, int value)
{
    const TraitWording w = TraitCatalogue::builtIn().wording(trait, value, m_custom);
    row.value->setText(QString::number(value));
    row.band->setText(w.phrase);
    row.band->setToolTip(TraitCatalogue::bandName(w.band));
    row.behaviour->setText(w.behaviour);
    row.behaviour->setVisible(!w.behaviour.isEmpty());
}

void TraitSliders::setReadOnly(bool readOnly)
{
    m_readOnly = readOnly;
    for (auto &[trait, row] : m_rows)
        row.slider->setEnabled(!readOnly);
}

QSlider *TraitSliders::slider(const QString &trait) const
{
    const auto it = m_rows.find(trait);
    return it == m_rows.end() ? nullptr : it->second.slider;
}

QString TraitSliders::bandText(const QString &trait) const
{
    const auto it = m_rows.find(trait);
    return it == m_rows.end() ? QString() : it->second.band->text();
}

QString TraitSliders::behaviourText(const QString &trait) const
{
    const auto it = m_rows.find(trait);
    return it == m_rows.end() ? QString() : it->second.behaviour->text();
}

QStringList TraitSliders::traits() const
{
    QStringList out;
    for (const auto &[trait, row] : m_rows)
        out << trait;
    return out;
}

} // namespace crucible
