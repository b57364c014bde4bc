// Bad files picked in the real window: each one shows a message naming the file, and the
// corpus, the imported vectors and the model the window had before stay exactly as they were.
// The files are the collection in tests/data/bad/ (their exact messages are checked through the
// engine and the CLI in tst_bad_inputs).
#include <QtTest>

#include <QDoubleSpinBox>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QStatusBar>
#include <QTextBrowser>

#include "core/fileio.h"
#include "core/trainstate.h"
#include "ui/corpuspanel.h"
#include "ui/importvectorsdialog.h"
#include "ui/losschart.h"
#include "ui/mainwindow.h"
#include "ui/neighborspanel.h"
#include "ui/trainingcontroller.h"
#include "ui/trainingpanel.h"

#include "filesizelimit.h"

#include "dialogpilot.h"
#include "testworkspace.h"

using namespace embedlab;

namespace {

QString bad(const QString &name)
{
    return QStringLiteral(EMBEDLAB_TEST_DATA "/bad/") + name;
}

// Opens the bundled corpus and sets a small, fast model (E = H = 16, one layer).
void openSampleWithSmallModel(MainWindow &w)
{
    QSignalSpy loaded(&w, &MainWindow::corpusLoaded);
    w.openSampleCorpus();
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 30000);
    ModelConfig small;
    small.embeddingDim = 16;
    small.hiddenSize = 16;
    small.layers = 1;
    w.trainingPanel()->setModelConfig(small);
}

} // namespace

class TestWindowFaults : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void badCorpus_data();
    void badCorpus();
    void badVectors_data();
    void badVectors();
    void badModel_data();
    void badModel();
    void unwritableSaveKeepsTheModelAndTheFile();
    void closingWhileReadingACorpusEndsPromptly();
    void importStatesTheMemoryBeforeReading();
    void modelFileReportHasNoRowEstimate();
    void corpusOfRareWordsIsNotTrainedOn();
    void divergedRunKeepsTheLastGoodWeights_data();
    void divergedRunKeepsTheLastGoodWeights();

private:
    // The state that must survive every bad file.
    void verifyUnchanged();

    std::unique_ptr<MainWindow> m_window;
    DialogPilot *m_pilot = nullptr;
    const Corpus *m_corpus = nullptr;
    const LanguageModel<float> *m_model = nullptr;
    std::shared_ptr<const WordVectors> m_table;
    QString m_title;
    int m_lossPoints = 0;
    QList<QPair<QString, double>> m_neighbors;
};

void TestWindowFaults::initTestCase()
{
    useTemporaryWorkspace();
    m_pilot = new DialogPilot;
    m_window = std::make_unique<MainWindow>();
    MainWindow &w = *m_window;
    w.resize(1200, 800);
    w.show();
    openSampleWithSmallModel(w);

    // The small model, trained a little.
    QSignalSpy finished(w.controller(), &TrainingController::finished);
    w.trainingPanel()->startButton()->click();
    QTRY_VERIFY_WITH_TIMEOUT(w.lossChart()->pointCount() > 5, 30000);
    w.controller()->stop();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);

    // Vectors imported to explore: the neighbours panel and the map show them.
    QSignalSpy imported(&w, &MainWindow::vectorsImported);
    w.importVectors(QStringLiteral(EMBEDLAB_TEST_DATA "/queries/vectors.txt"));
    QCOMPARE(imported.count(), 1);
    QSignalSpy results(w.neighborsPanel(), &NeighborsPanel::resultsChanged);
    w.neighborsPanel()->query(QStringLiteral("king"));
    QTRY_VERIFY_WITH_TIMEOUT(!results.isEmpty() && !w.neighborsPanel()->results().isEmpty(), 20000);

    m_corpus = w.corpus();
    m_model = w.model();
    m_table = w.neighborsPanel()->table();
    m_title = w.windowTitle();
    m_lossPoints = w.lossChart()->pointCount();
    m_neighbors = w.neighborsPanel()->results();
    QVERIFY(m_corpus && m_model && m_table);
    m_pilot->messages.clear();
}

void TestWindowFaults::cleanupTestCase()
{
    m_window.reset();
    delete m_pilot;
}

void TestWindowFaults::verifyUnchanged()
{
    MainWindow &w = *m_window;
    QCOMPARE(w.corpus(), m_corpus);
    QCOMPARE(w.model(), m_model);
    QCOMPARE(w.neighborsPanel()->table(), m_table);
    QCOMPARE(w.windowTitle(), m_title);
    QCOMPARE(w.lossChart()->pointCount(), m_lossPoints);
    QCOMPARE(w.neighborsPanel()->results(), m_neighbors);
    QVERIFY(!w.controller()->isRunning());
}

void TestWindowFaults::badCorpus_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("expected"); // part of the message
    const QString nul = QStringLiteral("NUL byte");
    const QString utf16 = QStringLiteral("UTF-16");
    QTest::newRow("empty") << "empty.txt"
                           << "no tokens";
    QTest::newRow("PDF") << "binary.pdf" << nul;
    QTest::newRow("PNG") << "binary.png" << nul;
    QTest::newRow("UTF-16LE, BOM") << "utf16le_bom.txt" << utf16;
    QTest::newRow("UTF-16BE, BOM") << "utf16be_bom.txt" << utf16;
    QTest::newRow("UTF-16LE, no BOM") << "utf16le_nobom.txt" << nul;
    QTest::newRow("gzip") << "glove_truncated.txt.gz" << nul;
    QTest::newRow("checkpoint") << "ckpt_base.safetensors" << nul;
    QTest::newRow("missing") << "no-such-file.txt"
                             << "No such file";
    QTest::newRow("directory") << "projector_nan"
                               << "directory";
}

void TestWindowFaults::badCorpus()
{
    QFETCH(QString, file);
    QFETCH(QString, expected);
    MainWindow &w = *m_window;
    QSignalSpy failed(&w, &MainWindow::corpusFailed);
    m_pilot->messages.clear();
    w.openCorpus(bad(file));
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 30000);
    const QString message = failed.first().at(0).toString();
    QVERIFY2(message.contains(bad(file)) && message.contains(expected), qPrintable(message));
    // The user saw it in a message box.
    QTRY_VERIFY_WITH_TIMEOUT(!m_pilot->messages.isEmpty(), 5000);
    QVERIFY2(m_pilot->messages.join(QLatin1Char('\n')).contains(expected),
        qPrintable(m_pilot->messages.join(QLatin1Char('\n'))));
    verifyUnchanged();
}

void TestWindowFaults::badVectors_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("expected");
    QTest::newRow("empty") << "empty.txt"
                           << "empty";
    QTest::newRow("PDF") << "binary.pdf"
                         << "not a word-vector file";
    QTest::newRow("GloVe, dimension 0") << "glove_dim0.txt"
                                        << "line";
    QTest::newRow("GloVe, every row NaN") << "glove_all_nan.txt"
                                          << "line";
    QTest::newRow("GloVe in UTF-16") << "glove_utf16.txt"
                                     << "UTF-16";
    QTest::newRow("word2vec, header dimension wrong") << "w2v_wrong_dim.txt"
                                                      << "line";
    QTest::newRow("word2vec, dimension 0") << "w2v_dim0.txt"
                                           << "line 1";
    QTest::newRow("word2vec, dimension 10^9") << "w2v_dim_1e9.txt"
                                              << "line 1";
    QTest::newRow("word2vec, 10^9 x 10^9") << "w2v_1e9x1e9.txt"
                                           << "line 1";
    QTest::newRow("word2vec binary, dimension 0") << "w2v_bin_dim0.bin"
                                                  << "line 1";
    QTest::newRow("word2vec binary, 10^9 x 10^9") << "w2v_bin_1e9x1e9.bin"
                                                  << "line 1";
    QTest::newRow("fastText, header dimension 300") << "fasttext_wrong_dim.vec"
                                                    << "line";
    QTest::newRow("gzip header only") << "gzip_header_only.gz"
                                      << "gzip";
}

void TestWindowFaults::badVectors()
{
    QFETCH(QString, file);
    QFETCH(QString, expected);
    MainWindow &w = *m_window;
    QSignalSpy imported(&w, &MainWindow::vectorsImported);
    m_pilot->messages.clear();
    w.importVectors(bad(file)); // modal: returns when the pilot has closed the dialog
    QCOMPARE(imported.count(), 0);
    QCOMPARE(m_pilot->messages.size(), 1);
    const QString message = m_pilot->messages.first();
    QVERIFY2(message.contains(QStringLiteral("Could not import")), qPrintable(message));
    QVERIFY2(message.contains(bad(file)) && message.contains(expected, Qt::CaseInsensitive),
        qPrintable(message));
    verifyUnchanged();
}

void TestWindowFaults::badModel_data()
{
    QTest::addColumn<QString>("file");
    for (const char *f :
        { "empty.txt", "binary.pdf", "ckpt_short.safetensors", "ckpt_truncated_header.safetensors",
            "ckpt_header_past_end.safetensors", "ckpt_header_2p63.safetensors",
            "ckpt_bad_json.safetensors", "ckpt_offsets_out_of_range.safetensors",
            "ckpt_offsets_overlap.safetensors", "ckpt_offsets_size.safetensors",
            "ckpt_i64.safetensors", "ckpt_f8.safetensors", "ckpt_wrong_shape.safetensors",
            "ckpt_missing_tensor.safetensors", "ckpt_vocab_mismatch.safetensors",
            "ckpt_vocab_no_specials.safetensors", "ckpt_no_metadata.safetensors",
            "other_program.safetensors", "no-such-model.safetensors", "../foreign/model.pt",
            "../foreign/model_legacy.pth", "../foreign/model.h5", "../foreign/embedding.npz",
            "../foreign/picture.png", "../vectors/glove.txt" })
        QTest::newRow(f) << QString::fromLatin1(f);
}

void TestWindowFaults::badModel()
{
    QFETCH(QString, file);
    MainWindow &w = *m_window;
    QSignalSpy failed(&w, &MainWindow::modelFailed);
    QSignalSpy loaded(&w, &MainWindow::modelLoaded);
    m_pilot->messages.clear();
    w.openModel(bad(file));
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 30000);
    QCOMPARE(loaded.count(), 0);
    const QString message = failed.first().at(0).toString();
    QVERIFY2(message.contains(bad(file)), qPrintable(message));
    // A file of another kind is named for what it is (tst_bad_inputs checks each text).
    if (file.startsWith(QLatin1String("../")))
        QVERIFY2(
            message.contains(QLatin1String("not a safetensors checkpoint: ")), qPrintable(message));
    if (file.endsWith(QLatin1String("glove.txt")))
        QVERIFY2(message.contains(QLatin1String("File > Import Vectors")), qPrintable(message));
    QTRY_VERIFY_WITH_TIMEOUT(!m_pilot->messages.isEmpty(), 5000);
    QVERIFY(m_pilot->messages.last().contains(message));
    verifyUnchanged();
}

void TestWindowFaults::unwritableSaveKeepsTheModelAndTheFile()
{
    MainWindow &w = *m_window;
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("model.safetensors"));
    QSignalSpy saved(&w, &MainWindow::modelSaved);
    QSignalSpy failed(&w, &MainWindow::modelFailed);
    w.saveModel(path);
    QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, 20000);
    const std::string before = readFile(path.toStdString());
    // The run stopped midway: beside the model, the state it goes on from.
    const QString statePath = QString::fromStdString(trainStatePath(path.toStdString()));
    const std::string stateBefore = readFile(statePath.toStdString());

    // Into a directory that is not there, and over a directory: errors, nothing written.
    for (const QString &target :
        { dir.filePath(QStringLiteral("gone/model.safetensors")), dir.path() }) {
        m_pilot->messages.clear();
        w.saveModel(target);
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 20000);
        QVERIFY2(failed.first().at(0).toString().contains(target),
            qPrintable(failed.first().at(0).toString()));
        QTRY_VERIFY_WITH_TIMEOUT(!m_pilot->messages.isEmpty(), 5000);
        failed.clear();
    }
    // The disk fills up in the middle of writing over the saved file (the file-size limit makes
    // write() fail with EFBIG, as a full disk fails with ENOSPC).
    bool reported = false;
    {
        const FileSizeLimit full(4096);
        QVERIFY(full.active());
        m_pilot->messages.clear();
        w.saveModel(path);
        reported = QTest::qWaitFor([&] { return failed.count() == 1; }, 20000);
    }
    QVERIFY(reported);
    QVERIFY2(failed.first().at(0).toString().contains(path)
            && failed.first().at(0).toString().contains(QStringLiteral("too large")),
        qPrintable(failed.first().at(0).toString()));
    QTRY_VERIFY_WITH_TIMEOUT(!m_pilot->messages.isEmpty(), 5000);

    QCOMPARE(readFile(path.toStdString()), before);
    QCOMPARE(readFile(statePath.toStdString()), stateBefore);
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files),
        (QStringList {
            QStringLiteral("model.safetensors"), QStringLiteral("model.trainstate.safetensors") }));
    QCOMPARE(saved.count(), 1);
    verifyUnchanged();
}

void TestWindowFaults::closingWhileReadingACorpusEndsPromptly()
{
    // 400 MB of text: several seconds to tokenise.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("big.txt"));
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QByteArray line;
        for (int i = 0; i < 16; ++i)
            line += "word" + QByteArray::number(i * 7919 % 5000) + ' ';
        line += '\n';
        const QByteArray block = line.repeated(1 << 12);
        while (f.size() < 400 * 1000 * 1000)
            f.write(block);
    }
    auto w = std::make_unique<MainWindow>();
    w->show();
    QSignalSpy loaded(w.get(), &MainWindow::corpusLoaded);
    w->openCorpus(path);
    // Once the status bar's bar is determinate the file is read and tokenising is under way
    // (it reports every 256 KB); close then, whatever the machine's speed.
    auto *bar = w->statusBar()->findChild<QProgressBar *>();
    QVERIFY(bar);
    QTRY_VERIFY_WITH_TIMEOUT(
        loaded.count() > 0 || (bar->maximum() == 1000 && bar->value() > 0), 60000);
    QCOMPARE(loaded.count(), 0); // still reading
    QElapsedTimer timer;
    timer.start();
    w.reset();
    // The worker stops at its next progress report instead of tokenising to the end.
    QVERIFY(QThreadPool::globalInstance()->waitForDone(10000));
    qInfo("closed %lld ms after", static_cast<long long>(timer.elapsed()));
    QVERIFY2(timer.elapsed() < 1000, qPrintable(QString::number(timer.elapsed())));
}

void TestWindowFaults::importStatesTheMemoryBeforeReading()
{
    // 200,000 x 50 GloVe rows (about 60 MB): long enough to see the dialog while it reads.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("big.glove.txt"));
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QByteArray row;
        for (int d = 0; d < 50; ++d)
            row += " 0." + QByteArray::number(100000 + d * 7);
        row += '\n';
        QByteArray block;
        for (int i = 0; i < 200000; ++i) {
            block += "w" + QByteArray::number(i) + row;
            if (block.size() > (1 << 20)) {
                f.write(block);
                block.clear();
            }
        }
        f.write(block);
    }
    ImportVectorsDialog dialog(nullptr, 50);
    dialog.show();
    dialog.setPath(path);
    dialog.startImport();
    QVERIFY(dialog.isReading());
    // While it reads: what the table will need, judged from its first lines.
    QTRY_VERIFY_WITH_TIMEOUT(
        dialog.reportText().contains(QStringLiteral("needing about")) || !dialog.isReading(),
        20000);
    QTRY_VERIFY_WITH_TIMEOUT(!dialog.isReading(), 60000);
    QVERIFY(dialog.vectors());
    QCOMPARE(dialog.vectors()->size(), std::size_t(200000));
    const QString report = dialog.reportText();
    QVERIFY2(report.contains(QStringLiteral("Estimated before reading")), qPrintable(report));
    QCOMPARE(
        dialog.report().estimatedRows > 150000 && dialog.report().estimatedRows < 250000, true);
}

void TestWindowFaults::modelFileReportHasNoRowEstimate()
{
    // A fastText .bin gives its memory before reading but not its rows: no "about 0 rows".
    ImportVectorsDialog dialog(nullptr, 50);
    dialog.show();
    dialog.setPath(QStringLiteral(EMBEDLAB_TEST_DATA "/vectors/fasttext_bin/skipgram.bin"));
    dialog.startImport();
    QTRY_VERIFY_WITH_TIMEOUT(!dialog.isReading(), 20000);
    QVERIFY(dialog.vectors());
    const QString report = dialog.reportText();
    QVERIFY2(report.contains(QStringLiteral("fasttext-bin format")), qPrintable(report));
    QVERIFY2(!report.contains(QStringLiteral("about 0 rows")), qPrintable(report));
    if (dialog.report().estimatedBytes > 0)
        QVERIFY2(report.contains(QStringLiteral("Estimated before reading: ")), qPrintable(report));
}

void TestWindowFaults::corpusOfRareWordsIsNotTrainedOn()
{
    MainWindow w;
    w.show();
    CorpusOptions options = w.corpusPanel()->options();
    options.minCount = 2; // every word of the file occurs once
    w.corpusPanel()->setOptions(options);
    QSignalSpy loaded(&w, &MainWindow::corpusLoaded);
    w.openCorpus(bad(QStringLiteral("rare_tokens.txt")));
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 20000);
    QCOMPARE(w.corpus()->vocab.size(), std::size_t(Vocabulary::SpecialCount));
    QSignalSpy refused(&w, &MainWindow::trainingRefused);
    m_pilot->messages.clear();
    w.trainingPanel()->startButton()->click();
    QCOMPARE(refused.count(), 1);
    const QString message = refused.first().at(0).toString();
    QVERIFY2(message.contains(QStringLiteral("rare_tokens.txt"))
            && message.contains(QStringLiteral("2 times")),
        qPrintable(message));
    QTRY_VERIFY_WITH_TIMEOUT(!m_pilot->messages.isEmpty(), 5000);
    QVERIFY(!w.controller()->isRunning());
    QVERIFY(!w.model());
}

void TestWindowFaults::divergedRunKeepsTheLastGoodWeights_data()
{
    QTest::addColumn<double>("lr");
    QTest::newRow("lr 1e6") << 1e6;
    QTest::newRow("lr 1000") << 1000.0;
}

void TestWindowFaults::divergedRunKeepsTheLastGoodWeights()
{
    QFETCH(double, lr);
    MainWindow w;
    w.show();
    openSampleWithSmallModel(w);
    w.trainingPanel()->findChild<QDoubleSpinBox *>(QStringLiteral("lr"))->setValue(lr);
    w.trainingPanel()->findChild<QDoubleSpinBox *>(QStringLiteral("clip"))->setValue(0);
    QCOMPARE(w.trainingPanel()->trainConfig().lr, lr);
    QCOMPARE(w.trainingPanel()->trainConfig().clip, 0.0);
    QSignalSpy finished(w.controller(), &TrainingController::finished);
    m_pilot->messages.clear();
    w.trainingPanel()->startButton()->click();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    const auto summary = finished.first().at(0).value<TrainingSummary>();
    QVERIFY(summary.diverged);
    QTRY_VERIFY_WITH_TIMEOUT(!m_pilot->messages.isEmpty(), 5000);
    const QString shown = m_pilot->messages.join(QLatin1Char('\n'));
    QVERIFY2(shown.contains(QLatin1String("diverged"))
            && shown.contains(QLatin1String("lower learning rate")),
        qPrintable(shown));
    // Every point on the chart is a sane loss; the model holds the weights that gave the last.
    QVERIFY(w.lossChart()->pointCount() >= 1);
    for (const auto &p : w.lossChart()->points())
        QVERIFY2(std::isfinite(p.loss) && p.loss < 50, qPrintable(QString::number(p.loss)));
    QVERIFY(w.model());
    auto &model = const_cast<LanguageModel<float> &>(*w.model());
    for (auto &p : model.parameters())
        QVERIFY(p.value->allFinite());
    QCOMPARE(summary.steps, qint64(w.lossChart()->pointCount() - 1));
    if (summary.steps == 0) {
        // Put back to where it started: a model initialised with the run's seed.
        LanguageModel<float> fresh(model.config());
        fresh.initRandom(w.trainingPanel()->trainConfig().seed);
        auto a = model.parameters(), b = fresh.parameters();
        for (std::size_t k = 0; k < a.size(); ++k)
            QVERIFY2(*a[k].value == *b[k].value, a[k].name.c_str());
    }
    QVERIFY(!w.controller()->isRunning());
    QVERIFY(w.trainingPanel()->startButton()->isEnabled());
}

QTEST_MAIN(TestWindowFaults)
#include "tst_window_faults.moc"
