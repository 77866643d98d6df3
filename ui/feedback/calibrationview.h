#pragma once
// CalibrationView: how far each LLM judge agrees with the people's ratings (JudgeCalibration):
// per judge and aspect the quadratic-weighted κ and Spearman ρ with their 95 % intervals and
// the number of ratings behind them, the weight the verifier gives the judge, and the held-out
// effect of calibration examples (κ without → with them in the prompt); for the selected row the
// confusion matrix of judge rating against human rating and κ over time. Computed on the
// workspace pool (bootstraps), newest request wins. GUI thread.

#include "core/feedback/judgecalibration.h"

#include <QFutureWatcher>
#include <QWidget>

class QComboBox;
class QLabel;
class QTableWidget;

namespace crucible {

class LiveChart;

class CalibrationView final : public QWidget
{
    Q_OBJECT

public:
    explicit CalibrationView(QWidget *parent = nullptr);
    ~CalibrationView() override;

    void setWorkspace(Workspace *ws);
    void refresh(); // recomputes in the background

    const CalibrationReport &report() const { return m_report; }
    QTableWidget *table() const { return m_table; }
    QTableWidget *confusionTable() const { return m_confusion; }
    LiveChart *overTimeChart() const { return m_chart; }
    QString summaryText() const;

signals:
    void computed();

private:
    struct Computed
    {
        QString path;
        CalibrationReport report;
        QString judge; // the judge a job would use now (chooseJudge), described
        QString error;
    };
    void onComputed();
    void showRow();

    QString m_path;
    bool m_pending = false;
    QFutureWatcher<Computed> m_watcher;
    CalibrationReport m_report;
    QComboBox *m_aspect = nullptr;
    QLabel *m_summary = nullptr;
    QTableWidget *m_table = nullptr;
    QTableWidget *m_confusion = nullptr;
    LiveChart *m_chart = nullptr;
    int m_series = -1;
};

} // namespace crucible
