#pragma once
// One slider per trait with its value, the band in words ("very rigorous") and the band's
// behavioural sentence. While a slider is dragged the value is previewed live (traitPreviewed);
// a finished drag, or a key press, is reported once as traitChanged(from, to) so that the panel
// makes one undo step of it. GUI thread only.

#include "core/model/agent.h"

#include <QWidget>

#include <map>

class QGridLayout;
class QLabel;
class QSlider;

namespace crucible {

class TraitSliders final : public QWidget
{
    Q_OBJECT
public:
    explicit TraitSliders(QWidget *parent = nullptr);

    // Rebuilds the rows for the agent's traits (catalogue order, then user-defined ones).
    void setAgent(const Agent &agent);
    // Updates values and wording without rebuilding (undo/redo, live preview); no signals.
    void updateValues(const Agent &agent);
    void setReadOnly(bool readOnly);

    QSlider *slider(const QString &trait) const;
    QString bandText(const QString &trait) const;
    QString behaviourText(const QString &trait) const;
    QStringList traits() const;

signals:
    void traitPreviewed(const QString &trait, int value);
    void traitChanged(const QString &trait, int from, int to);

private:
    struct Row
    {
        QSlider *slider = nullptr;
        QLabel *value = nullptr;
        QLabel *band = nullptr;
        QLabel *behaviour = nullptr;
        int pressedAt = -1; // value when the drag started; -1 when not dragging
        int committed = 0;  // last value reported or set from outside
    };
    void showValue(const QString &trait, Row &row, int value);
    void clearRows();

    QGridLayout *m_grid;
    std::map<QString, Row> m_rows;
    std::map<QString, TraitMarkers> m_custom;
    bool m_updating = false;
    bool m_readOnly = false;
};

} // namespace crucible
