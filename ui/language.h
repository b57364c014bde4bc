#pragma once
// The interface language: which translation the window loads, from the user's setting or the
// system locale, and the files that come in one version per language (the help guide).
#include <QList>
#include <QLocale>
#include <QString>

class QCoreApplication;

namespace embedlab {

struct InterfaceLanguage
{
    QString code; // "" (follow the system), "en" or "zh_CN"
    QString nativeName; // the language's name in itself, as the Language menu shows it
};

// The choices of the Language menu, "follow the system" first.
QList<InterfaceLanguage> interfaceLanguages();

// The saved choice ("" when the system's language is followed).
QString languageSetting();
void setLanguageSetting(const QString &code);

// The language the interface shows for a setting: "zh_CN" for Chinese (any Chinese locale
// when following the system, since Simplified Chinese is the one translation), otherwise "en".
QString resolveLanguage(const QString &setting, const QLocale &system = QLocale::system());

// Loads Embedding Lab's translation for language ("en" or "zh_CN") and Qt's own (the standard
// buttons and dialogs) into app, replacing any loaded before. Returns false when the
// application's translation could not be loaded.
bool installTranslations(QCoreApplication *app, const QString &language);

// The language whose translation is installed ("en" before installTranslations).
QString currentLanguage();

// The user guide in the current language.
QString helpGuideUrl();

} // namespace embedlab
