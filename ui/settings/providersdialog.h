#pragma once
// Settings → Providers: the list of LLM providers and an editor for the selected one. OK/Apply
// validate and save providers.json through ProviderRegistry (never keys) and keys to the
// SecretStore. GUI thread only; open it with open()/show(): every network call is asynchronous.

#include "core/llm/cancellation.h"
#include "core/llm/providers/localserverscan.h"
#include "core/llm/providers/providerregistry.h"
#include "ui/settings/apikeyfield.h"

#include <QCoro/QCoroTask>
#include <QDialog>
#include <QHash>
#include <QPointer>
#include <QSet>

#include <memory>
#include <optional>
#include <vector>

class QDialogButtonBox;
class QLabel;
class QListView;
class QMenu;
class QMessageBox;
class QModelIndex;
class QPushButton;
class QStackedWidget;

namespace crucible {

class ProviderEditor;
class ProviderListModel;
class SecretStore;

class ProvidersDialog final : public QDialog
{
    Q_OBJECT
public:
    // `registryPath`: usually ProviderRegistry::defaultFilePath(). `secrets`: the application's
    // store (ChainedSecretStore::createDefault(), shared so session-only keys survive the dialog).
    ProvidersDialog(QString registryPath, std::shared_ptr<SecretStore> secrets,
                    QWidget *parent = nullptr);
    ~ProvidersDialog() override;

    // Adds a provider with the preset's defaults, selects it and returns its row.
    int addProvider(ProviderPreset preset);
    int addLocalServer(const LocalServer &server);
    void duplicateCurrent();
    void removeCurrent();         // asks first (a non-modal question box)
    void removeProvider(int row); // without asking
    void selectProvider(const QString &id);
    QString currentId() const;

    // Scans loopback for local servers and offers what it found in a menu.
    void findLocalServers();
    void setLocalScanTargets(std::vector<LocalServerTarget> targets); // for tests
    const std::vector<LocalServer> &lastScan() const { return m_lastScan; }

    // Validates, saves providers.json and writes changed keys; emits saveFinished(ok) when done
    // and providersChanged() after a successful save.
    void apply();
    bool hasUnsavedChanges() const { return m_dirty; }
    bool isSaving() const { return m_saving; }
    QString registryPath() const { return m_registry.filePath(); }

    ProviderListModel *model() const { return m_model; }
    QListView *listView() const { return m_list; }
    ProviderEditor *editor() const { return m_editor; }
    QPushButton *addButton() const { return m_addButton; }
    QPushButton *duplicateButton() const { return m_duplicateButton; }
    QPushButton *removeButton() const { return m_removeButton; }
    QMenu *addMenu() const { return m_addMenu; }
    QMenu *localServersMenu() const { return m_localMenu; }
    QDialogButtonBox *buttonBox() const { return m_buttons; }
    QLabel *statusLabel() const { return m_status; }
    QMessageBox *pendingConfirmation() const; // the open "Remove provider?" question, if any

public slots:
    void accept() override; // OK: save, then close when the save succeeded
    void reject() override; // Cancel / Esc: discard changes, cancel running tests

signals:
    void providersChanged(); // providers.json (and keys) were saved
    void saveFinished(bool ok);
    void localScanFinished(int found);

private:
    enum class Tone { Info, Success, Warning, Error };

    void buildUi();
    void buildAddMenu();
    void showAddMenu();
    void loadRegistry();
    void showRow(const QModelIndex &current);
    void onEditorEdited();
    void onKeyEdited();
    void onKeyLookupChanged();
    int currentRow() const;
    void selectRow(int row);
    void setDirty();
    void updateButtons();
    void setStatus(const QString &text, Tone tone);
    void startKeyRead(const ProviderConfig &config);
    QCoro::Task<> readKey(QString id, SecretLookup lookup, quint64 generation);
    QCoro::Task<> runScan();
    QCoro::Task<> save(bool closeWhenDone);
    bool validateAll();
    void offerScanResults();

    ProviderRegistry m_registry;
    std::shared_ptr<SecretStore> m_secrets;
    ProviderListModel *m_model = nullptr;
    QListView *m_list = nullptr;
    QStackedWidget *m_stack = nullptr;
    QWidget *m_emptyPage = nullptr;
    ProviderEditor *m_editor = nullptr;
    QPushButton *m_addButton = nullptr;
    QPushButton *m_duplicateButton = nullptr;
    QPushButton *m_removeButton = nullptr;
    QMenu *m_addMenu = nullptr;
    QMenu *m_localMenu = nullptr;
    QAction *m_scanAction = nullptr;
    QLabel *m_status = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    QPointer<QMessageBox> m_confirmation;

    QHash<QString, ApiKeyState> m_keys;        // by provider id
    QHash<QString, quint64> m_keyReads;        // latest read per provider id
    QHash<QString, QStringList> m_knownModels; // fetched or scanned, by provider id
    QSet<QString> m_savedIds;                  // ids present in providers.json
    std::vector<ProviderConfig> m_removed;     // saved providers removed since the last save
    std::vector<LocalServerTarget> m_scanTargets;
    std::vector<LocalServer> m_lastScan;
    std::optional<CancelSource> m_scanCancel;
    quint64 m_nextRead = 0;
    bool m_dirty = false;
    bool m_saving = false;
    bool m_scanning = false;
};

} // namespace crucible
