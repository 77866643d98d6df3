#pragma once
// Typed application settings: each key is declared once, together with its type and default,
// and stored through QSettings. GUI thread only. Never store secrets here (use SecretStore).

#include <QByteArray>
#include <QSettings>
#include <QString>
#include <QStringList>
#include <QVariant>

namespace crucible {

template <class T> struct Setting
{
    const char *key;
    T def;

    T get() const
    {
        const QSettings s;
        const QVariant v = s.value(QLatin1String(key));
        if (!v.isValid() || !v.canConvert<T>())
            return def;
        return v.value<T>();
    }
    void set(const T &value) const
    {
        QSettings s;
        s.setValue(QLatin1String(key), QVariant::fromValue(value));
    }
    void reset() const
    {
        QSettings s;
        s.remove(QLatin1String(key));
    }
};

namespace settings {

inline const Setting<QByteArray> mainWindowGeometry{"mainWindow/geometry", {}};
inline const Setting<QByteArray> mainWindowState{"mainWindow/state", {}};
inline const Setting<QStringList> recentWorkspaces{"workspace/recent", {}};
inline const Setting<QByteArray> problemsSplitterState{"problems/splitter", {}};
inline const Setting<QByteArray> problemsHeaderState{"problems/header", {}};

// Bumped when the dock layout changes incompatibly, so an old saved state is ignored
// (2: the bottom docks form one tab group).
inline constexpr int kMainWindowStateVersion = 2;

} // namespace settings
} // namespace crucible
