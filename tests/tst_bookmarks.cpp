// Bookmarks of the map's view: a ViewState survives JSON; a bookmark added in the window brings
// back its projection, zoom and selection after they changed, survives a new window, brings back
// a run's recorded step, says what it cannot bring back (a run folder gone, vectors not imported)
// and restores the rest; the manage dialog renames, deletes and reorders.
#include <QtTest>

#include <QApplication>
#include <QComboBox>
#include <QInputDialog>
#include <QJsonArray>
#include <QJsonDocument>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QStatusBar>
#include <QToolButton>
#include <QWheelEvent>

#include <qcustomplot.h>

#include <functional>
#include <memory>

#include "core/vectors/vectors.h"
#include "ui/bookmarksdialog.h"
#include "ui/document.h"
#include "ui/embeddingmap.h"
#include "ui/losschart.h"
#include "ui/mainwindow.h"
#include "ui/mapbookmarks.h"
#include "ui/runtimeline.h"
#include "ui/trainingcontroller.h"
#include "ui/trainingpanel.h"

#include "testworkspace.h"

using namespace embedlab;

namespace {

const QString VectorsFile = QStringLiteral(EMBEDLAB_TEST_DATA "/history/step-0.txt");

// Answers the next modal dialog with `answer`, polling until one is open.
void answerNextDialog(std::function<void(QWidget *)> answer)
{
    auto *timer = new QTimer(qApp);
    QObject::connect(timer, &QTimer::timeout, timer, [timer, answer] {
        if (QWidget *w = QApplication::activeModalWidget()) {
            timer->stop();
            timer->deleteLater();
            answer(w);
        }
    });
    timer->start(20);
}

void exploreTestVectors(MainWindow &w)
{
    w.exploreVectors(
        std::make_shared<const WordVectors>(readVectors(VectorsFile.toStdString())), VectorsFile);
}

bool settled(const EmbeddingMap &map)
{
    return map.pointCount() > 0 && !map.isProjecting() && !map.isRestoringViewState();
}

// Zooms in at the plot's centre, as the mouse wheel does.
void wheelZoom(EmbeddingMap &map)
{
    const QPointF centre = map.plot()->rect().center();
    QWheelEvent wheel(centre, map.plot()->mapToGlobal(centre), {}, { 0, 120 }, Qt::NoButton, {},
        Qt::NoScrollPhase, false);
    QApplication::sendEvent(map.plot(), &wheel);
}

QCPRange xRange(const EmbeddingMap &map)
{
    return map.plot()->xAxis->range();
}

QCPRange yRange(const EmbeddingMap &map)
{
    return map.plot()->yAxis->range();
}

void compareRanges(const EmbeddingMap &map, const EmbeddingMap::ViewState &s)
{
    QCOMPARE(xRange(map).lower, s.xLower);
    QCOMPARE(xRange(map).upper, s.xUpper);
    QCOMPARE(yRange(map).lower, s.yLower);
    QCOMPARE(yRange(map).upper, s.yUpper);
}

void useSmallModel(MainWindow &w)
{
    ModelConfig small;
    small.embeddingDim = 24;
    small.hiddenSize = 24;
    small.layers = 1;
    small.dropout = 0.1;
    w.trainingPanel()->setModelConfig(small);
}

} // namespace

class TestBookmarks : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void viewStateSurvivesJson();
    void restoresProjectionZoomAndSelection();
    void restoresA3DView();
    void replacingAsksFirst();
    void bookmarksSurviveANewWindow();
    void missingRunFolderIsSaidAndTheRestRestored();
    void runStepIsRestored();
    void modelBookmarkRestoresWhileTraining();
    void manageDialogRenamesDeletesAndReorders();
};

void TestBookmarks::initTestCase()
{
    useTemporaryWorkspace();
}

void TestBookmarks::init()
{
    QSettings().remove(QLatin1String(BookmarkStore::SettingsKey));
}

void TestBookmarks::cleanup()
{
    QSettings().remove(QLatin1String(BookmarkStore::SettingsKey));
}

void TestBookmarks::viewStateSurvivesJson()
{
    EmbeddingMap::ViewState s;
    s.method = QStringLiteral("custom");
    s.dimensions = 3;
    s.customAxes = { QStringLiteral("man - woman"), QStringLiteral("king - queen"),
        QStringLiteral("big - small") };
    s.axisX = 2;
    s.axisY = 3;
    s.maxPoints = 500;
    s.labelCount = 17;
    s.xLower = -1.25;
    s.xUpper = 3.5;
    s.yLower = -0.125;
    s.yUpper = 0.75;
    s.rotation = Eigen::AngleAxisd(0.4, Eigen::Vector3d::UnitY()).toRotationMatrix();
    s.fitAll = true;
    s.followData = false;
    s.selectedWord = QStringLiteral("王");
    // Through text, as the settings keep it.
    const QByteArray text = QJsonDocument(viewStateToJson(s)).toJson();
    const auto r = viewStateFromJson(QJsonDocument::fromJson(text).object());
    QCOMPARE(r.method, s.method);
    QCOMPARE(r.dimensions, 3);
    QCOMPARE(r.customAxes, s.customAxes);
    QCOMPARE(r.axisX, 2);
    QCOMPARE(r.axisY, 3);
    QCOMPARE(r.maxPoints, 500);
    QCOMPARE(r.labelCount, 17);
    QCOMPARE(r.xLower, s.xLower);
    QCOMPARE(r.xUpper, s.xUpper);
    QCOMPARE(r.yLower, s.yLower);
    QCOMPARE(r.yUpper, s.yUpper);
    QVERIFY((r.rotation - s.rotation).norm() < 1e-12);
    QCOMPARE(r.fitAll, true);
    QCOMPARE(r.followData, false);
    QCOMPARE(r.selectedWord, s.selectedWord);

    // No ranges recorded (NaN) stay unrecorded; a matrix that is no rotation is not taken.
    EmbeddingMap::ViewState fitted;
    QJsonObject o = viewStateToJson(fitted);
    o.insert(QStringLiteral("rotation"), QJsonArray { 2, 0, 0, 0, 1, 0, 0, 0, 1 });
    const auto f = viewStateFromJson(o);
    QVERIFY(std::isnan(f.xLower) && std::isnan(f.yUpper));
    QVERIFY(f.rotation.isIdentity());
    QCOMPARE(viewStateFromJson(QJsonObject()).method, QStringLiteral("pca"));

    MapBookmark b;
    b.name = QStringLiteral("PCA · w001 · step 400");
    b.source = MapBookmark::Source::Run;
    b.path = QStringLiteral("/tmp/runs/a");
    b.step = 400;
    b.view = s;
    const MapBookmark c = bookmarkFromJson(bookmarkToJson(b));
    QCOMPARE(c.name, b.name);
    QCOMPARE(c.source, MapBookmark::Source::Run);
    QCOMPARE(c.path, b.path);
    QCOMPARE(c.step, 400);
    QCOMPARE(c.view.selectedWord, s.selectedWord);
}

// The view is saved, everything about it changes, and the bookmark brings it back as it was.
void TestBookmarks::restoresProjectionZoomAndSelection()
{
    MainWindow w;
    w.resize(1280, 800);
    w.show();
    EmbeddingMap &map = *w.embeddingMap();
    exploreTestVectors(w);
    QTRY_VERIFY_WITH_TIMEOUT(settled(map), 30000);
    map.setAxes(1, 2);
    map.setMaxPoints(150);
    QTRY_VERIFY_WITH_TIMEOUT(settled(map), 30000);
    map.selectWord(QStringLiteral("w007"));
    wheelZoom(map);
    const EmbeddingMap::ViewState saved = map.viewState();
    QVERIFY(!saved.followData); // zoomed by the user
    QCOMPARE(saved.selectedWord, QStringLiteral("w007"));
    QVERIFY(w.suggestedBookmarkName().startsWith(QStringLiteral("PCA · w007")));
    QVERIFY(w.addBookmark(QStringLiteral("zoomed")));
    QCOMPARE(w.bookmarkNames(), QStringList { QStringLiteral("zoomed") });

    map.setMethod(QStringLiteral("tsne"));
    map.setDimensions(3);
    map.setMaxPoints(120);
    QTRY_VERIFY_WITH_TIMEOUT(settled(map), 60000);
    map.selectWord(QStringLiteral("w030"));
    wheelZoom(map);
    QCOMPARE(map.method(), QStringLiteral("tsne"));
    QVERIFY(xRange(map).lower != saved.xLower);

    // The button beside "Showing:" opens the same menu.
    auto *button = w.findChild<QToolButton *>(QStringLiteral("bookmarksButton"));
    QVERIFY(button && button->isVisible());
    QCOMPARE(button->menu(), w.bookmarksMenu());
    // From the menu, as the user does it.
    QAction *entry = nullptr;
    for (QAction *act : w.bookmarksMenu()->actions())
        if (act->data().toString() == QLatin1String("zoomed"))
            entry = act;
    QVERIFY(entry);
    QSignalSpy restored(&map, &EmbeddingMap::viewStateRestored);
    entry->trigger();
    QCOMPARE(map.method(), QStringLiteral("pca")); // the projection at once
    QCOMPARE(map.dimensions(), 2);
    QTRY_COMPARE_WITH_TIMEOUT(restored.count(), 1, 30000); // the zoom with its frame
    QVERIFY(settled(map));
    QCOMPARE(map.maxPoints(), 150);
    QCOMPARE(map.pointCount(), 150);
    QCOMPARE(map.selectedWord(), QStringLiteral("w007"));
    compareRanges(map, saved);
    QCOMPARE(map.viewState().axisX, 1);
    QCOMPARE(map.viewState().axisY, 2);
    QCOMPARE(map.viewState().followData, false);
    QVERIFY(w.statusBar()->currentMessage().contains(QStringLiteral("restored")));
    // A new frame (the same table shown again) keeps the restored zoom, as the user's zoom does.
    w.exploreVectors(
        std::make_shared<const WordVectors>(readVectors(VectorsFile.toStdString())), VectorsFile);
    QTRY_VERIFY_WITH_TIMEOUT(settled(map), 30000);
    compareRanges(map, saved);
}

void TestBookmarks::restoresA3DView()
{
    MainWindow w;
    w.show();
    EmbeddingMap &map = *w.embeddingMap();
    exploreTestVectors(w);
    QTRY_VERIFY_WITH_TIMEOUT(settled(map), 30000);
    map.setMethod(QStringLiteral("umap"));
    map.setDimensions(3);
    QTRY_VERIFY_WITH_TIMEOUT(settled(map), 60000);
    map.rotate(0.5, -0.3);
    const QPointF placed = map.position(QStringLiteral("w003"));
    const EmbeddingMap::ViewState saved = map.viewState();
    QVERIFY(!saved.rotation.isIdentity());
    QVERIFY(w.addBookmark(QStringLiteral("turned")));

    map.setMethod(QStringLiteral("pca"));
    map.setDimensions(2);
    QTRY_VERIFY_WITH_TIMEOUT(settled(map), 30000);
    QVERIFY(w.restoreBookmark(QStringLiteral("turned")));
    QTRY_VERIFY_WITH_TIMEOUT(settled(map) && map.method() == QLatin1String("umap"), 60000);
    QCOMPARE(map.dimensions(), 3);
    QVERIFY((map.viewState().rotation - saved.rotation).norm() < 1e-12);
    compareRanges(map, saved);
    // UMAP starts from a fixed seed: the same words in the same places.
    const QPointF again = map.position(QStringLiteral("w003"));
    QVERIFY2(std::abs(again.x() - placed.x()) < 1e-3 && std::abs(again.y() - placed.y()) < 1e-3,
        qPrintable(QStringLiteral("%1,%2 vs %3,%4")
                       .arg(again.x())
                       .arg(again.y())
                       .arg(placed.x())
                       .arg(placed.y())));
}

// A name taken asks before the bookmark is replaced; Cancel keeps the old one.
void TestBookmarks::replacingAsksFirst()
{
    MainWindow w;
    w.show();
    EmbeddingMap &map = *w.embeddingMap();
    exploreTestVectors(w);
    QTRY_VERIFY_WITH_TIMEOUT(settled(map), 30000);
    map.selectWord(QStringLiteral("w001"));
    QVERIFY(w.addBookmark(QStringLiteral("one")));
    map.selectWord(QStringLiteral("w002"));

    QString asked;
    answerNextDialog([&](QWidget *dialog) {
        auto *box = qobject_cast<QMessageBox *>(dialog);
        QVERIFY(box);
        QCOMPARE(box->objectName(), QStringLiteral("replaceBookmarkPrompt"));
        asked = box->text();
        box->button(QMessageBox::Cancel)->click();
    });
    QVERIFY(!w.addBookmark(QStringLiteral("one")));
    QVERIFY(asked.contains(QStringLiteral("“one”")));
    BookmarkStore store;
    store.load();
    QCOMPARE(store.bookmarks().size(), 1);
    QCOMPARE(store.find(QStringLiteral("one"))->view.selectedWord, QStringLiteral("w001"));

    answerNextDialog([](QWidget *dialog) {
        qobject_cast<QMessageBox *>(dialog)->button(QMessageBox::Yes)->click();
    });
    QVERIFY(w.addBookmark(QStringLiteral("one")));
    store.load();
    QCOMPARE(store.bookmarks().size(), 1);
    QCOMPARE(store.find(QStringLiteral("one"))->view.selectedWord, QStringLiteral("w002"));

    // Add Bookmark asks for a name and suggests one.
    QString suggested;
    answerNextDialog([&](QWidget *dialog) {
        auto *input = qobject_cast<QInputDialog *>(dialog);
        QVERIFY(input);
        suggested = input->textValue();
        input->setTextValue(QStringLiteral("two"));
        input->accept();
    });
    QAction *add = w.findChild<QAction *>(QStringLiteral("addBookmarkAction"));
    QVERIFY(add);
    QCOMPARE(add->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_D));
    add->trigger();
    QVERIFY2(
        suggested.startsWith(QStringLiteral("PCA · w002 · step-0.txt")), qPrintable(suggested));
    QCOMPARE(w.bookmarkNames(), (QStringList { QStringLiteral("one"), QStringLiteral("two") }));
}

// Bookmarks are in the settings: a new window (the next start) lists them and restores them,
// and says so when the vectors they showed are not imported.
void TestBookmarks::bookmarksSurviveANewWindow()
{
    EmbeddingMap::ViewState saved;
    {
        MainWindow w;
        w.show();
        exploreTestVectors(w);
        EmbeddingMap &map = *w.embeddingMap();
        QTRY_VERIFY_WITH_TIMEOUT(settled(map), 30000);
        map.setAxes(0, 3);
        map.selectWord(QStringLiteral("w010"));
        wheelZoom(map);
        saved = map.viewState();
        QVERIFY(w.addBookmark(QStringLiteral("kept")));
    }
    MainWindow w;
    w.show();
    QCOMPARE(w.bookmarkNames(), QStringList { QStringLiteral("kept") });
    EmbeddingMap &map = *w.embeddingMap();
    // Nothing imported yet: said, and the projection restored all the same.
    QVERIFY(w.restoreBookmark(QStringLiteral("kept")));
    QVERIFY2(w.statusBar()->currentMessage().contains(QStringLiteral("is not loaded")),
        qPrintable(w.statusBar()->currentMessage()));
    QCOMPARE(map.viewState().axisY, 3);

    exploreTestVectors(w);
    QTRY_VERIFY_WITH_TIMEOUT(settled(map), 30000);
    map.setAxes(0, 1);
    map.selectWord(QStringLiteral("w020"));
    QVERIFY(w.restoreBookmark(QStringLiteral("kept")));
    QTRY_VERIFY_WITH_TIMEOUT(settled(map), 30000);
    QCOMPARE(map.selectedWord(), QStringLiteral("w010"));
    QCOMPARE(map.viewState().axisY, 3);
    compareRanges(map, saved);
}

// A bookmark of a run whose folder is gone says so, and the map gets the rest of its view.
void TestBookmarks::missingRunFolderIsSaidAndTheRestRestored()
{
    QTemporaryDir gone;
    const QString folder = gone.filePath(QStringLiteral("run-1"));
    {
        MapBookmark b;
        b.name = QStringLiteral("old run");
        b.source = MapBookmark::Source::Run;
        b.path = folder; // never created
        b.step = 100;
        b.view.axisX = 2;
        b.view.axisY = 1;
        b.view.maxPoints = 80;
        b.view.xLower = -0.5;
        b.view.xUpper = 0.25;
        b.view.yLower = -0.75;
        b.view.yUpper = 1.5;
        b.view.followData = false;
        b.view.selectedWord = QStringLiteral("w005");
        BookmarkStore store;
        store.load();
        store.put(b);
    }
    MainWindow w;
    w.show();
    EmbeddingMap &map = *w.embeddingMap();
    exploreTestVectors(w);
    QTRY_VERIFY_WITH_TIMEOUT(settled(map), 30000);
    QVERIFY(w.restoreBookmark(QStringLiteral("old run")));
    const QString message = w.statusBar()->currentMessage();
    QVERIFY2(message.contains(QStringLiteral("does not exist any more"))
            && message.contains(QDir::toNativeSeparators(folder)),
        qPrintable(message));
    QTRY_VERIFY_WITH_TIMEOUT(settled(map), 30000);
    QCOMPARE(map.pointCount(), 80);
    QCOMPARE(map.selectedWord(), QStringLiteral("w005"));
    QCOMPARE(map.viewState().axisX, 2);
    QCOMPARE(xRange(map).lower, -0.5);
    QCOMPARE(xRange(map).upper, 0.25);
    QCOMPARE(yRange(map).lower, -0.75);
    QCOMPARE(yRange(map).upper, 1.5);
    // The vectors stay what the window shows.
    QCOMPARE(w.sourceBox()->currentText(), QStringLiteral("Imported: step-0.txt"));
}

// A bookmark of a run's recorded step brings the map (and the timeline) back to that step.
void TestBookmarks::runStepIsRestored()
{
    MainWindow w;
    w.show();
    QSignalSpy loaded(&w, &MainWindow::corpusLoaded);
    w.openSampleCorpus(QStringLiteral("en"));
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 30000);
    useSmallModel(w);
    QSignalSpy finished(w.controller(), &TrainingController::finished);
    QSignalSpy runs(w.document(), &Document::runsChanged);
    w.trainingPanel()->startButton()->click();
    QVERIFY(w.controller()->isRunning());
    QTRY_VERIFY_WITH_TIMEOUT(w.lossChart()->pointCount() > 10, 60000);
    w.controller()->stop();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(runs.count() >= 1, 30000);
    const QString dir = w.document()->currentRunDir();
    // Read back with the snapshot taken at the stop as well as the first one.
    QTRY_VERIFY_WITH_TIMEOUT(
        w.document()->run(dir) && w.document()->run(dir)->snapshots.size() >= 2, 30000);
    w.selectRun(dir);
    const auto steps = w.timeline()->steps();
    QVERIFY(steps.size() >= 2);

    EmbeddingMap &map = *w.embeddingMap();
    QSignalSpy shown(&w, &MainWindow::runStepShown);
    w.timeline()->setCurrentStep(steps.first());
    QTRY_VERIFY_WITH_TIMEOUT(
        !shown.isEmpty() && shown.last().at(1).toLongLong() == steps.first(), 30000);
    QTRY_VERIFY_WITH_TIMEOUT(map.historyStep() == steps.first()
            && map.isHistoryFrameReady(steps.first()) && map.pointCount() > 0,
        30000);
    map.setMaxPoints(300);
    QTRY_VERIFY_WITH_TIMEOUT(
        map.isHistoryFrameReady(steps.first()) && map.pointCount() == 300, 60000);
    const QString word = QStringLiteral("the");
    map.selectWord(word);
    wheelZoom(map);
    const EmbeddingMap::ViewState saved = map.viewState();
    QVERIFY(w.suggestedBookmarkName().contains(QStringLiteral("step %1").arg(steps.first())));
    QVERIFY(w.addBookmark(QStringLiteral("start")));

    shown.clear();
    w.timeline()->setCurrentStep(steps.last());
    QTRY_VERIFY_WITH_TIMEOUT(
        !shown.isEmpty() && shown.last().at(1).toLongLong() == steps.last(), 30000);
    map.setMaxPoints(0);
    QTRY_VERIFY_WITH_TIMEOUT(
        map.isHistoryFrameReady(steps.last()) && map.pointCount() > 300, 60000);

    shown.clear();
    QSignalSpy restored(&map, &EmbeddingMap::viewStateRestored);
    QVERIFY(w.restoreBookmark(QStringLiteral("start")));
    QTRY_COMPARE_WITH_TIMEOUT(restored.count(), 1, 60000);
    QCOMPARE(map.historyStep(), steps.first());
    QCOMPARE(w.timeline()->currentStep(), steps.first());
    QTRY_VERIFY_WITH_TIMEOUT(
        !shown.isEmpty() && shown.last().at(1).toLongLong() == steps.first(), 30000);
    QCOMPARE(map.pointCount(), 300);
    QCOMPARE(map.selectedWord(), word);
    compareRanges(map, saved);
}

// During training the map gets a new table faster than t-SNE projects one: a bookmark of the
// model is restored all the same, and its zoom stays as the frames keep coming.
void TestBookmarks::modelBookmarkRestoresWhileTraining()
{
    MainWindow w;
    w.show();
    QSignalSpy loaded(&w, &MainWindow::corpusLoaded);
    w.openSampleCorpus(QStringLiteral("en"));
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 30000);
    useSmallModel(w);
    EmbeddingMap &map = *w.embeddingMap();
    map.setMaxPoints(400);
    QSignalSpy finished(w.controller(), &TrainingController::finished);
    w.trainingPanel()->startButton()->click();
    QVERIFY(w.controller()->isRunning());
    // The model's live tables, not a recorded step of a run of the tests before (which a new
    // window may select on start).
    QComboBox *source = w.sourceBox();
    QTRY_VERIFY_WITH_TIMEOUT(source->findData(0) >= 0, 30000);
    source->setCurrentIndex(source->findData(0));
    QTRY_VERIFY_WITH_TIMEOUT(
        map.pointCount() == 400 && map.historyStep() < 0 && source->currentData().toInt() == 0,
        30000);
    map.selectWord(QStringLiteral("the"));
    wheelZoom(map);
    const EmbeddingMap::ViewState saved = map.viewState();
    QVERIFY(w.addBookmark(QStringLiteral("live")));

    map.setMethod(QStringLiteral("tsne"));
    QTRY_VERIFY_WITH_TIMEOUT(map.viewState().method == QLatin1String("tsne"), 30000);
    QSignalSpy restored(&map, &EmbeddingMap::viewStateRestored);
    QVERIFY(w.restoreBookmark(QStringLiteral("live")));
    QTRY_COMPARE_WITH_TIMEOUT(restored.count(), 1, 60000);
    QCOMPARE(map.method(), QStringLiteral("pca"));
    QCOMPARE(map.selectedWord(), QStringLiteral("the"));
    compareRanges(map, saved);
    // Zoomed by the user: the next frames keep it.
    QSignalSpy updated(&map, &EmbeddingMap::projectionUpdated);
    QTRY_VERIFY_WITH_TIMEOUT(updated.count() >= 2 || !w.controller()->isRunning(), 30000);
    compareRanges(map, saved);
    w.controller()->stop();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
}

// Manage Bookmarks: a name is changed in place (not to one taken), one is deleted, one moved up;
// OK keeps the changes in the settings and the menu.
void TestBookmarks::manageDialogRenamesDeletesAndReorders()
{
    {
        BookmarkStore store;
        store.load();
        for (const char *name : { "a", "b", "c" }) {
            MapBookmark b;
            b.name = QString::fromLatin1(name);
            store.put(b);
        }
    }
    MainWindow w;
    w.show();
    QCOMPARE(w.bookmarkNames(),
        (QStringList { QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c") }));
    bool answered = false;
    answerNextDialog([&](QWidget *dialog) {
        auto *dlg = qobject_cast<BookmarksDialog *>(dialog);
        QVERIFY(dlg);
        QListWidget *list = dlg->list();
        QCOMPARE(list->count(), 3);
        // As an edit in place ends: the item's text changes.
        list->item(0)->setText(QStringLiteral("alpha"));
        list->item(1)->setText(QStringLiteral("c")); // taken: "b" stays
        QCOMPARE(list->item(1)->text(), QStringLiteral("b"));
        list->setCurrentRow(1);
        dlg->findChild<QPushButton *>(QStringLiteral("deleteBookmark"))->click();
        QCOMPARE(list->count(), 2);
        list->setCurrentRow(1); // "c"
        dlg->findChild<QPushButton *>(QStringLiteral("moveBookmarkUp"))->click();
        QVERIFY(!dlg->findChild<QPushButton *>(QStringLiteral("moveBookmarkUp"))->isEnabled());
        answered = true;
        dlg->accept();
    });
    w.manageBookmarks();
    QVERIFY(answered);
    const QStringList expected { QStringLiteral("c"), QStringLiteral("alpha") };
    QCOMPARE(w.bookmarkNames(), expected);
    QStringList inMenu;
    for (QAction *act : w.bookmarksMenu()->actions())
        if (!act->data().toString().isEmpty())
            inMenu << act->data().toString();
    QCOMPARE(inMenu, expected);
    BookmarkStore store;
    store.load();
    QStringList kept;
    for (const MapBookmark &b : store.bookmarks())
        kept << b.name;
    QCOMPARE(kept, expected);

    // Cancel changes nothing.
    answerNextDialog([](QWidget *dialog) {
        auto *dlg = qobject_cast<BookmarksDialog *>(dialog);
        dlg->list()->setCurrentRow(0);
        dlg->findChild<QPushButton *>(QStringLiteral("deleteBookmark"))->click();
        dlg->reject();
    });
    w.manageBookmarks();
    QCOMPARE(w.bookmarkNames(), expected);
}

QTEST_MAIN(TestBookmarks)
#include "tst_bookmarks.moc"
