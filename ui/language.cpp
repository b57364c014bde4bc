#include "ui/language.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QPointer>
#include <QSettings>
#include <QTranslator>

namespace embedlab {
namespace {

const char *const SettingKey = "ui/language";

QString &installedLanguage()
{
    static QString language = QStringLiteral("en");
    return language;
}

QList<QPointer<QTranslator>> &installedTranslators()
{
    static QList<QPointer<QTranslator>> translators;
    return translators;
}

} // namespace

QList<InterfaceLanguage> interfaceLanguages()
{
    return {
        { QString(), QCoreApplication::translate("embedlab::Language", "System language") },
        { QStringLiteral("en"), QStringLiteral("English") },
        { QStringLiteral("zh_CN"), QStringLiteral("简体中文") },
    };
}

QString languageSetting()
{
    return QSettings().value(QLatin1String(SettingKey)).toString();
}

void setLanguageSetting(const QString &code)
{
    QSettings settings;
    if (code.isEmpty())
        settings.remove(QLatin1String(SettingKey));
    else
        settings.setValue(QLatin1String(SettingKey), code);
}

QString resolveLanguage(const QString &setting, const QLocale &system)
{
    if (setting == QLatin1String("zh_CN") || setting == QLatin1String("en"))
        return setting;
    return system.language() == QLocale::Chinese ? QStringLiteral("zh_CN") : QStringLiteral("en");
}

bool installTranslations(QCoreApplication *app, const QString &language)
{
    for (const QPointer<QTranslator> &t : installedTranslators())
        if (t) {
            QCoreApplication::removeTranslator(t);
            delete t;
        }
    installedTranslators().clear();

    // The English translation holds only the plural forms ("1 run", "2 runs").
    auto *own = new QTranslator(app);
    const bool ok = own->load(QStringLiteral("embedlab_") + language, QStringLiteral(":/i18n"));
    if (ok) {
        QCoreApplication::installTranslator(own);
        installedTranslators().append(own);
    } else {
        delete own;
    }
    if (language != QLatin1String("en")) {
        auto *qt = new QTranslator(app);
        if (qt->load(QStringLiteral("qtbase_") + language,
                QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
            QCoreApplication::installTranslator(qt);
            installedTranslators().append(qt);
        } else {
            delete qt;
        }
    }
    installedLanguage() = ok ? language : QStringLiteral("en");
    return ok;
}

QString currentLanguage()
{
    return installedLanguage();
}

QString helpGuideUrl()
{
    return currentLanguage() == QLatin1String("zh_CN") ? QStringLiteral("qrc:/help/guide.zh_CN.md")
                                                       : QStringLiteral("qrc:/help/guide.md");
}

} // namespace embedlab
