// The document without a window: the model is dirty after it is created, initialised from vectors
// or trained, and clean after it is saved or opened; a failed open or save leaves the corpus, the
// model, its file and its dirty state as they were; the newest corpus request wins.
#include <QtTest>

#include <QFile>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>

#include "ui/document.h"

using namespace embedlab;

namespace {

const QString CorpusFile = QStringLiteral(EMBEDLAB_TEST_DATA "/text/pride_excerpt.txt");
const QString OtherCorpusFile = QStringLiteral(EMBEDLAB_TEST_DATA "/text/train.txt");
const QString ModelFile = QStringLiteral(EMBEDLAB_TEST_DATA "/bad/ckpt_base.safetensors");
const QString BadModelFile
    = QStringLiteral(EMBEDLAB_TEST_DATA "/bad/ckpt_missing_tensor.safetensors");

Document::CorpusSource fileSource(const QString &path)
{
    return { path, QFileInfo(path).fileName(), {} };
}

void loadCorpus(Document &doc, const QString &path = CorpusFile)
{
    QSignalSpy changed(&doc, &Document::corpusChanged);
    doc.loadCorpus(fileSource(path), CorpusOptions {});
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, 30000);
}

ModelConfig smallConfig(const Document &doc, int dim = 8)
{
    ModelConfig c;
    c.vocabSize = static_cast<int>(doc.corpus()->vocab.size());
    c.embeddingDim = dim;
    c.hiddenSize = dim;
    c.layers = 1;
    return c;
}

// Vectors for the first few words of the vocabulary (the specials left out).
WordVectors someVectors(const Document &doc, int dim)
{
    std::vector<std::string> words;
    const auto &all = doc.corpus()->vocab.words();
    for (std::size_t i = Vocabulary::SpecialCount; i < all.size() && words.size() < 10; ++i)
        words.push_back(all[i]);
    RowMatrixXf vectors = RowMatrixXf::Constant(static_cast<int>(words.size()), dim, 0.5f);
    return WordVectors(std::move(words), std::move(vectors));
}

void save(Document &doc, const QString &path)
{
    QSignalSpy saved(&doc, &Document::saved);
    QVERIFY(doc.saveModel(path, false));
    QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, 30000);
    QCOMPARE(saved.first().first().toString(), path);
}

} // namespace

class TestDocument : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void loadsACorpus();
    void newestCorpusRequestWins();
    void failedCorpusKeepsThePreviousOne();
    void createdModelIsDirtyUntilSaved();
    void trainingMakesASavedModelDirty();
    void vectorsInitialiseADirtyModel();
    void openedModelIsClean();
    void failedOpenKeepsThePreviousModel();
    void failedSaveKeepsTheModelDirty();
    void oneFileOperationAtATime();
    void discardedModelLeavesNothingToSave();
    void exportWritesTheEmbedding();
    void autosaveGoesBesideTheModelFile();
};

void TestDocument::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true); // settings and recent files go to a test location
}

void TestDocument::init()
{
    QSettings().remove(QStringLiteral("recentFiles"));
}

void TestDocument::loadsACorpus()
{
    Document doc;
    QVERIFY(!doc.corpus());
    QSignalSpy changed(&doc, &Document::corpusChanged);
    QSignalSpy recent(&doc, &Document::recentFilesChanged);
    doc.loadCorpus(fileSource(CorpusFile), CorpusOptions {});
    QVERIFY(doc.isLoadingCorpus());
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, 30000);
    QVERIFY(!doc.isLoadingCorpus());
    QCOMPARE(changed.first().first().toBool(), false); // a new text, not a re-tokenisation
    QVERIFY(doc.corpus());
    QVERIFY(doc.corpus()->vocab.size() > Vocabulary::SpecialCount);
    QCOMPARE(doc.corpusSource().path, CorpusFile);
    QCOMPARE(recent.count(), 1);
    QCOMPARE(Document::recentFiles(), QStringList { QFileInfo(CorpusFile).absoluteFilePath() });

    // The same text again, with other options.
    CorpusOptions options;
    options.minCount = 2;
    doc.loadCorpus(fileSource(CorpusFile), options);
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 2, 30000);
    QCOMPARE(changed.at(1).first().toBool(), true);
    QVERIFY(!doc.isModelDirty()); // a corpus is not a model
}

void TestDocument::newestCorpusRequestWins()
{
    Document doc;
    QSignalSpy changed(&doc, &Document::corpusChanged);
    QSignalSpy failed(&doc, &Document::corpusFailed);
    doc.loadCorpus(fileSource(CorpusFile), CorpusOptions {});
    doc.loadCorpus(fileSource(OtherCorpusFile), CorpusOptions {});
    QTRY_VERIFY_WITH_TIMEOUT(!doc.isLoadingCorpus(), 30000);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(failed.count(), 0); // the replaced read is cancelled, not reported
    QCOMPARE(doc.corpusSource().path, OtherCorpusFile);
}

void TestDocument::failedCorpusKeepsThePreviousOne()
{
    Document doc;
    loadCorpus(doc);
    const Corpus *before = doc.corpus();
    QSignalSpy failed(&doc, &Document::corpusFailed);
    QSignalSpy changed(&doc, &Document::corpusChanged);
    const QString missing = QStringLiteral(EMBEDLAB_TEST_DATA "/text/no-such-file.txt");
    doc.loadCorpus(fileSource(missing), CorpusOptions {});
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 30000);
    QCOMPARE(failed.first().at(0).toString(), QStringLiteral("no-such-file.txt"));
    QVERIFY(!failed.first().at(1).toString().isEmpty());
    QCOMPARE(changed.count(), 0);
    QCOMPARE(doc.corpus(), before);
    QCOMPARE(doc.corpusSource().path, CorpusFile);
    QVERIFY(!doc.isLoadingCorpus());
}

void TestDocument::createdModelIsDirtyUntilSaved()
{
    Document doc;
    loadCorpus(doc);
    QVERIFY(!doc.isModelDirty());
    QSignalSpy dirty(&doc, &Document::dirtyChanged);
    QSignalSpy changed(&doc, &Document::modelChanged);
    doc.createModel(smallConfig(doc), 1, TokenizerOptions {});
    QVERIFY(doc.model());
    QCOMPARE(changed.count(), 1);
    QVERIFY(doc.isModelDirty());
    QCOMPARE(dirty.count(), 1);
    QCOMPARE(dirty.first().first().toBool(), true);
    QVERIFY(doc.modelPath().isEmpty());
    QCOMPARE(doc.modelVocab().words(), doc.corpus()->vocab.words());

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("model.safetensors"));
    save(doc, path);
    QVERIFY(!doc.isModelDirty());
    QCOMPARE(dirty.count(), 2);
    QCOMPARE(dirty.last().first().toBool(), false);
    QCOMPARE(doc.modelPath(), path);
    QVERIFY(QFile::exists(path));
    QCOMPARE(Document::recentFiles().first(), QFileInfo(path).absoluteFilePath());

    // A configuration the model refuses leaves the saved one in place.
    const auto *before = doc.model();
    ModelConfig bad = smallConfig(doc);
    bad.layers = 0;
    QVERIFY_THROWS_EXCEPTION(std::exception, doc.createModel(bad, 1, TokenizerOptions {}));
    QCOMPARE(doc.model(), before);
    QCOMPARE(doc.modelPath(), path);
    QVERIFY(!doc.isModelDirty());
}

void TestDocument::trainingMakesASavedModelDirty()
{
    Document doc;
    loadCorpus(doc);
    doc.createModel(smallConfig(doc), 1, TokenizerOptions {});
    QTemporaryDir dir;
    save(doc, dir.filePath(QStringLiteral("model.safetensors")));
    QVERIFY(!doc.isModelDirty());
    QSignalSpy dirty(&doc, &Document::dirtyChanged);
    // What the window does when a run starts or resumes.
    doc.markModelDirty();
    QVERIFY(doc.isModelDirty());
    doc.markModelDirty();
    QCOMPARE(dirty.count(), 1); // only changes are signalled
}

void TestDocument::vectorsInitialiseADirtyModel()
{
    Document doc;
    loadCorpus(doc);
    const WordVectors vectors = someVectors(doc, 8);
    const Coverage c = doc.createModelFromVectors(
        smallConfig(doc), 1, TokenizerOptions {}, vectors, UncoveredInit::Zeros);
    QCOMPARE(c.coveredWords, computeCoverage(doc.corpus()->vocab, vectors).coveredWords);
    QVERIFY(doc.model());
    const WordVectors table = embeddingTable(*doc.model(), doc.modelVocab());
    const int row = table.find(vectors.word(0));
    QVERIFY(row >= 0);
    QVERIFY(table.vectors().row(row).isApproxToConstant(0.5f));
    QVERIFY(doc.isModelDirty());
    QVERIFY(doc.modelPath().isEmpty());

    // Vectors of another dimension are refused, and the model stays.
    const auto *before = doc.model();
    QVERIFY_THROWS_EXCEPTION(std::exception,
        doc.createModelFromVectors(
            smallConfig(doc), 1, TokenizerOptions {}, someVectors(doc, 5), UncoveredInit::Zeros));
    QCOMPARE(doc.model(), before);
    QVERIFY(doc.isModelDirty());
}

void TestDocument::openedModelIsClean()
{
    Document doc;
    loadCorpus(doc);
    doc.createModel(smallConfig(doc), 1, TokenizerOptions {});
    QVERIFY(doc.isModelDirty());
    QSignalSpy opened(&doc, &Document::modelOpened);
    QVERIFY(doc.openModel(ModelFile));
    QVERIFY(doc.isBusy());
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 30000);
    QVERIFY(!doc.isBusy());
    QCOMPARE(opened.first().first().toString(), ModelFile);
    QVERIFY(doc.model());
    QVERIFY(!doc.isModelDirty());
    QCOMPARE(doc.modelPath(), ModelFile);
    QCOMPARE(static_cast<std::size_t>(doc.model()->config().vocabSize), doc.modelVocab().size());
    QCOMPARE(Document::recentFiles().first(), QFileInfo(ModelFile).absoluteFilePath());
}

void TestDocument::failedOpenKeepsThePreviousModel()
{
    Document doc;
    loadCorpus(doc);
    doc.createModel(smallConfig(doc), 1, TokenizerOptions {});
    const auto *before = doc.model();
    const auto words = doc.modelVocab().words();
    QSignalSpy failed(&doc, &Document::modelOpenFailed);
    QSignalSpy opened(&doc, &Document::modelOpened);
    QSignalSpy changed(&doc, &Document::modelChanged);
    QVERIFY(doc.openModel(BadModelFile));
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 30000);
    QVERIFY(!failed.first().first().toString().isEmpty());
    QCOMPARE(opened.count(), 0);
    QCOMPARE(changed.count(), 0);
    QCOMPARE(doc.model(), before);
    QCOMPARE(doc.modelVocab().words(), words);
    QVERIFY(doc.modelPath().isEmpty());
    QVERIFY(doc.isModelDirty());
    QVERIFY(!doc.isBusy());
    QVERIFY(!Document::recentFiles().contains(QFileInfo(BadModelFile).absoluteFilePath()));
}

void TestDocument::failedSaveKeepsTheModelDirty()
{
    Document doc;
    loadCorpus(doc);
    doc.createModel(smallConfig(doc), 1, TokenizerOptions {});
    QSignalSpy failed(&doc, &Document::saveFailed);
    QSignalSpy saved(&doc, &Document::saved);
    QTemporaryDir dir;
    QVERIFY(doc.saveModel(dir.filePath(QStringLiteral("no/such/dir/model.safetensors")), false));
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 30000);
    QCOMPARE(saved.count(), 0);
    QVERIFY(doc.isModelDirty());
    QVERIFY(doc.modelPath().isEmpty());
    QVERIFY(!doc.isBusy());
}

void TestDocument::oneFileOperationAtATime()
{
    Document doc;
    QVERIFY(!doc.saveModel(QStringLiteral("x.safetensors"), false)); // no model to save
    QVERIFY(!doc.exportEmbedding(QStringLiteral("x.txt")));
    QSignalSpy opened(&doc, &Document::modelOpened);
    QVERIFY(doc.openModel(ModelFile));
    QVERIFY(!doc.openModel(ModelFile));
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 30000);
    QTemporaryDir dir;
    QSignalSpy saved(&doc, &Document::saved);
    QVERIFY(doc.saveModel(dir.filePath(QStringLiteral("a.safetensors")), true));
    QVERIFY(!doc.saveModel(dir.filePath(QStringLiteral("b.safetensors")), false));
    QVERIFY(!doc.exportEmbedding(dir.filePath(QStringLiteral("b.txt"))));
    QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, 30000);
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("b.safetensors"))));
    QCOMPARE(opened.count(), 1);
}

void TestDocument::discardedModelLeavesNothingToSave()
{
    Document doc;
    loadCorpus(doc);
    doc.createModel(smallConfig(doc), 1, TokenizerOptions {});
    QSignalSpy dirty(&doc, &Document::dirtyChanged);
    QSignalSpy changed(&doc, &Document::modelChanged);
    doc.discardModel();
    QVERIFY(!doc.model());
    QVERIFY(!doc.isModelDirty());
    QVERIFY(doc.modelPath().isEmpty());
    QCOMPARE(changed.count(), 1);
    QCOMPARE(dirty.count(), 1);
    QVERIFY(!doc.saveModel(QStringLiteral("x.safetensors"), false));
}

void TestDocument::exportWritesTheEmbedding()
{
    Document doc;
    QSignalSpy opened(&doc, &Document::modelOpened);
    QVERIFY(doc.openModel(ModelFile));
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 30000);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("embedding.txt"));
    QSignalSpy exported(&doc, &Document::exported);
    QVERIFY(doc.exportEmbedding(path));
    QTRY_COMPARE_WITH_TIMEOUT(exported.count(), 1, 30000);
    QCOMPARE(exported.first().first().toString(), path);
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    // word2vec text: "<rows> <dim>", every row of the table (<pad> included).
    const QList<QByteArray> header = f.readLine().trimmed().split(' ');
    QCOMPARE(header.size(), 2);
    QCOMPARE(header[0].toULongLong(), static_cast<qulonglong>(doc.modelVocab().size()));
    QCOMPARE(header[1].toInt(), doc.model()->config().embeddingDim);
    QVERIFY(!doc.isModelDirty()); // exporting is not saving, and changes nothing

    QSignalSpy failed(&doc, &Document::exportFailed);
    QVERIFY(doc.exportEmbedding(dir.filePath(QStringLiteral("no/such/dir/e.txt"))));
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 30000);
    QCOMPARE(exported.count(), 1);
}

void TestDocument::autosaveGoesBesideTheModelFile()
{
    Document doc;
    loadCorpus(doc);
    QCOMPARE(QFileInfo(doc.autosavePath()).fileName(),
        QStringLiteral("pride_excerpt.autosave.safetensors"));
    doc.createModel(smallConfig(doc), 1, TokenizerOptions {});
    QTemporaryDir dir;
    save(doc, dir.filePath(QStringLiteral("mine.safetensors")));
    QCOMPARE(doc.autosavePath(), dir.filePath(QStringLiteral("mine.autosave.safetensors")));
}

QTEST_MAIN(TestDocument)
#include "tst_document.moc"
