#pragma once
// LlmCallTableModel: the ledger of LLM calls, newest first, for the Request Inspector. Reads
// through a borrowed read-only Workspace (GUI thread), pages older rows in with fetchMore and
// inserts new ones at the top on refresh(), so scrolling and selection survive live updates.

#include "core/store/llmcallrepository.h"

#include <QAbstractTableModel>
#include <QHash>

#include <vector>

namespace crucible {

class LlmCallTableModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        Time,
        Status,
        Provider,
        Model,
        Attempt,
        TokensIn,
        TokensOut,
        Cost,
        Latency,
        Cache,
        Structured, // how the structured answer was asked for: tool, json_schema, ...
        Job,
        Error,
        ColumnCount
    };
    static constexpr int kPageSize = 200;
    static constexpr int IdRole = Qt::UserRole + 1;
    // What a structured mode of the ledger means, for the Output column's tooltip.
    static QString structuredModeTip(const QString &mode);

    explicit LlmCallTableModel(QObject *parent = nullptr);

    // The workspace must stay valid until the next setWorkspace (nullptr clears the model).
    void setWorkspace(Workspace *ws);
    void setFilter(const LlmCallFilter &filter);
    const LlmCallFilter &filter() const { return m_filter; }
    // Inserts calls recorded since the last look and re-reads rows whose status may have
    // changed (invalid answers). Cheap when nothing changed.
    void refresh();

    // Names the user gave the providers (id → name): the Provider column shows the name, the
    // id stays in the tooltip. A provider no longer configured shows its id.
    void setProviderNames(const QHash<QString, QString> &names);
    QString providerName(const QString &id) const;

    const LlmCallSummary *summaryAt(int row) const;
    int rowOf(const QString &id) const;
    QString lastError() const { return m_lastError; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

private:
    void reload();

    Workspace *m_ws = nullptr;
    LlmCallFilter m_filter;
    std::vector<LlmCallSummary> m_rows; // newest first
    bool m_exhausted = true;
    // Views (and QAbstractItemModelTester) ask for more rows from inside the reset and insert
    // signals; inserting then would nest one change inside another.
    bool m_changing = false;
    QString m_lastError;
    QHash<QString, QString> m_providerNames;
};

} // namespace crucible
