#include "ui/problems/problemfilterbar.h"

#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QTimer>
#include <QVBoxLayout>

namespace crucible {

namespace {

QString withCount(const QString &label, qint64 count)
{
    return QStringLiteral("%1 (%2)").arg(label, QLocale().toString(count));
}

// Selects the item whose data equals value, or the first ("any") item.
void selectData(QComboBox *combo, const QString &value)
{
    const int index = value.isEmpty() ? 0 : combo->findData(value);
    combo->setCurrentIndex(index < 0 ? 0 : index);
}

template <class Key> qint64 countOf(const std::map<Key, qint64> &counts, std::optional<Key> key)
{
    if (!key)
        return 0;
    const auto it = counts.find(*key);
    return it == counts.end() ? 0 : it->second;
}

// Keeps a value chosen before the list had it (e.g. set from another view).
void keepChoice(QComboBox *combo, const QString &value)
{
    if (!value.isEmpty() && combo->findData(value) < 0)
        combo->addItem(value, value);
    selectData(combo, value);
}

} // namespace

ProblemFilterBar::ProblemFilterBar(QWidget *parent)
    : QWidget(parent)
    , m_search(new QLineEdit(this))
    , m_domain(new QComboBox(this))
    , m_complexity(new QComboBox(this))
    , m_origin(new QComboBox(this))
    , m_review(new QComboBox(this))
    , m_dataset(new QComboBox(this))
    , m_job(new QComboBox(this))
    , m_tag(new QComboBox(this))
    , m_count(new QLabel(this))
    , m_searchTimer(new QTimer(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    auto *top = new QHBoxLayout;
    m_search->setObjectName(QStringLiteral("problemSearch"));
    m_search->setPlaceholderText(tr("Search statements, constraints and tags (Ctrl+F)"));
    m_search->setClearButtonEnabled(true);
    m_search->setMinimumWidth(140);
    top->addWidget(m_search, 1);
    m_review->setObjectName(QStringLiteral("reviewFilter"));
    top->addWidget(m_review);
    m_count->setObjectName(QStringLiteral("problemCount"));
    // Wide enough for most counts without pushing the row past a narrow window.
    m_count->setMinimumWidth(fontMetrics().horizontalAdvance(QStringLiteral("10,000 of 10,000")));
    m_count->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    top->addWidget(m_count);
    layout->addLayout(top);

    // The second row shares its width: each drop-down shrinks (eliding) rather than overlapping.
    auto *second = new QHBoxLayout;
    const std::pair<QComboBox *, const char *> named[] = {
        {m_domain, "domainFilter"}, {m_complexity, "complexityFilter"},
        {m_origin, "originFilter"}, {m_dataset, "datasetFilter"},
        {m_job, "jobFilter"},       {m_tag, "tagFilter"}};
    for (const auto &[combo, name] : named) {
        combo->setObjectName(QString::fromLatin1(name));
        combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        combo->setMinimumContentsLength(8);
        combo->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
        second->addWidget(combo, 1);
    }
    layout->addLayout(second);
    m_review->setSizeAdjustPolicy(QComboBox::AdjustToContents);

    m_domain->setToolTip(tr("Show only problems of this domain"));
    m_complexity->setToolTip(tr("Show only problems of this complexity"));
    m_origin->setToolTip(tr("Show only problems made this way"));
    m_review->setToolTip(tr("Show only problems with this review verdict"));
    m_dataset->setToolTip(tr("Show only the members of this dataset, in dataset order"));
    m_job->setToolTip(tr("Show only the problems made by this generation job"));
    m_tag->setToolTip(tr("Show only problems carrying this tag"));

    m_review->addItem(tr("Any review"), QString());
    for (const QString &name : reviewStatusNames())
        m_review->addItem(name, name);
    for (QComboBox *combo : combos())
        connect(combo, &QComboBox::currentIndexChanged, this, &ProblemFilterBar::filterChanged);

    m_searchTimer->setSingleShot(true);
    m_searchTimer->setInterval(kSearchDebounceMs);
    connect(m_searchTimer, &QTimer::timeout, this, &ProblemFilterBar::filterChanged);
    connect(m_search, &QLineEdit::textChanged, this, [this] { m_searchTimer->start(); });
    connect(m_search, &QLineEdit::returnPressed, this, [this] {
        m_searchTimer->stop();
        emit filterChanged();
    });
    setStats(nullptr);
    setChoices({}, {});
}

QList<QComboBox *> ProblemFilterBar::combos() const
{
    return {m_domain, m_complexity, m_origin, m_review, m_dataset, m_job, m_tag};
}

ProblemFilter ProblemFilterBar::filter() const
{
    ProblemFilter f;
    f.search = m_search->text().trimmed();
    f.domain = m_domain->currentData().toString();
    f.complexity = complexityFromString(m_complexity->currentData().toString());
    f.origin = originFromString(m_origin->currentData().toString());
    f.reviewStatus = reviewStatusFromString(m_review->currentData().toString());
    f.datasetId = m_dataset->currentData().toString();
    f.jobId = m_job->currentData().toString();
    f.tag = m_tag->currentData().toString();
    return f;
}

void ProblemFilterBar::setStats(const WorkspaceStats *stats)
{
    const QString domain = m_domain->currentData().toString();
    const QString complexity = m_complexity->currentData().toString();
    const QString origin = m_origin->currentData().toString();
    const QSignalBlocker b1(m_domain), b2(m_complexity), b3(m_origin);
    m_domain->clear();
    m_complexity->clear();
    m_origin->clear();
    // Without statistics yet, the values are offered without counts.
    const auto label = [stats](const QString &name, qint64 count) {
        return stats ? withCount(name, count) : name;
    };
    m_domain->addItem(label(tr("All domains"), stats ? stats->problems : 0), QString());
    if (stats)
        for (const DomainCount &d : stats->domains)
            m_domain->addItem(withCount(d.domain.isEmpty() ? tr("(no domain)") : d.domain, d.count),
                              d.domain);
    m_complexity->addItem(tr("Any complexity"), QString());
    for (const QString &name : complexityNames())
        m_complexity->addItem(
            label(name, stats ? countOf(stats->complexity, complexityFromString(name)) : 0), name);
    m_origin->addItem(tr("Any origin"), QString());
    for (const QString &name : originNames())
        m_origin->addItem(label(name, stats ? countOf(stats->origin, originFromString(name)) : 0),
                          name);
    keepChoice(m_domain, domain);
    selectData(m_complexity, complexity);
    selectData(m_origin, origin);
}

void ProblemFilterBar::setChoices(const std::vector<Dataset> &datasets,
                                  const FilterChoices &choices)
{
    const QString dataset = m_dataset->currentData().toString();
    const QString job = m_job->currentData().toString();
    const QString tag = m_tag->currentData().toString();
    const QSignalBlocker b1(m_dataset), b2(m_job), b3(m_tag);
    m_dataset->clear();
    m_job->clear();
    m_tag->clear();
    m_dataset->addItem(tr("Any dataset"), QString());
    for (const Dataset &d : datasets) {
        m_dataset->addItem(d.name.isEmpty() ? d.id : d.name, d.id);
        m_dataset->setItemData(m_dataset->count() - 1, d.id, Qt::ToolTipRole);
    }
    m_job->addItem(tr("Any job"), QString());
    for (const auto &[id, count] : choices.jobs)
        m_job->addItem(withCount(id, count), id);
    m_tag->addItem(tr("Any tag"), QString());
    for (const auto &[name, count] : choices.tags)
        m_tag->addItem(withCount(name, count), name);
    keepChoice(m_dataset, dataset);
    keepChoice(m_job, job);
    keepChoice(m_tag, tag);
}

void ProblemFilterBar::setDomain(const QString &domain)
{
    keepChoice(m_domain, domain);
}

void ProblemFilterBar::setDataset(const QString &datasetId)
{
    keepChoice(m_dataset, datasetId);
}

void ProblemFilterBar::setReviewStatus(std::optional<ReviewStatus> status)
{
    selectData(m_review, status ? toString(*status) : QString());
}

void ProblemFilterBar::setTag(const QString &tag)
{
    keepChoice(m_tag, tag);
}

void ProblemFilterBar::setJob(const QString &jobId)
{
    keepChoice(m_job, jobId);
}

void ProblemFilterBar::resetSearch()
{
    const QSignalBlocker block(m_search);
    m_search->clear();
    m_searchTimer->stop();
}

void ProblemFilterBar::clear()
{
    {
        const QSignalBlocker b0(m_search);
        m_search->clear();
        m_searchTimer->stop();
        for (QComboBox *combo : combos()) {
            const QSignalBlocker block(combo);
            combo->setCurrentIndex(0);
        }
    }
    emit filterChanged();
}

void ProblemFilterBar::setCountText(const QString &text)
{
    m_count->setText(text);
}

} // namespace crucible
