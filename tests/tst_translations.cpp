// The interface in Simplified Chinese: the translation loads from the resources, every visible
// string of the window is translated, the language follows the setting or the system, the guide
// and the sample come in Chinese too, and the English plural forms read right.
#include <QtTest>

#include <QAbstractButton>
#include <QComboBox>
#include <QDockWidget>
#include <QFile>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QRegularExpression>
#include <QSpinBox>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTextBrowser>

#include "ui/bookmarksdialog.h"
#include "ui/classifierwindow.h"
#include "ui/comparedialog.h"
#include "ui/evaluatedialog.h"
#include "ui/importvectorsdialog.h"
#include "ui/language.h"
#include "ui/mainwindow.h"

#include "testworkspace.h"

using namespace embedlab;

namespace {

bool hasHan(const QString &text)
{
    for (const QChar c : text)
        if (c.unicode() >= 0x4E00 && c.unicode() <= 0x9FFF)
            return true;
    return false;
}

// Text a translation has to change: no Chinese in it, and letters that are not a name, a unit or
// a placeholder. The names are the ones the translation keeps in Latin letters (methods,
// formats, libraries, axes).
bool needsTranslation(QString text)
{
    if (hasHan(text))
        return false; // translated, technical names in it or not
    text.remove(QLatin1Char('&'));
    static const QRegularExpression kept(QStringLiteral(
        "\\b(Embedding Lab|PCA|t-SNE|UMAP|LSTM|GRU|RNN|tanh|relu|ReLU|SGD|Adam|GloVe|word2vec|"
        "fastText|PyTorch|gensim|TensorBoard|CSV|TSV|PNG|PDF|JSON|safetensors|3CosAdd|3CosMul|Qt|"
        "Ctrl|Shift|Alt|Esc|English|KL|OOV|BPTT|N|x|k|[A-Z]|dropout|Dropout|lr|ms|s|MB|KB|GB|e|"
        "PC[0-9]+|KiB|MiB|GiB|NFC|NFKC|"
        "bin|vec|txt|gz)\\b"));
    text.remove(kept);
    static const QRegularExpression word(QStringLiteral("[A-Za-z]{2,}"));
    return text.contains(word);
}

// The texts of root's menus and visible widgets that are still in English.
QStringList untranslatedTexts(QWidget &root)
{
    QMenuBar *menuBar = root.findChild<QMenuBar *>();
    QStringList untranslated;
    auto check = [&](const QString &where, const QString &text) {
        if (needsTranslation(text))
            untranslated << where + QStringLiteral(": ") + text;
    };
    std::function<void(QMenu *, const QString &)> walkMenu = [&](QMenu *menu, const QString &path) {
        for (QAction *a : menu->actions()) {
            if (a->isSeparator())
                continue;
            if (a->menu())
                walkMenu(a->menu(), path + QStringLiteral(" > ") + a->text());
            // Recent files are paths, not interface text.
            if (menu->objectName() != QLatin1String("languageMenu")
                && !a->text().contains(QLatin1Char('/')))
                check(path, a->text());
            check(path + QStringLiteral(" (status tip)"), a->statusTip());
        }
    };
    for (QAction *a : (menuBar ? menuBar->actions() : QList<QAction *>())) {
        check(QStringLiteral("menu bar"), a->text());
        if (a->menu())
            walkMenu(a->menu(), a->text());
    }
    for (QWidget *widget : root.findChildren<QWidget *>()) {
        if (!widget->isVisibleTo(&root))
            continue;
        const QString name = QString::fromLatin1(widget->metaObject()->className());
        if (auto *b = qobject_cast<QAbstractButton *>(widget))
            check(name, b->text());
        if (auto *l = qobject_cast<QLabel *>(widget))
            check(name, l->text());
        if (auto *g = qobject_cast<QGroupBox *>(widget))
            check(name, g->title());
        if (auto *d = qobject_cast<QDockWidget *>(widget))
            check(name, d->windowTitle());
        if (auto *e = qobject_cast<QLineEdit *>(widget))
            check(name + QStringLiteral(" placeholder"), e->placeholderText());
        if (auto *t = qobject_cast<QTabWidget *>(widget))
            for (int i = 0; i < t->count(); ++i)
                check(name, t->tabText(i));
        if (auto *c = qobject_cast<QComboBox *>(widget))
            for (int i = 0; i < c->count(); ++i)
                if (!c->isEditable())
                    check(name, c->itemText(i));
        check(name + QStringLiteral(" tooltip"), widget->toolTip());
    }
    return untranslated;
}

class TranslationsTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { useTemporaryWorkspace(); }
    void cleanup() { installTranslations(qApp, QStringLiteral("en")); }

    void languageFollowsTheSettingOrTheSystem_data()
    {
        QTest::addColumn<QString>("setting");
        QTest::addColumn<QString>("system");
        QTest::addColumn<QString>("expected");
        QTest::newRow("system Chinese") << QString() << "zh_CN"
                                        << "zh_CN";
        QTest::newRow("system Taiwan") << QString() << "zh_TW"
                                       << "zh_CN";
        QTest::newRow("system German") << QString() << "de_DE"
                                       << "en";
        QTest::newRow("system C") << QString() << "C"
                                  << "en";
        QTest::newRow("English on Chinese") << "en"
                                            << "zh_CN"
                                            << "en";
        QTest::newRow("Chinese on English") << "zh_CN"
                                            << "en_US"
                                            << "zh_CN";
        QTest::newRow("unknown setting") << "fr"
                                         << "en_GB"
                                         << "en";
    }
    void languageFollowsTheSettingOrTheSystem()
    {
        QFETCH(QString, setting);
        QFETCH(QString, system);
        QFETCH(QString, expected);
        QCOMPARE(resolveLanguage(setting, QLocale(system)), expected);
    }

    void settingIsRemembered()
    {
        setLanguageSetting(QStringLiteral("zh_CN"));
        QCOMPARE(languageSetting(), QStringLiteral("zh_CN"));
        setLanguageSetting(QString());
        QCOMPARE(languageSetting(), QString());
    }

    void chineseTranslationLoads()
    {
        QVERIFY(installTranslations(qApp, QStringLiteral("zh_CN")));
        QCOMPARE(currentLanguage(), QStringLiteral("zh_CN"));
        const QString file = QCoreApplication::translate("embedlab::MainWindow", "&File");
        QVERIFY2(hasHan(file), qPrintable(file));
        // Qt's own strings (standard buttons) come from Qt's translation.
        QVERIFY(hasHan(QCoreApplication::translate("QPlatformTheme", "Cancel")));
        QVERIFY(installTranslations(qApp, QStringLiteral("en")));
        QCOMPARE(
            QCoreApplication::translate("embedlab::MainWindow", "&File"), QStringLiteral("&File"));
    }

    void everyVisibleStringIsTranslated()
    {
        QVERIFY(installTranslations(qApp, QStringLiteral("zh_CN")));
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        QSignalSpy loaded(&w, &MainWindow::corpusLoaded);
        w.openSampleCorpus(QStringLiteral("en")); // the English text, so words are Latin
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 30000);

        QStringList untranslated = untranslatedTexts(w);
        for (const QString &line : std::as_const(untranslated))
            qWarning("untranslated: %s", qPrintable(line));
        QCOMPARE(untranslated.size(), 0);
    }

    void everyMessageOfTheTranslationIsFinished()
    {
        // Qt Linguist's file: an unfinished message would show its English source.
        QFile ts(
            QStringLiteral(EMBEDLAB_TEST_DATA "/../../resources/translations/embedlab_zh_CN.ts"));
        QVERIFY(ts.open(QIODevice::ReadOnly));
        const QByteArray text = ts.readAll();
        QVERIFY(text.count("<message") > 500);
        QCOMPARE(text.count("type=\"unfinished\""), 0);
        QCOMPARE(text.count("type=\"vanished\""), 0);
        QCOMPARE(text.count("type=\"obsolete\""), 0);
    }

    void dialogsAreTranslated()
    {
        QVERIFY(installTranslations(qApp, QStringLiteral("zh_CN")));
        QStringList untranslated;
        const auto collect = [&](QWidget &dialog, const char *name) {
            dialog.show();
            QVERIFY(hasHan(dialog.windowTitle()));
            for (const QString &line : untranslatedTexts(dialog))
                if (!line.endsWith(QLatin1String(": austen"))
                    && !line.endsWith(QLatin1String(": pride.txt"))) // the base run's names
                    untranslated << QLatin1String(name) + QStringLiteral(": ") + line;
        };
        ImportVectorsDialog import(nullptr, 200);
        collect(import, "Import Vectors");
        EvaluateDialog evaluate;
        collect(evaluate, "Evaluate Vectors");
        evaluate.showAnalogies();
        collect(evaluate, "Evaluate Vectors, analogies");
        RunSettings base;
        base.name = "austen";
        base.corpus.name = "pride.txt";
        CompareDialog compare(base);
        collect(compare, "Compare");
        BookmarksDialog bookmarks({});
        collect(bookmarks, "Manage Bookmarks");
        for (const QString &line : std::as_const(untranslated))
            qWarning("untranslated: %s", qPrintable(line));
        QCOMPARE(untranslated.size(), 0);
    }

    void classifierWindowIsTranslated()
    {
        // A labelled corpus with Chinese labels and a model trained on it: every tab, figure
        // and the prediction box are in Chinese.
        QVERIFY(installTranslations(qApp, QStringLiteral("zh_CN")));
        QTemporaryDir dir;
        const QString path = dir.filePath(
            QString::fromUtf8("\xe5\xbd\xb1\xe8\xaf\x84.tsv")); // 影评.tsv, not English
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        for (int i = 0; i < 60; ++i)
            file.write(i % 2 ? "\xe5\xa5\xbd\t\xe5\xa5\xbd \xe7\x9c\x8b\n"
                             : "\xe5\x9d\x8f\t\xe5\x9d\x8f \xe7\x9c\x8b\n"); // 好/坏: 好看, 坏看
        file.close();

        ClassifierWindow w;
        w.resize(1400, 900);
        w.show();
        QVERIFY(hasHan(w.windowTitle()));
        QSignalSpy loaded(&w, &ClassifierWindow::corpusLoaded);
        w.openCorpus(path);
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 30000);
        for (const char *name : { "embeddingDim", "hidden" })
            w.findChild<QSpinBox *>(QLatin1String(name))->setValue(4);
        w.findChild<QSpinBox *>(QStringLiteral("epochs"))->setValue(1);
        QSignalSpy finished(&w, &ClassifierWindow::trainingFinished);
        w.startTraining();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);

        QStringList untranslated = untranslatedTexts(w);
        auto *tabs = w.findChild<QTabWidget *>();
        QVERIFY(tabs);
        tabs->setCurrentIndex(1); // the map and its legend
        untranslated << untranslatedTexts(w);
        untranslated.removeDuplicates();
        for (const QString &line : std::as_const(untranslated))
            qWarning("untranslated: %s", qPrintable(line));
        QCOMPARE(untranslated.size(), 0);
    }

    void helpGuideInChinese()
    {
        QCOMPARE(helpGuideUrl(), QStringLiteral("qrc:/help/guide.md"));
        QVERIFY(installTranslations(qApp, QStringLiteral("zh_CN")));
        QCOMPARE(helpGuideUrl(), QStringLiteral("qrc:/help/guide.zh_CN.md"));
        QFile guide(QStringLiteral(":/help/guide.zh_CN.md"));
        QVERIFY(guide.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(guide.readAll());
        QVERIFY(text.startsWith(QLatin1Char('#')));
        int han = 0;
        for (const QChar c : text)
            han += c.unicode() >= 0x4E00 && c.unicode() <= 0x9FFF;
        QVERIFY2(han > 1000, qPrintable(QString::number(han)));
    }

    void englishPluralForms()
    {
        QVERIFY(installTranslations(qApp, QStringLiteral("en")));
        const char *source = "Delete %n run(s) and their recorded history? This cannot be undone.";
        const QString one = QCoreApplication::translate("embedlab::MainWindow", source, nullptr, 1);
        const QString two = QCoreApplication::translate("embedlab::MainWindow", source, nullptr, 2);
        QVERIFY2(!one.contains(QLatin1String("(s)")) && one.contains(QLatin1String("1 run ")),
            qPrintable(one));
        QVERIFY2(two.contains(QLatin1String("2 runs")), qPrintable(two));
    }
};

} // namespace

QTEST_MAIN(TranslationsTest)
#include "tst_translations.moc"
