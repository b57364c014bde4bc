// What the window keeps and what it writes: settings that differ from their defaults are marked
// and named (also after a restart), Restore Defaults puts every one back, in the saved settings
// too; a Projector export names its labels after the vectors, leaves out <pad> and asks before
// replacing a labels file; the loss CSV is one table; dialogs suggest names from the corpus and
// start in the folder used last.
#include <QtTest>

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStatusBar>
#include <QTimer>
#include <QToolButton>

#include <functional>

#include "core/vectors/vectors.h"
#include "ui/corpuspanel.h"
#include "ui/document.h"
#include "ui/importvectorsdialog.h"
#include "ui/losschart.h"
#include "ui/mainwindow.h"
#include "ui/trainingcontroller.h"
#include "ui/trainingpanel.h"

#include "dialogpilot.h"
#include "testworkspace.h"

using namespace embedlab;

namespace {

const QString VectorsFile = QStringLiteral(EMBEDLAB_TEST_DATA "/queries/vectors.txt"); // 50 dims

void openSample(MainWindow &w)
{
    QSignalSpy loaded(&w, &MainWindow::corpusLoaded);
    w.openSampleCorpus(QStringLiteral("en"));
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 30000);
}

// Answers the next modal widget that `accept` takes with `act`, polling every 20 ms.
class ModalAnswer : public QObject
{
public:
    ModalAnswer(std::function<bool(QWidget *)> act)
        : m_act(std::move(act))
    {
        connect(&m_timer, &QTimer::timeout, this, [this] {
            if (QWidget *w = QApplication::activeModalWidget(); w && !m_done)
                m_done = m_act(w);
        });
        m_timer.start(20);
    }
    bool done() const { return m_done; }

private:
    std::function<bool(QWidget *)> m_act;
    QTimer m_timer;
    bool m_done = false;
};

// Clicks `button` of the message box named `name`; its text and informative text go to *seen.
std::function<bool(QWidget *)> clickIn(
    const QString &name, QMessageBox::StandardButton button, QString *seen)
{
    return [name, button, seen](QWidget *w) {
        auto *box = qobject_cast<QMessageBox *>(w);
        if (!box || box->objectName() != name)
            return false;
        if (seen)
            *seen = box->text() + QLatin1Char('\n') + box->informativeText();
        box->button(button)->click();
        return true;
    };
}

// The label QFormLayout shows for `field`.
QLabel *labelOf(QWidget *field)
{
    for (QWidget *p = field->parentWidget(); p; p = p->parentWidget())
        if (auto *form = qobject_cast<QFormLayout *>(p->layout()))
            if (auto *label = qobject_cast<QLabel *>(form->labelForField(field)))
                return label;
    return nullptr;
}

template <typename T> T *field(QWidget *panel, const char *name)
{
    return panel->findChild<T *>(QLatin1String(name));
}

QStringList lines(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QStringList out = QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'));
    if (!out.isEmpty() && out.last().isEmpty())
        out.removeLast();
    return out;
}

// A model for the loaded corpus, untrained: something to save and export.
void createSmallModel(MainWindow &w)
{
    ModelConfig c;
    c.vocabSize = w.corpus()->vocab.size();
    c.embeddingDim = 8;
    c.hiddenSize = 8;
    c.layers = 1;
    w.document()->createModel(c, 1, w.corpusPanel()->options().tokenizer);
}

} // namespace

class TestSettingsFiles : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void changedSettingsAreShownAfterARestart();
    void restoreDefaultsResetsEveryOption();
    void restoreDefaultsCanBeCancelled();
    void adoptedEmbeddingSizeIsShownAsSuch();
    void projectorExportNamesItsLabelsAndLeavesOutPad();
    void projectorExportAsksBeforeReplacingLabels();
    void dialogsSuggestNamesFromTheCorpus();
    // Last: it trains, and the run it records is what later windows would show.
    void lossCsvIsOneTidyTable();

private:
    QTemporaryDir m_settingsDir;
};

void TestSettingsFiles::initTestCase()
{
    // A settings file of this suite's own, empty at the start.
    QVERIFY(m_settingsDir.isValid());
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
    useTemporaryWorkspace();
}

void TestSettingsFiles::init()
{
    // Every test starts from a first start's settings (the workspace kept).
    QSettings settings;
    const QString workspace = settings.value(QStringLiteral("workspace")).toString();
    settings.clear();
    settings.setValue(QStringLiteral("workspace"), workspace);
}

void TestSettingsFiles::changedSettingsAreShownAfterARestart()
{
    {
        MainWindow w;
        w.show();
        QCOMPARE(w.settingsNote(), QString()); // a first start: the defaults
        QVERIFY(w.corpusPanel()->changedSettings().isEmpty());
        QVERIFY(w.trainingPanel()->changedSettings().isEmpty());
        auto *tokens = field<QComboBox>(w.corpusPanel(), "tokenizer");
        QVERIFY(tokens && labelOf(tokens));
        QVERIFY(!labelOf(tokens)->font().bold());
        tokens->setCurrentIndex(tokens->findData(QStringLiteral("char")));
        field<QSpinBox>(w.trainingPanel(), "embeddingDim")->setValue(100);
        w.close(); // writes the settings
    }
    QSettings settings;
    QCOMPARE(settings.value(QStringLiteral("corpus/tokenizer")).toString(), QStringLiteral("char"));
    QCOMPARE(settings.value(QStringLiteral("training/embeddingDim")).toInt(), 100);

    // The next start shows them as what they are.
    MainWindow w;
    QCOMPARE(w.corpusPanel()->options().tokenizer.mode, TokenizerMode::Char);
    QCOMPARE(w.trainingPanel()->modelConfig(3).embeddingDim, 100);
    auto *tokens = field<QComboBox>(w.corpusPanel(), "tokenizer");
    QLabel *tokensLabel = labelOf(tokens);
    QVERIFY(tokensLabel->font().bold());
    QVERIFY2(tokensLabel->toolTip().contains(QStringLiteral("Default: Words")),
        qPrintable(tokensLabel->toolTip()));
    QLabel *dimLabel = labelOf(field<QSpinBox>(w.trainingPanel(), "embeddingDim"));
    QVERIFY(dimLabel->font().bold());
    QVERIFY2(dimLabel->toolTip().contains(QStringLiteral("Default: 200")),
        qPrintable(dimLabel->toolTip()));
    QVERIFY(!labelOf(field<QSpinBox>(w.trainingPanel(), "hidden"))->font().bold());
    const QString note = w.settingsNote();
    QVERIFY2(note.contains(QStringLiteral("Characters")) && note.contains(QStringLiteral("100"))
            && note.contains(QStringLiteral("Restore Defaults")),
        qPrintable(note));
    const auto corpusChanges = w.corpusPanel()->changedSettings();
    QCOMPARE(corpusChanges.size(), 1);
    QCOMPARE(corpusChanges[0].value, QStringLiteral("Characters"));
    QCOMPARE(corpusChanges[0].defaultValue, QStringLiteral("Words"));

    // Back to the default by hand: the mark goes.
    tokens->setCurrentIndex(tokens->findData(QStringLiteral("word")));
    QVERIFY(!tokensLabel->font().bold());
    QVERIFY(!tokensLabel->toolTip().contains(QStringLiteral("Default:")));
    QVERIFY(!w.settingsNote().contains(QStringLiteral("Characters")));
    QVERIFY(w.settingsNote().contains(QStringLiteral("100")));
}

void TestSettingsFiles::restoreDefaultsResetsEveryOption()
{
    {
        MainWindow w;
        w.show();
        CorpusOptions o = w.corpusPanel()->options();
        o.tokenizer.mode = TokenizerMode::Char;
        o.tokenizer.lowercase = true;
        o.tokenizer.cjk = CjkSegmentation::Chars;
        o.tokenizer.normalize = Normalization::Nfkc;
        o.minCount = 3;
        o.maxVocab = 500;
        o.validFraction = 0.25;
        w.corpusPanel()->setOptions(o);
        ModelConfig m;
        m.cell = CellKind::Gru;
        m.embeddingDim = 32;
        m.hiddenSize = 48;
        m.layers = 1;
        m.dropout = 0.5;
        w.trainingPanel()->setModelConfig(m);
        TrainConfig t;
        t.batch = 8;
        t.bptt = 12;
        t.optimizer = OptimizerKind::Adam;
        t.lr = 0.01;
        t.clip = 1;
        t.seed = 7;
        t.freezeEmbedding = true;
        w.trainingPanel()->setTrainConfig(t);
        w.trainingPanel()->setEpochs(3);
        w.trainingPanel()->setAutosaveMinutes(0);
        QCOMPARE(w.corpusPanel()->changedSettings().size(), 7);
        QCOMPARE(w.trainingPanel()->changedSettings().size(), 14); // all but the tied decoder
        w.close();
    }
    MainWindow w;
    w.show();
    openSample(w); // character-tokenised, as the settings say
    QCOMPARE(w.document()->corpusOptions().tokenizer.mode, TokenizerMode::Char);
    const int charVocab = w.corpus()->vocab.size();
    QVERIFY(!w.settingsNote().isEmpty());

    auto *action = w.findChild<QAction *>(QStringLiteral("restoreDefaultsAction"));
    QVERIFY(action && action->isEnabled());
    QString prompt;
    ModalAnswer answer(clickIn(QStringLiteral("restoreDefaultsPrompt"), QMessageBox::Yes, &prompt));
    QSignalSpy loaded(&w, &MainWindow::corpusLoaded);
    action->trigger();
    QVERIFY(answer.done());
    // The prompt names what changes, and that the text is read again.
    for (const char *line :
        { "Tokens: Characters (default: Words)", "Embedding dim: 32 (default: 200)",
            "Optimizer: Adam (default: SGD", "Autosave every: off (default: 10 min)",
            "Validation share: 0.25 (default: 0.1)", "tokenised again" })
        QVERIFY2(prompt.contains(QLatin1String(line)), qPrintable(line + (": " + prompt)));

    // Every option is its default, in the panels and in the saved settings.
    const CorpusOptions d = CorpusPanel::defaultOptions();
    const CorpusOptions o = w.corpusPanel()->options();
    QVERIFY(sameTokenization(o.tokenizer, d.tokenizer));
    QCOMPARE(o.tokenizer.mode, TokenizerMode::Word);
    QCOMPARE(o.minCount, d.minCount);
    QCOMPARE(o.maxVocab, std::size_t(10000));
    QCOMPARE(o.validFraction, d.validFraction);
    const ModelConfig m = w.trainingPanel()->modelConfig(3);
    const ModelConfig dm = TrainingPanel::defaultModelConfig();
    QCOMPARE(m.cell, dm.cell);
    QCOMPARE(m.embeddingDim, 200);
    QCOMPARE(m.hiddenSize, dm.hiddenSize);
    QCOMPARE(m.layers, dm.layers);
    QCOMPARE(m.dropout, dm.dropout);
    QCOMPARE(m.tied, dm.tied);
    const TrainConfig t = w.trainingPanel()->trainConfig();
    const TrainConfig dt = TrainingPanel::defaultTrainConfig();
    QCOMPARE(t.batch, dt.batch);
    QCOMPARE(t.bptt, dt.bptt);
    QCOMPARE(t.epochs, 10);
    QCOMPARE(t.optimizer, OptimizerKind::Sgd);
    QCOMPARE(t.lr, 20.0);
    QCOMPARE(t.clip, dt.clip);
    QCOMPARE(t.seed, dt.seed);
    QCOMPARE(t.freezeEmbedding, false);
    QCOMPARE(w.trainingPanel()->autosaveMinutes(), TrainingPanel::DefaultAutosaveMinutes);
    QVERIFY(w.corpusPanel()->changedSettings().isEmpty());
    QVERIFY(w.trainingPanel()->changedSettings().isEmpty());
    QCOMPARE(w.settingsNote(), QString());
    QVERIFY(!labelOf(field<QComboBox>(w.corpusPanel(), "tokenizer"))->font().bold());

    QSettings settings;
    QCOMPARE(settings.value(QStringLiteral("corpus/tokenizer")).toString(), QStringLiteral("word"));
    QCOMPARE(settings.value(QStringLiteral("corpus/lowercase")).toBool(), false);
    QCOMPARE(settings.value(QStringLiteral("corpus/cjk")).toString(), QStringLiteral("words"));
    QCOMPARE(settings.value(QStringLiteral("corpus/normalize")).toString(), QStringLiteral("none"));
    QCOMPARE(settings.value(QStringLiteral("corpus/minCount")).toInt(), 1);
    QCOMPARE(settings.value(QStringLiteral("corpus/maxVocab")).toInt(), 10000);
    QCOMPARE(settings.value(QStringLiteral("corpus/validFraction")).toDouble(), 0.1);
    QCOMPARE(settings.value(QStringLiteral("training/embeddingDim")).toInt(), 200);
    QCOMPARE(settings.value(QStringLiteral("training/hidden")).toInt(), 200);
    QCOMPARE(settings.value(QStringLiteral("training/layers")).toInt(), 2);
    QCOMPARE(settings.value(QStringLiteral("training/cell")).toString(), QStringLiteral("lstm"));
    QCOMPARE(settings.value(QStringLiteral("training/epochs")).toInt(), 10);
    QCOMPARE(settings.value(QStringLiteral("training/lr")).toDouble(), 20.0);
    QCOMPARE(settings.value(QStringLiteral("training/frozen")).toBool(), false);
    QCOMPARE(settings.value(QStringLiteral("training/autosaveMinutes")).toInt(), 10);

    // The corpus is read again with the default tokenizer: words, not characters.
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 30000);
    QCOMPARE(w.document()->corpusOptions().tokenizer.mode, TokenizerMode::Word);
    QVERIFY2(w.corpus()->vocab.size() > 10 * charVocab, qPrintable(QString::number(charVocab)));

    // Nothing left to restore: no prompt, a message says so.
    action->trigger();
    QCOMPARE(
        w.statusBar()->currentMessage(), QStringLiteral("The settings are the defaults already"));
}

void TestSettingsFiles::restoreDefaultsCanBeCancelled()
{
    MainWindow w;
    w.show();
    auto *tokens = field<QComboBox>(w.corpusPanel(), "tokenizer");
    tokens->setCurrentIndex(tokens->findData(QStringLiteral("char")));
    field<QSpinBox>(w.trainingPanel(), "layers")->setValue(3);
    // The Training panel's button asks about its own settings only.
    QString prompt;
    {
        ModalAnswer answer(
            clickIn(QStringLiteral("restoreDefaultsPrompt"), QMessageBox::Cancel, &prompt));
        QTest::mouseClick(w.trainingPanel()->restoreDefaultsButton(), Qt::LeftButton);
        QVERIFY(answer.done());
    }
    QVERIFY2(prompt.contains(QStringLiteral("Layers: 3 (default: 2)")), qPrintable(prompt));
    QVERIFY2(!prompt.contains(QStringLiteral("Tokens")), qPrintable(prompt));
    QCOMPARE(w.trainingPanel()->modelConfig(3).layers, 3);
    QCOMPARE(w.corpusPanel()->options().tokenizer.mode, TokenizerMode::Char);
    {
        ModalAnswer answer(
            clickIn(QStringLiteral("restoreDefaultsPrompt"), QMessageBox::Yes, &prompt));
        QTest::mouseClick(w.trainingPanel()->restoreDefaultsButton(), Qt::LeftButton);
        QVERIFY(answer.done());
    }
    QCOMPARE(w.trainingPanel()->modelConfig(3).layers, 2);
    QCOMPARE(w.corpusPanel()->options().tokenizer.mode, TokenizerMode::Char); // not asked about
    QVERIFY(w.settingsNote().contains(QStringLiteral("Characters")));
}

void TestSettingsFiles::adoptedEmbeddingSizeIsShownAsSuch()
{
    {
        MainWindow w;
        w.show();
        openSample(w);
        DialogPilot pilot;
        pilot.initialiseEmbedding = true;
        QSignalSpy imported(&w, &MainWindow::vectorsImported);
        w.importVectors(VectorsFile);
        QTRY_COMPARE_WITH_TIMEOUT(imported.count(), 1, 30000);
        QCOMPARE(w.model()->config().embeddingDim, 50);
        QCOMPARE(w.trainingPanel()->modelConfig(3).embeddingDim, 50);
        QCOMPARE(w.trainingPanel()->embeddingSource(), QStringLiteral("vectors.txt"));
        QLabel *dim = labelOf(field<QSpinBox>(w.trainingPanel(), "embeddingDim"));
        QVERIFY(dim->font().bold());
        QVERIFY2(dim->toolTip().contains(QStringLiteral("Adopted from vectors.txt"))
                && dim->toolTip().contains(QStringLiteral("Default: 200")),
            qPrintable(dim->toolTip()));
        QVERIFY2(w.settingsNote().contains(QStringLiteral("50")), qPrintable(w.settingsNote()));
        w.close(); // the pilot discards the unsaved model
    }
    {
        // After a restart the size still says where it came from.
        MainWindow w;
        QCOMPARE(w.trainingPanel()->modelConfig(3).embeddingDim, 50);
        QCOMPARE(w.trainingPanel()->embeddingSource(), QStringLiteral("vectors.txt"));
        QLabel *dim = labelOf(field<QSpinBox>(w.trainingPanel(), "embeddingDim"));
        QVERIFY(dim->toolTip().contains(QStringLiteral("Adopted from vectors.txt")));
        const auto changes = w.trainingPanel()->changedSettings();
        QCOMPARE(changes.size(), 1);
        QCOMPARE(changes[0].note, QStringLiteral("Adopted from vectors.txt"));
        // A size typed in is the user's own.
        field<QSpinBox>(w.trainingPanel(), "embeddingDim")->setValue(64);
        QCOMPARE(w.trainingPanel()->embeddingSource(), QString());
        QVERIFY(!dim->toolTip().contains(QStringLiteral("Adopted")));
    }
    // The import dialog starts with the file it read last.
    ImportVectorsDialog dialog(nullptr, 200);
    QCOMPARE(dialog.path(), QFileInfo(VectorsFile).absoluteFilePath());
}

void TestSettingsFiles::projectorExportNamesItsLabelsAndLeavesOutPad()
{
    QTemporaryDir dir;
    MainWindow w;
    w.show();
    openSample(w);
    createSmallModel(w);
    const Vocabulary &vocab = w.document()->modelVocab();
    QCOMPARE(vocab.word(0), std::string("<pad>"));

    const QString tsv = dir.filePath(QStringLiteral("austen.tsv"));
    const QString labels = dir.filePath(QStringLiteral("austen_metadata.tsv"));
    QCOMPARE(MainWindow::exportCompanion(tsv), labels);
    QSignalSpy exported(&w, &MainWindow::embeddingExported);
    QVERIFY(w.exportEmbeddingAs(tsv));
    QTRY_COMPARE_WITH_TIMEOUT(exported.count(), 1, 20000);
    // The message names both files.
    const QString message = w.statusBar()->currentMessage();
    QVERIFY2(message.contains(tsv) && message.contains(labels), qPrintable(message));
    QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("metadata.tsv"))));

    // One row per word but <pad>, in both files, in the same order.
    const QStringList rows = lines(tsv);
    const QStringList words = lines(labels);
    QCOMPARE(rows.size(), vocab.size() - 1);
    QCOMPARE(words.size(), rows.size());
    QVERIFY(!words.contains(QStringLiteral("<pad>")));
    for (int i = 0; i < words.size(); ++i)
        QCOMPARE(words[i], QString::fromStdString(vocab.word(i + 1)));
    for (const QString &row : rows)
        QCOMPARE(row.split(QLatin1Char('\t')).size(), 8);
    // Read back, the labels are found beside the vectors by their name.
    ImportReport report;
    const WordVectors back = readVectors(tsv.toStdString(), {}, &report);
    QCOMPARE(report.metadataPath, labels.toStdString());
    QCOMPARE(back.size(), std::size_t(vocab.size() - 1));
    QCOMPARE(back.word(0), vocab.word(1));

    // Other formats keep <pad> as row 0 (a matrix for Keras pads with it).
    const QString txt = dir.filePath(QStringLiteral("austen.txt"));
    QVERIFY(w.exportEmbeddingAs(txt));
    QTRY_COMPARE_WITH_TIMEOUT(exported.count(), 2, 20000);
    const WordVectors text = readVectors(txt.toStdString());
    QCOMPARE(text.size(), std::size_t(vocab.size()));
    QCOMPARE(text.word(0), std::string("<pad>"));
    QCOMPARE(MainWindow::exportCompanion(txt), QString());
}

void TestSettingsFiles::projectorExportAsksBeforeReplacingLabels()
{
    QTemporaryDir dir;
    MainWindow w;
    w.show();
    openSample(w);
    createSmallModel(w);
    const QString tsv = dir.filePath(QStringLiteral("vectors.tsv"));
    const QString labels = dir.filePath(QStringLiteral("vectors_metadata.tsv"));
    {
        QFile f(labels);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("kept\n");
    }
    QSignalSpy exported(&w, &MainWindow::embeddingExported);
    QString prompt;
    {
        ModalAnswer answer(
            clickIn(QStringLiteral("replaceLabelsPrompt"), QMessageBox::Cancel, &prompt));
        QVERIFY(!w.exportEmbeddingAs(tsv));
        QVERIFY(answer.done());
    }
    QVERIFY2(prompt.contains(QStringLiteral("vectors.tsv"))
            && prompt.contains(QStringLiteral("vectors_metadata.tsv")),
        qPrintable(prompt));
    QCOMPARE(lines(labels), QStringList { QStringLiteral("kept") });
    QVERIFY(!QFileInfo::exists(tsv));
    QTest::qWait(100);
    QCOMPARE(exported.count(), 0);
    {
        ModalAnswer answer(
            clickIn(QStringLiteral("replaceLabelsPrompt"), QMessageBox::Yes, nullptr));
        QVERIFY(w.exportEmbeddingAs(tsv));
        QVERIFY(answer.done());
    }
    QTRY_COMPARE_WITH_TIMEOUT(exported.count(), 1, 20000);
    QCOMPARE(lines(labels).size(), w.document()->modelVocab().size() - 1);
    // No labels file yet: nothing to ask.
    bool asked = false;
    ModalAnswer none([&](QWidget *) { return asked = true; });
    QVERIFY(w.exportEmbeddingAs(dir.filePath(QStringLiteral("other.tsv"))));
    QTRY_COMPARE_WITH_TIMEOUT(exported.count(), 2, 20000);
    QVERIFY(!asked);
    QVERIFY(QFileInfo::exists(dir.filePath(QStringLiteral("other_metadata.tsv"))));
}

void TestSettingsFiles::lossCsvIsOneTidyTable()
{
    MainWindow w;
    w.show();
    openSample(w);
    ModelConfig small;
    small.embeddingDim = 16;
    small.hiddenSize = 16;
    small.layers = 1;
    w.trainingPanel()->setModelConfig(small);
    QSignalSpy finished(w.controller(), &TrainingController::finished);
    QTest::mouseClick(w.trainingPanel()->startButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(w.lossChart()->pointCount() > 5, 30000);
    w.controller()->stop();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
    // An epoch as the chart gets one at an epoch's end (a whole epoch of the sample is long).
    EpochPoint e;
    e.epoch = 1;
    e.step = w.lossChart()->points()[2].step;
    e.tokens = 1;
    e.trainLoss = 7.5;
    e.validLoss = 7.25;
    e.validPerplexity = std::exp(7.25);
    e.lr = 5;
    e.lrCut = true;
    w.lossChart()->addEpoch(e);

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("loss.csv"));
    QVERIFY2(w.lossChart()->exportCsv(path), qPrintable(w.lossChart()->lastError()));
    const QStringList rows = lines(path);
    const QString header = QStringLiteral(
        "series,step,tokens,seconds,epoch,loss,smoothed,perplexity,lr,grad_norm,lr_cut");
    QCOMPARE(rows.value(0), header);
    QCOMPARE(rows.count(header), 1); // one header, no second table
    // A row per window and two per epoch (the one added here, and any the run recorded).
    QCOMPARE(rows.size(), 1 + w.lossChart()->points().size() + 2 * w.lossChart()->epochs().size());
    QSet<QString> series;
    for (const QString &row : rows) {
        QVERIFY2(!row.isEmpty(), "no blank line");
        QCOMPARE(row.count(QLatin1Char(',')), header.count(QLatin1Char(',')));
        series.insert(row.section(QLatin1Char(','), 0, 0));
    }
    QCOMPARE(series,
        (QSet<QString> { QStringLiteral("series"), QStringLiteral("train"),
            QStringLiteral("train_epoch"), QStringLiteral("valid") }));
    // The epoch's rows follow its last window.
    const int at = rows.indexOf(QRegularExpression(QStringLiteral("^valid,%1,.*").arg(e.step)));
    QVERIFY(at > 2);
    QVERIFY(rows[at].startsWith(QStringLiteral("valid,%1,").arg(e.step)));
    QVERIFY(rows[at - 1].startsWith(QStringLiteral("train_epoch,%1,").arg(e.step)));
    QVERIFY(rows[at - 2].startsWith(QStringLiteral("train,%1,").arg(e.step)));
    QVERIFY(rows[at].endsWith(QStringLiteral(",1")));
}

void TestSettingsFiles::dialogsSuggestNamesFromTheCorpus()
{
    QTemporaryDir dir;
    const QString corpusPath = dir.filePath(QStringLiteral("austen.txt"));
    QVERIFY(QFile::copy(QStringLiteral(EMBEDLAB_SAMPLE_CORPUS), corpusPath));
    QTemporaryDir last;
    QSettings().setValue(QStringLiteral("files/lastDir"), last.path());
    MainWindow w;
    w.show();
    QSignalSpy loaded(&w, &MainWindow::corpusLoaded);
    w.openCorpus(corpusPath);
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 30000);
    createSmallModel(w);

    // What each save dialog suggests, and the folder it opens in.
    const auto suggestion = [&](const std::function<void()> &open) {
        QString name, folder;
        ModalAnswer answer([&](QWidget *widget) {
            auto *files = qobject_cast<QFileDialog *>(widget);
            if (!files)
                return false;
            if (auto *edit = files->findChild<QLineEdit *>(QStringLiteral("fileNameEdit")))
                name = edit->text();
            folder = files->directory().absolutePath();
            files->reject();
            return true;
        });
        open();
        return QStringList { name, folder };
    };
    const QString lastFolder = QDir(last.path()).absolutePath();
    QAction *saveAs = nullptr;
    QAction *exportAct = nullptr;
    for (QAction *a : w.findChildren<QAction *>()) {
        if (a->text() == QLatin1String("Save Model &As..."))
            saveAs = a;
        if (a->text() == QLatin1String("&Export Embedding..."))
            exportAct = a;
    }
    QVERIFY(saveAs && exportAct);
    QTRY_VERIFY(saveAs->isEnabled() && exportAct->isEnabled()); // the model is there
    QCOMPARE(suggestion([&] { saveAs->trigger(); }),
        (QStringList { QStringLiteral("austen.safetensors"), lastFolder }));
    QCOMPARE(suggestion([&] { exportAct->trigger(); }),
        (QStringList { QStringLiteral("austen_embedding.txt"), lastFolder }));
    QAction *csv = nullptr;
    for (QAction *a : w.lossChart()->findChildren<QAction *>())
        if (a->text().startsWith(QLatin1String("CSV")))
            csv = a;
    QVERIFY(csv);
    QCOMPARE(suggestion([&] { csv->trigger(); }),
        (QStringList { QStringLiteral("austen_loss.csv"), lastFolder }));

    // A file chosen in a dialog moves the folder the next one opens in.
    QTemporaryDir other;
    DialogPilot pilot;
    pilot.savePath = QDir(other.path()).filePath(QStringLiteral("mine.safetensors"));
    QSignalSpy saved(&w, &MainWindow::modelSaved);
    saveAs->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, 20000);
    pilot.savePath.clear();
    QCOMPARE(QSettings().value(QStringLiteral("files/lastDir")).toString(),
        QDir(other.path()).absolutePath());
    QCOMPARE(suggestion([&] { exportAct->trigger(); }).value(1), QDir(other.path()).absolutePath());
}

QTEST_MAIN(TestSettingsFiles)
#include "tst_settings_files.moc"
