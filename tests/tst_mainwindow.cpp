// The window as a user meets it: it opens the bundled corpus on a worker thread, and a bad file
// shows an error while the previous corpus stays.
#include <QtTest>

#include <QLabel>
#include <QMessageBox>
#include <QTableWidget>

#include "ui/mainwindow.h"

using namespace embedlab;

class TestMainWindow : public QObject {
    Q_OBJECT

private slots:
    void opensTheSampleCorpus();
    void badFileKeepsThePreviousCorpus();
};

void TestMainWindow::opensTheSampleCorpus()
{
    MainWindow w;
    QSignalSpy loaded(&w, &MainWindow::corpusLoaded);
    w.openSampleCorpus();
    w.show();
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 20000);
    QVERIFY(w.corpus());
    QVERIFY(w.corpus()->vocab.size() > 5000);
    QVERIFY(w.corpus()->train.size() > 100000);
    auto *table = w.findChild<QTableWidget *>();
    QVERIFY(table);
    QCOMPARE(table->item(2, 1)->text(), QStringLiteral("<eos>"));
    QCOMPARE(table->item(5, 1)->text(), QStringLiteral("the"));
    QVERIFY(w.windowTitle().contains(QStringLiteral("Pride and Prejudice")));
}

void TestMainWindow::badFileKeepsThePreviousCorpus()
{
    MainWindow w;
    QSignalSpy loaded(&w, &MainWindow::corpusLoaded);
    QSignalSpy failed(&w, &MainWindow::corpusFailed);
    w.openSampleCorpus();
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 20000);
    const Corpus *before = w.corpus();
    const int vocab = before->vocab.size();
    // Dismiss the error box the failure opens.
    QTimer closer;
    QObject::connect(&closer, &QTimer::timeout, [] {
        if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget()))
            box->accept();
    });
    closer.start(50);
    const QString bad = QStringLiteral(EMBEDLAB_TEST_DATA "/text/utf16le.txt");
    w.openCorpus(bad);
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 20000);
    const QString message = failed.at(0).at(0).toString();
    QVERIFY2(message.contains(bad) && message.contains(QStringLiteral("UTF-16")), qPrintable(message));
    QCOMPARE(w.corpus(), before);
    QCOMPARE(w.corpus()->vocab.size(), vocab);
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
