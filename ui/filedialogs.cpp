#include "ui/filedialogs.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>

namespace embedlab {

namespace {
const char LastDirKey[] = "files/lastDir";
}

QString lastDialogFolder()
{
    QString dir = QSettings().value(QLatin1String(LastDirKey)).toString();
    if (dir.isEmpty() || !QFileInfo(dir).isDir())
        dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    return dir;
}

QString dialogPath(const QString &fileName)
{
    const QString dir = lastDialogFolder();
    return fileName.isEmpty() ? dir : QDir(dir).filePath(fileName);
}

QString rememberDialogPath(const QString &path)
{
    if (!path.isEmpty())
        QSettings().setValue(QLatin1String(LastDirKey), QFileInfo(path).absolutePath());
    return path;
}

QString fileNameStem(const QString &name, const QString &fallback)
{
    QString stem = QFileInfo(name).fileName();
    // A text file's name without its extension; a title ("Pride and Prejudice") as it is.
    static const QRegularExpression textSuffix(
        QStringLiteral("\\.(txt|text|md|csv|tsv|gz)$"), QRegularExpression::CaseInsensitiveOption);
    while (textSuffix.match(stem).hasMatch())
        stem.remove(textSuffix);
    static const QRegularExpression unsafe(QStringLiteral("[^\\w.-]+"));
    stem.replace(unsafe, QStringLiteral("-"));
    while (stem.startsWith(QLatin1Char('-')) || stem.startsWith(QLatin1Char('.')))
        stem.remove(0, 1);
    while (stem.endsWith(QLatin1Char('-')) || stem.endsWith(QLatin1Char('.')))
        stem.chop(1);
    return stem.isEmpty() ? fallback : stem;
}

} // namespace embedlab
