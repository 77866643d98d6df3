#include "ui/settings/providersdialog.h"

#include "core/llm/providers/providerpresets.h"
#include "core/llm/secrets/secretstore.h"
#include "ui/models/providerlistmodel.h"
#include "ui/settings/providereditor.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace crucible {

namespace {

QString portsOf(const std::vector<LocalServerTarget> &targets)
{
    QStringList ports;
    for (const LocalServerTarget &t : targets)
        ports << QString::number(t.port);
    return ports.join(QStringLiteral(", "));
}

bool keyHeldByUs(const ApiKeyState &state)
{
    return state.storedSource == KeySource::Keychain || state.storedSource == KeySource::Session;
}

QString storedLabelFor(KeySource source, const QString &envVar)
{
    switch (source) {
    case KeySource::Keychain:
        return keychainSourceLabel();
    case KeySource::Environment:
        return environmentSourceLabel(envVar);
    case KeySource::Session:
        return sessionSourceLabel();
    case KeySource::None:
        break;
    }
    return noneSourceLabel();
}

} // namespace

ProvidersDialog::ProvidersDialog(QString registryPath, std::shared_ptr<SecretStore> secrets,
                                 QWidget *parent)
    : QDialog(parent)
    , m_registry(std::move(registryPath))
    , m_secrets(std::move(secrets))
    , m_scanTargets(LocalServerScan::defaultTargets())
{
    Q_ASSERT(m_secrets);
    setWindowTitle(tr("Settings — Providers"));
    setObjectName(QStringLiteral("providersDialog"));
    buildUi();
    loadRegistry();
    resize(980, 700);
}

ProvidersDialog::~ProvidersDialog()
{
    if (m_scanCancel)
        m_scanCancel->cancel();
}

void ProvidersDialog::buildUi()
{
    m_model = new ProviderListModel(this);
    m_list = new QListView(this);
    m_list->setObjectName(QStringLiteral("providerList"));
    m_list->setModel(m_model);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setUniformItemSizes(true);
    m_list->setMinimumWidth(200);
    m_list->setToolTip(tr("Untick a provider to disable it without losing its settings"));

    m_addButton = new QPushButton(tr("Add \u25BE"), this);
    m_addButton->setObjectName(QStringLiteral("addProviderButton"));
    m_addButton->setToolTip(tr("Add a provider from a preset (Ctrl+N)"));
    m_duplicateButton = new QPushButton(tr("Duplicate"), this);
    m_duplicateButton->setObjectName(QStringLiteral("duplicateProviderButton"));
    m_removeButton = new QPushButton(tr("Remove"), this);
    m_removeButton->setObjectName(QStringLiteral("removeProviderButton"));
    m_removeButton->setToolTip(tr("Remove the selected provider (Delete)"));
    buildAddMenu();

    auto *listButtons = new QHBoxLayout;
    listButtons->setContentsMargins(0, 0, 0, 0);
    listButtons->addWidget(m_addButton);
    listButtons->addWidget(m_duplicateButton);
    listButtons->addWidget(m_removeButton);
    listButtons->addStretch(1);

    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_list, 1);
    leftLayout->addLayout(listButtons);

    m_editor = new ProviderEditor(this);
    m_editor->setObjectName(QStringLiteral("providerEditor"));
    m_emptyPage = new QLabel(tr("No provider selected.\n\nAdd one with \u201CAdd\u201D (Ctrl+N): "
                                "a cloud service, a local server (Ollama, llama.cpp, LM Studio, "
                                "vLLM; \u201CFind local servers\u2026\u201D looks for them), or "
                                "the simulated provider to try Crucible offline."),
                             this);
    static_cast<QLabel *>(m_emptyPage)->setWordWrap(true);
    static_cast<QLabel *>(m_emptyPage)->setAlignment(Qt::AlignCenter);
    m_emptyPage->setContentsMargins(24, 24, 24, 24);
    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_emptyPage);
    m_stack->addWidget(m_editor);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(left);
    splitter->addWidget(m_stack);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({230, 750});

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("providersStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->hide();

    m_buttons = new QDialogButtonBox(
        QDialogButtonBox::Ok | QDialogButtonBox::Apply | QDialogButtonBox::Cancel, this);
    m_buttons->setObjectName(QStringLiteral("providersButtons"));

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_status);
    layout->addWidget(m_buttons);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &ProvidersDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &ProvidersDialog::reject);
    connect(m_buttons->button(QDialogButtonBox::Apply), &QPushButton::clicked, this,
            &ProvidersDialog::apply);
    connect(m_addButton, &QPushButton::clicked, this, &ProvidersDialog::showAddMenu);
    connect(m_duplicateButton, &QPushButton::clicked, this, &ProvidersDialog::duplicateCurrent);
    connect(m_removeButton, &QPushButton::clicked, this, &ProvidersDialog::removeCurrent);
    connect(m_list->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { showRow(current); });
    connect(m_model, &ProviderListModel::enabledToggled, this, [this] { setDirty(); });
    connect(m_editor, &ProviderEditor::edited, this, &ProvidersDialog::onEditorEdited);
    connect(m_editor, &ProviderEditor::keyEdited, this, &ProvidersDialog::onKeyEdited);
    connect(m_editor, &ProviderEditor::keyLookupChanged, this,
            &ProvidersDialog::onKeyLookupChanged);
    connect(m_editor, &ProviderEditor::modelsFetched, this, [this](const QStringList &models) {
        const QString id = currentId();
        if (!id.isEmpty())
            m_knownModels.insert(id, models);
    });

    auto *addShortcut = new QShortcut(QKeySequence::New, this);
    connect(addShortcut, &QShortcut::activated, this, &ProvidersDialog::showAddMenu);
    // Only on the list: Delete in a text field must keep deleting characters.
    auto *removeShortcut = new QShortcut(QKeySequence::Delete, m_list);
    removeShortcut->setContext(Qt::WidgetShortcut);
    connect(removeShortcut, &QShortcut::activated, this, &ProvidersDialog::removeCurrent);
}

void ProvidersDialog::buildAddMenu()
{
    m_addMenu = new QMenu(this);
    m_addMenu->setObjectName(QStringLiteral("addProviderMenu"));
    bool seenLocal = false;
    for (const ProviderPresetInfo &info : ProviderPresets::all()) {
        const bool local = info.local && info.preset != ProviderPreset::Simulated;
        if ((local && !seenLocal) || info.preset == ProviderPreset::Custom)
            m_addMenu->addSeparator();
        seenLocal = seenLocal || local;
        QString label = info.label;
        if (local)
            label += tr(" (local server)");
        QAction *action = m_addMenu->addAction(label);
        action->setData(info.key);
        const ProviderPreset preset = info.preset;
        connect(action, &QAction::triggered, this, [this, preset] { addProvider(preset); });
    }
    m_addMenu->addSeparator();
    m_scanAction = m_addMenu->addAction(tr("Find local servers…"));
    m_scanAction->setObjectName(QStringLiteral("findLocalServersAction"));
    m_scanAction->setToolTip(tr("Looks for Ollama, llama.cpp, LM Studio and vLLM on this "
                                "computer"));
    connect(m_scanAction, &QAction::triggered, this, &ProvidersDialog::findLocalServers);
    m_localMenu = new QMenu(this);
    m_localMenu->setObjectName(QStringLiteral("localServersMenu"));
}

void ProvidersDialog::showAddMenu()
{
    // popup(), not exec(): the dialog never runs a nested event loop.
    m_addMenu->popup(m_addButton->mapToGlobal(QPoint(0, m_addButton->height())));
}

void ProvidersDialog::loadRegistry()
{
    const ProviderRegistry::LoadResult result = m_registry.load();
    m_model->setProviders(m_registry.providers());
    for (const ProviderConfig &c : m_registry.providers())
        m_savedIds.insert(c.id);
    QStringList lines = result.errors;
    lines += result.warnings;
    if (!result.ok) {
        setStatus(tr("Could not read the providers file: %1\nApply will replace it with the list "
                     "shown here; fix or move the file first to keep its contents.")
                      .arg(lines.join(u'\n')),
                  Tone::Error);
    } else if (!lines.isEmpty()) {
        setStatus(lines.join(u'\n'), Tone::Warning);
    }
    if (m_model->rowCount() > 0)
        selectRow(0);
    else
        showRow({});
    m_dirty = false;
    updateButtons();
}

int ProvidersDialog::currentRow() const
{
    const QModelIndex current = m_list->currentIndex();
    return current.isValid() ? current.row() : -1;
}

QString ProvidersDialog::currentId() const
{
    const int row = currentRow();
    return row >= 0 ? m_model->config(row).id : QString();
}

void ProvidersDialog::selectRow(int row)
{
    if (row < 0 || row >= m_model->rowCount()) {
        m_list->setCurrentIndex({});
        showRow({});
        return;
    }
    const QModelIndex index = m_model->index(row);
    m_list->setCurrentIndex(index);
    m_list->scrollTo(index);
}

void ProvidersDialog::selectProvider(const QString &id)
{
    selectRow(m_model->rowOf(id));
}

void ProvidersDialog::showRow(const QModelIndex &current)
{
    if (!current.isValid()) {
        m_editor->cancelRunning();
        m_stack->setCurrentWidget(m_emptyPage);
        updateButtons();
        return;
    }
    const ProviderConfig &c = m_model->config(current.row());
    m_editor->setConfig(c, !m_savedIds.contains(c.id));
    m_editor->setKnownModels(m_knownModels.value(c.id));
    if (!m_keys.contains(c.id))
        startKeyRead(c);
    m_editor->setKeyState(m_keys.value(c.id));
    m_stack->setCurrentWidget(m_editor);
    updateButtons();
}

void ProvidersDialog::onEditorEdited()
{
    const int row = currentRow();
    if (row < 0)
        return;
    const ProviderConfig old = m_model->config(row);
    ProviderConfig c = m_editor->config();
    c.enabled = old.enabled; // the list's checkbox owns it
    if (c.id != old.id && !m_model->containsId(c.id)) {
        // A new provider's id was edited: its pending key and models follow it.
        if (m_keys.contains(old.id))
            m_keys.insert(c.id, m_keys.take(old.id));
        if (m_knownModels.contains(old.id))
            m_knownModels.insert(c.id, m_knownModels.take(old.id));
    }
    m_model->setConfig(row, c);
    setDirty();
}

void ProvidersDialog::onKeyEdited()
{
    const QString id = currentId();
    if (id.isEmpty())
        return;
    m_keys.insert(id, m_editor->keyState());
    setDirty();
}

void ProvidersDialog::onKeyLookupChanged()
{
    const int row = currentRow();
    if (row >= 0)
        startKeyRead(m_model->config(row));
}

void ProvidersDialog::startKeyRead(const ProviderConfig &config)
{
    ApiKeyState &state = m_keys[config.id];
    state.loaded = false;
    const quint64 generation = ++m_nextRead;
    m_keyReads.insert(config.id, generation);
    auto task = readKey(config.id, config.secretLookup(), generation);
    Q_UNUSED(task); // runs on; the continuation checks that the dialog still exists
}

QCoro::Task<> ProvidersDialog::readKey(QString id, SecretLookup lookup, quint64 generation)
{
    const QPointer<ProvidersDialog> self(this);
    SecretResult result;
    try {
        SecretResult read = co_await m_secrets->read(lookup);
        result = std::move(read);
    } catch (const std::exception &e) {
        result.keychainUnavailable = true;
        result.keychainError = QString::fromUtf8(e.what());
    }
    if (!self || m_keyReads.value(id) != generation || !m_keys.contains(id))
        co_return; // dialog gone, provider removed, or a newer read is under way
    ApiKeyState &state = m_keys[id];
    state.loaded = true;
    state.stored = result.value;
    state.storedSource = result.source;
    state.storedLabel = result.sourceLabel;
    state.storeProblem = result.keychainUnavailable ? result.keychainError : QString();
    if (!state.edited)
        state.value = result.value;
    if (currentId() == id)
        m_editor->setKeyState(state);
}

int ProvidersDialog::addProvider(ProviderPreset preset)
{
    const ProviderPresetInfo &info = ProviderPresets::info(preset);
    const QString id = m_model->uniqueId(info.key);
    ProviderConfig c = ProviderConfig::fromPreset(preset, id);
    if (id != info.key)
        c.displayName = info.label + u' ' + id.section(u'-', -1);
    const int row = m_model->append(c);
    selectRow(row);
    setDirty();
    setStatus(tr("Added %1: check the settings, then press Apply or OK.")
                  .arg(ProviderListModel::labelFor(c)),
              Tone::Info);
    m_editor->nameEdit()->setFocus();
    return row;
}

int ProvidersDialog::addLocalServer(const LocalServer &server)
{
    const ProviderPresetInfo &info = ProviderPresets::info(server.preset);
    const QString id = m_model->uniqueId(info.key);
    ProviderConfig c = ProviderConfig::fromPreset(server.preset, id);
    if (id != info.key)
        c.displayName = info.label + u' ' + id.section(u'-', -1);
    c.baseUrl = server.baseUrl.toString();
    if (c.defaultModel.isEmpty() && !server.models.isEmpty())
        c.defaultModel = server.models.first();
    m_knownModels.insert(id, server.models);
    const int row = m_model->append(c);
    selectRow(row);
    setDirty();
    setStatus(tr("Added %1 at %2.").arg(server.label, server.baseUrl.toString()), Tone::Info);
    return row;
}

void ProvidersDialog::duplicateCurrent()
{
    const int row = currentRow();
    if (row < 0)
        return;
    const ProviderConfig original = m_model->config(row);
    ProviderConfig copy = original;
    copy.id = m_model->uniqueId(original.id);
    copy.displayName = tr("%1 (copy)").arg(original.displayName);
    const ApiKeyState originalKey = m_keys.value(original.id);
    // The copy gets the same key, written under its own id on Apply; never a key that only
    // lives in an environment variable (that one is found again through the variable).
    if (!originalKey.value.isEmpty() && (originalKey.edited || keyHeldByUs(originalKey))) {
        ApiKeyState key;
        key.value = originalKey.value;
        key.edited = true;
        m_keys.insert(copy.id, key);
    }
    if (m_knownModels.contains(original.id))
        m_knownModels.insert(copy.id, m_knownModels.value(original.id));
    const int newRow = m_model->append(copy);
    if (m_keys.contains(copy.id))
        startKeyRead(copy);
    selectRow(newRow);
    setDirty();
}

void ProvidersDialog::removeCurrent()
{
    const int row = currentRow();
    if (row < 0 || m_confirmation)
        return;
    const ProviderConfig c = m_model->config(row);
    auto *box = new QMessageBox(
        QMessageBox::Question, tr("Remove provider"),
        tr("Remove provider \u201C%1\u201D (id %2)?").arg(ProviderListModel::labelFor(c), c.id),
        QMessageBox::Yes | QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("removeProviderConfirmation"));
    box->setInformativeText(tr("Its settings are deleted from providers.json and its API key "
                               "from the keychain when you press Apply or OK. Jobs that use it "
                               "will have to pick another provider."));
    box->button(QMessageBox::Yes)->setText(tr("Remove"));
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    const QString id = c.id;
    connect(box, &QMessageBox::buttonClicked, this, [this, box, id](QAbstractButton *button) {
        if (box->standardButton(button) != QMessageBox::Yes)
            return;
        const int at = m_model->rowOf(id);
        if (at >= 0)
            removeProvider(at);
    });
    m_confirmation = box;
    box->open(); // window-modal, no nested event loop
}

QMessageBox *ProvidersDialog::pendingConfirmation() const
{
    return m_confirmation.data();
}

void ProvidersDialog::removeProvider(int row)
{
    if (row < 0 || row >= m_model->rowCount())
        return;
    const ProviderConfig c = m_model->config(row);
    if (m_savedIds.contains(c.id))
        m_removed.push_back(c);
    m_keys.remove(c.id);
    m_keyReads.remove(c.id);
    m_knownModels.remove(c.id);
    const bool wasCurrent = row == currentRow();
    m_model->removeAt(row);
    if (wasCurrent || m_model->rowCount() == 0)
        selectRow(std::min(row, m_model->rowCount() - 1));
    setDirty();
    setStatus(tr("Removed %1; press Apply or OK to save, Cancel to keep it.")
                  .arg(ProviderListModel::labelFor(c)),
              Tone::Info);
}

void ProvidersDialog::setLocalScanTargets(std::vector<LocalServerTarget> targets)
{
    m_scanTargets = std::move(targets);
}

void ProvidersDialog::findLocalServers()
{
    if (m_scanning)
        return;
    m_scanning = true;
    m_scanAction->setEnabled(false);
    m_scanAction->setText(tr("Looking for local servers…"));
    m_scanCancel.emplace();
    setStatus(tr("Looking for local servers on 127.0.0.1 (ports %1)…").arg(portsOf(m_scanTargets)),
              Tone::Info);
    auto task = runScan();
    Q_UNUSED(task); // runs on; the continuation checks that the dialog still exists
}

QCoro::Task<> ProvidersDialog::runScan()
{
    const QPointer<ProvidersDialog> self(this);
    const CancelToken token = m_scanCancel->token();
    std::vector<LocalServer> found;
    QString failure;
    try {
        std::vector<LocalServer> servers =
            co_await LocalServerScan::scan(m_scanTargets, LocalServerScan::DefaultTimeoutMs, token);
        found = std::move(servers);
    } catch (const std::exception &e) {
        failure = QString::fromUtf8(e.what());
    }
    if (!self)
        co_return;
    m_scanning = false;
    m_scanCancel.reset();
    m_scanAction->setEnabled(true);
    m_scanAction->setText(tr("Find local servers…"));
    m_lastScan = std::move(found);
    if (!failure.isEmpty()) {
        setStatus(tr("The local server scan failed: %1. Add the server by hand from the Add "
                     "menu.")
                      .arg(failure),
                  Tone::Error);
    } else if (m_lastScan.empty()) {
        setStatus(tr("No local server answered on 127.0.0.1 (ports %1). Start Ollama, llama.cpp, "
                     "LM Studio or vLLM and try again, or add the server by hand from the Add "
                     "menu.")
                      .arg(portsOf(m_scanTargets)),
                  Tone::Warning);
    } else {
        offerScanResults();
    }
    emit localScanFinished(static_cast<int>(m_lastScan.size()));
}

void ProvidersDialog::offerScanResults()
{
    m_localMenu->clear();
    QStringList names;
    for (const LocalServer &server : m_lastScan) {
        const QString url = server.baseUrl.toString();
        bool known = false;
        for (const ProviderConfig &c : m_model->providers())
            known = known || normalizeBaseUrl(c.baseUrl).url == server.baseUrl;
        const QString models = server.models.isEmpty() ? tr("no model loaded")
                               : server.models.size() == 1
                                   ? tr("1 model")
                                   : tr("%1 models").arg(server.models.size());
        QAction *action = m_localMenu->addAction(
            tr("Add %1 at %2 (%3)%4")
                .arg(server.label, url, models, known ? tr(", already added") : QString()));
        const LocalServer copy = server;
        connect(action, &QAction::triggered, this, [this, copy] { addLocalServer(copy); });
        names << tr("%1 at %2").arg(server.label, url);
    }
    setStatus(
        tr("Found %1. Choose one to add from the menu.").arg(names.join(QStringLiteral("; "))),
        Tone::Success);
    if (isVisible())
        m_localMenu->popup(m_addButton->mapToGlobal(QPoint(0, m_addButton->height())));
}

void ProvidersDialog::setDirty()
{
    m_dirty = true;
    updateButtons();
}

void ProvidersDialog::updateButtons()
{
    const bool hasCurrent = currentRow() >= 0;
    m_duplicateButton->setEnabled(hasCurrent && !m_saving);
    m_removeButton->setEnabled(hasCurrent && !m_saving);
    m_addButton->setEnabled(!m_saving);
    m_buttons->button(QDialogButtonBox::Apply)->setEnabled(m_dirty && !m_saving);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!m_saving);
}

void ProvidersDialog::setStatus(const QString &text, Tone tone)
{
    static const QString colours[] = {QStringLiteral("#444444"), QStringLiteral("#1b7f3b"),
                                      QStringLiteral("#b26a00"), QStringLiteral("#c62828")};
    m_status->setText(text);
    m_status->setStyleSheet(QStringLiteral("color: %1;").arg(colours[static_cast<int>(tone)]));
    m_status->setVisible(!text.isEmpty());
}

bool ProvidersDialog::validateAll()
{
    QHash<QString, int> seen;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const ProviderConfig &c = m_model->config(row);
        std::vector<ValidationIssue> issues = c.validate();
        if (seen.contains(c.id))
            issues.push_back(
                {QStringLiteral("id"), c.id,
                 tr("is already used by provider \u201C%1\u201D; choose another")
                     .arg(ProviderListModel::labelFor(m_model->config(seen.value(c.id))))});
        seen.insert(c.id, row);
        if (issues.empty())
            continue;
        selectRow(row);
        m_editor->showIssues(issues);
        setStatus(
            tr("Nothing was saved: provider \u201C%1\u201D has %2, marked in red. Fix "
               "them and press Apply again.")
                .arg(ProviderListModel::labelFor(c),
                     issues.size() == 1 ? tr("1 problem") : tr("%1 problems").arg(issues.size())),
            Tone::Error);
        return false;
    }
    return true;
}

void ProvidersDialog::apply()
{
    auto task = save(false);
    Q_UNUSED(task); // runs on; the continuation checks that the dialog still exists
}

void ProvidersDialog::accept()
{
    if (m_saving)
        return;
    if (!m_dirty) {
        m_editor->cancelRunning();
        QDialog::accept();
        return;
    }
    auto task = save(true);
    Q_UNUSED(task);
}

void ProvidersDialog::reject()
{
    m_editor->cancelRunning();
    if (m_scanCancel)
        m_scanCancel->cancel();
    QDialog::reject();
}

QCoro::Task<> ProvidersDialog::save(bool closeWhenDone)
{
    const QPointer<ProvidersDialog> self(this);
    if (m_saving)
        co_return;
    if (!validateAll()) {
        emit saveFinished(false);
        co_return;
    }
    // The file first: it holds no secret, and a key without its provider is useless.
    for (const ProviderConfig &existing : std::vector<ProviderConfig>(m_registry.providers())) {
        if (!m_model->containsId(existing.id))
            m_registry.remove(existing.id);
    }
    try {
        for (const ProviderConfig &c : m_model->providers())
            m_registry.upsert(c);
    } catch (const ValidationError &e) {
        setStatus(tr("Nothing was saved: %1").arg(e.message()), Tone::Error);
        emit saveFinished(false);
        co_return;
    }
    QString error;
    if (!m_registry.save(&error)) {
        setStatus(tr("Could not save the providers to %1: %2. Check that the folder exists and "
                     "is writable, then press Apply again.")
                      .arg(m_registry.filePath(), error),
                  Tone::Error);
        emit saveFinished(false);
        co_return;
    }
    m_savedIds.clear();
    for (const ProviderConfig &c : m_model->providers())
        m_savedIds.insert(c.id);
    if (currentRow() >= 0)
        m_editor->setIdEditable(false);

    m_saving = true;
    updateButtons();
    QStringList problems;
    QStringList notes;
    // The key writes finish even if the dialog is closed meanwhile (Cancel, Esc, its window
    // destroyed): they use copies, not the dialog; only the UI updates check `self`.
    const std::shared_ptr<SecretStore> secrets = m_secrets;
    struct KeyWork
    {
        ProviderConfig config;
        ApiKeyState pending;
        ApiKeyState::Change change;
    };
    std::vector<KeyWork> work;
    for (const ProviderConfig &c : m_model->providers()) {
        const ApiKeyState pending = m_keys.value(c.id);
        const ApiKeyState::Change change = pending.pendingChange();
        if (change != ApiKeyState::Change::None)
            work.push_back({c, pending, change});
    }
    std::vector<ProviderConfig> removed;
    for (const ProviderConfig &c : std::exchange(m_removed, {})) {
        if (!m_model->containsId(c.id)) // else re-added under the same id: its key is in `work`
            removed.push_back(c);
    }
    for (const ProviderConfig &c : removed) {
        SecretWriteResult result = co_await secrets->remove(c.secretLookup());
        if (!result.ok)
            problems << tr("The API key of removed provider %1 could not be deleted: %2")
                            .arg(ProviderListModel::labelFor(c), result.message);
    }
    for (const KeyWork &item : work) {
        const ProviderConfig &c = item.config;
        const SecretLookup lookup = c.secretLookup();
        SecretWriteResult result;
        if (item.change == ApiKeyState::Change::Write) {
            SecretWriteResult written =
                co_await secrets->write(lookup, item.pending.value.trimmed());
            result = std::move(written);
        } else {
            SecretWriteResult removedKey = co_await secrets->remove(lookup);
            result = std::move(removedKey);
        }
        const QString name = ProviderListModel::labelFor(c);
        if (!result.ok) {
            problems
                << tr("The API key of provider %1 was not saved: %2").arg(name, result.message);
            continue;
        }
        if (result.keychainUnavailable && !result.message.isEmpty())
            notes << tr("%1: %2").arg(name, result.message);
        if (!self || !m_keys.contains(c.id))
            continue; // dialog closed, or provider removed while the key was being written
        ApiKeyState &state = m_keys[c.id];
        state.edited = state.value.trimmed() != item.pending.value.trimmed(); // typed again
        if (item.change == ApiKeyState::Change::Write) {
            state.loaded = true;
            state.stored = item.pending.value.trimmed();
            state.storedSource = result.storedIn;
            state.storedLabel = storedLabelFor(result.storedIn, lookup.envVar);
        } else {
            startKeyRead(c); // an environment variable may still provide a key
        }
    }
    if (!self)
        co_return; // the keys are written; there is no window left to report to
    m_saving = false;
    m_dirty = !problems.isEmpty();
    m_editor->clearIssues();
    const QString current = currentId();
    if (m_keys.contains(current))
        m_editor->setKeyState(m_keys.value(current));
    updateButtons();

    if (!problems.isEmpty()) {
        setStatus(tr("Providers saved to %1, but: %2")
                      .arg(m_registry.filePath(), problems.join(QStringLiteral("; "))),
                  Tone::Error);
    } else {
        QString text = m_model->rowCount() == 1
                           ? tr("Saved 1 provider to %1.").arg(m_registry.filePath())
                           : tr("Saved %1 providers to %2.")
                                 .arg(m_model->rowCount())
                                 .arg(m_registry.filePath());
        if (!notes.isEmpty())
            text += u'\n' + notes.join(u'\n');
        setStatus(text, notes.isEmpty() ? Tone::Success : Tone::Warning);
    }
    emit providersChanged();
    emit saveFinished(problems.isEmpty());
    if (closeWhenDone && problems.isEmpty()) {
        m_editor->cancelRunning();
        QDialog::accept();
    }
}

} // namespace crucible
