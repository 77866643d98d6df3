#include "ui/models/llmcalltablemodel.h"

#include "core/llm/moneyformat.h"

#include <QBrush>
#include <QColor>
#include <QLocale>

#include <exception>

namespace crucible {

LlmCallTableModel::LlmCallTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void LlmCallTableModel::setWorkspace(Workspace *ws)
{
    m_ws = ws;
    reload();
}

void LlmCallTableModel::setFilter(const LlmCallFilter &filter)
{
    m_filter = filter;
    m_filter.afterSeq = 0;
    m_filter.beforeSeq = 0;
    reload();
}

void LlmCallTableModel::reload()
{
    m_changing = true;
    beginResetModel();
    m_rows.clear();
    m_exhausted = m_ws == nullptr;
    m_lastError.clear();
    if (m_ws) {
        try {
            m_rows = LlmCallRepository(*m_ws).page(m_filter, kPageSize);
            m_exhausted = static_cast<int>(m_rows.size()) < kPageSize;
        } catch (const std::exception &e) {
            m_lastError = QString::fromUtf8(e.what());
            m_exhausted = true;
        }
    }
    endResetModel();
    m_changing = false;
}

void LlmCallTableModel::refresh()
{
    if (!m_ws)
        return;
    try {
        LlmCallRepository repo(*m_ws);
        LlmCallFilter newer = m_filter;
        newer.afterSeq = m_rows.empty() ? 0 : m_rows.front().seq;
        // Newest first; more than a page of news is a reload rather than a long insert.
        auto fresh = repo.page(newer, kPageSize + 1);
        if (static_cast<int>(fresh.size()) > kPageSize) {
            reload();
            return;
        }
        if (!fresh.empty()) {
            m_changing = true;
            beginInsertRows({}, 0, static_cast<int>(fresh.size()) - 1);
            m_rows.insert(m_rows.begin(), fresh.begin(), fresh.end());
            endInsertRows();
            m_changing = false;
        }
        // Status changes (a structured answer marked invalid) touch recent rows only.
        const int recent = std::min<int>(static_cast<int>(m_rows.size()), 64);
        if (recent > 0) {
            LlmCallFilter window = m_filter;
            window.beforeSeq = m_rows.front().seq + 1;
            window.afterSeq = m_rows[static_cast<std::size_t>(recent - 1)].seq - 1;
            const auto current = repo.page(window, recent);
            for (const auto &row : current) {
                const int r = rowOf(row.id);
                if (r >= 0 && m_rows[static_cast<std::size_t>(r)].status != row.status) {
                    m_rows[static_cast<std::size_t>(r)] = row;
                    emit dataChanged(index(r, 0), index(r, ColumnCount - 1));
                }
            }
        }
        m_lastError.clear();
    } catch (const std::exception &e) {
        m_lastError = QString::fromUtf8(e.what());
    }
}

void LlmCallTableModel::setProviderNames(const QHash<QString, QString> &names)
{
    if (names == m_providerNames)
        return;
    m_providerNames = names;
    if (!m_rows.empty())
        emit dataChanged(index(0, Provider), index(rowCount() - 1, Provider));
}

QString LlmCallTableModel::providerName(const QString &id) const
{
    const QString name = m_providerNames.value(id);
    return name.isEmpty() ? id : name;
}

const LlmCallSummary *LlmCallTableModel::summaryAt(int row) const
{
    if (row < 0 || row >= static_cast<int>(m_rows.size()))
        return nullptr;
    return &m_rows[static_cast<std::size_t>(row)];
}

int LlmCallTableModel::rowOf(const QString &id) const
{
    for (std::size_t i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].id == id)
            return static_cast<int>(i);
    return -1;
}

int LlmCallTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int LlmCallTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

bool LlmCallTableModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_exhausted && !m_changing;
}

void LlmCallTableModel::fetchMore(const QModelIndex &parent)
{
    if (parent.isValid() || m_exhausted || m_changing || !m_ws || m_rows.empty())
        return;
    try {
        LlmCallFilter older = m_filter;
        older.beforeSeq = m_rows.back().seq;
        auto more = LlmCallRepository(*m_ws).page(older, kPageSize);
        m_exhausted = static_cast<int>(more.size()) < kPageSize;
        if (more.empty())
            return;
        const int first = static_cast<int>(m_rows.size());
        m_changing = true;
        beginInsertRows({}, first, first + static_cast<int>(more.size()) - 1);
        m_rows.insert(m_rows.end(), more.begin(), more.end());
        endInsertRows();
        m_changing = false;
    } catch (const std::exception &e) {
        m_lastError = QString::fromUtf8(e.what());
        m_exhausted = true;
    }
}

namespace {

// The shared money vocabulary; a failed or cancelled call that cost nothing known shows nothing
// rather than "unpriced" (there was no answer to price).
QString costText(const LlmCallSummary &s)
{
    if (!s.cacheHit && !s.costUsd && s.status != QStringLiteral("ok"))
        return {};
    return formatCallCost(s.costUsd, s.cacheHit);
}

} // namespace

QString LlmCallTableModel::structuredModeTip(const QString &mode)
{
    if (mode == QStringLiteral("tool"))
        return tr("Structured output through a forced tool: the answer is the tool's input, "
                  "shaped by the schema (Anthropic)");
    if (mode == QStringLiteral("json_schema"))
        return tr("Structured output through response_format json_schema: the server shapes the "
                  "answer by the schema");
    if (mode == QStringLiteral("json_object"))
        return tr("Structured output through response_format json_object: the server returns "
                  "JSON, the schema is in the prompt");
    if (mode == QStringLiteral("prompt"))
        return tr("Structured output asked for in the system prompt only (the server has no "
                  "native mode, or the provider settings say so)");
    return mode;
}

QVariant LlmCallTableModel::data(const QModelIndex &index, int role) const
{
    const LlmCallSummary *s = summaryAt(index.row());
    if (!s || index.column() < 0 || index.column() >= ColumnCount)
        return {};
    if (role == IdRole)
        return s->id;
    if (role == Qt::TextAlignmentRole) {
        switch (index.column()) {
        case Attempt:
        case TokensIn:
        case TokensOut:
        case Cost:
        case Latency:
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        default:
            return {};
        }
    }
    if (role == Qt::ForegroundRole && index.column() == Status) {
        if (s->status == QStringLiteral("ok"))
            return QBrush(QColor(0x2e, 0x7d, 0x32));
        if (s->status == QStringLiteral("cancelled"))
            return QBrush(QColor(0x75, 0x75, 0x75));
        return QBrush(QColor(0xc6, 0x28, 0x28));
    }
    if (role == Qt::ToolTipRole && index.column() == Error)
        return s->error;
    if (role == Qt::ToolTipRole && index.column() == Structured && !s->structuredMode.isEmpty())
        return structuredModeTip(s->structuredMode);
    if (role == Qt::ToolTipRole && index.column() == Provider)
        return tr("Provider id: %1").arg(s->provider);
    if (role == Qt::ToolTipRole && index.column() == Status &&
        s->status == QStringLiteral("cancelled"))
        return tr("Stopped before it finished (by you or its job); not counted as failed");
    if (role != Qt::DisplayRole)
        return {};
    const QLocale locale;
    switch (index.column()) {
    case Time:
        return s->createdAt.toLocalTime().toString(QStringLiteral("HH:mm:ss.zzz"));
    case Status:
        return s->httpStatus > 0 && s->status != QStringLiteral("ok")
                   ? QStringLiteral("%1 %2").arg(s->status).arg(s->httpStatus)
                   : s->status;
    case Provider:
        return providerName(s->provider);
    case Model:
        return s->model;
    case Attempt:
        return s->attempt;
    case TokensIn:
        return locale.toString(s->tokensIn);
    case TokensOut:
        return locale.toString(s->tokensOut);
    case Cost:
        return costText(*s);
    case Latency:
        return QStringLiteral("%1 ms").arg(locale.toString(s->latencyMs));
    case Cache:
        return s->cacheHit ? tr("hit") : QString();
    case Structured:
        return s->structuredMode;
    case Job:
        return s->jobId;
    case Error:
        return s->error.section(QLatin1Char('\n'), 0, 0);
    default:
        return {};
    }
}

QVariant LlmCallTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Time:
        return tr("Time");
    case Status:
        return tr("Status");
    case Provider:
        return tr("Provider");
    case Model:
        return tr("Model");
    case Attempt:
        return tr("Try");
    case TokensIn:
        return tr("In");
    case TokensOut:
        return tr("Out");
    case Cost:
        return tr("Cost");
    case Latency:
        return tr("Latency");
    case Cache:
        return tr("Cache");
    case Structured:
        return tr("Output");
    case Job:
        return tr("Job");
    case Error:
        return tr("Error / note");
    default:
        return {};
    }
}

} // namespace crucible
