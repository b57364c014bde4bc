#include "ui/mainwindow.h"

#include <QAction>
#include <QApplication>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace embedlab {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setWindowTitle(tr("Embedding Lab"));
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    m_summary = new QLabel(tr("No corpus open."), central);
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_words = new QTableWidget(0, 3, central);
    m_words->setHorizontalHeaderLabels({tr("Id"), tr("Word"), tr("Count")});
    m_words->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_words->verticalHeader()->hide();
    m_words->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_words->setAlternatingRowColors(true);
    layout->addWidget(m_summary);
    layout->addWidget(m_words, 1);
    setCentralWidget(central);

    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *open = file->addAction(tr("&Open Corpus..."), this, &MainWindow::chooseCorpus);
    open->setShortcut(QKeySequence::Open);
    file->addAction(tr("Open &Sample Corpus"), this, &MainWindow::openSampleCorpus);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Embedding Lab"), this, &MainWindow::showAbout);

    connect(&m_watcher, &QFutureWatcher<LoadResult>::finished, this,
            &MainWindow::onLoadFinished);
    resize(900, 640);
    statusBar()->showMessage(tr("Ready"));
}

MainWindow::~MainWindow()
{
    m_watcher.waitForFinished();
}

void MainWindow::startLoad(const QString &displayName, std::function<Corpus()> load)
{
    if (m_watcher.isRunning())
        return;
    m_loadingName = displayName;
    statusBar()->showMessage(tr("Reading %1...").arg(displayName));
    m_watcher.setFuture(QtConcurrent::run([load]() -> LoadResult {
        try {
            return {std::make_shared<Corpus>(load()), {}};
        } catch (const std::bad_alloc &) {
            return {nullptr, tr("Not enough memory to read the corpus.")};
        } catch (const std::exception &e) {
            return {nullptr, QString::fromStdString(e.what())};
        }
    }));
}

void MainWindow::openCorpus(const QString &path)
{
    const std::string p = QFile::encodeName(path).toStdString();
    startLoad(QFileInfo(path).fileName(), [p] { return loadCorpus(p, CorpusOptions {}); });
}

void MainWindow::openSampleCorpus()
{
    QFile f(QStringLiteral(":/sample/pride-and-prejudice.txt"));
    f.open(QIODevice::ReadOnly);
    const QByteArray bytes = f.readAll();
    startLoad(tr("Pride and Prejudice (sample)"), [bytes] {
        return buildCorpus(std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size())),
                           CorpusOptions {}, "Pride and Prejudice (sample)");
    });
}

void MainWindow::onLoadFinished()
{
    LoadResult result = m_watcher.result();
    if (!result.corpus) {
        const QString message = result.error;
        statusBar()->showMessage(tr("Could not open %1").arg(m_loadingName));
        QMessageBox::warning(this, tr("Could not open corpus"), message);
        emit corpusFailed(message);
        return;
    }
    m_corpus = std::move(result.corpus);
    showCorpus();
    statusBar()->showMessage(tr("Opened %1").arg(m_loadingName), 5000);
    emit corpusLoaded();
}

void MainWindow::showCorpus()
{
    const Corpus &c = *m_corpus;
    setWindowTitle(tr("%1 - Embedding Lab").arg(m_loadingName));
    m_summary->setText(tr("<b>%1</b><br>%2 lines, %3 tokens; vocabulary of %4 words; "
                          "%5 training and %6 validation tokens")
                               .arg(m_loadingName.toHtmlEscaped())
                               .arg(c.stats.nonEmptyLines)
                               .arg(c.stats.tokens)
                               .arg(c.vocab.size())
                               .arg(c.train.size())
                               .arg(c.valid.size()));
    const int rows = std::min(c.vocab.size(), 1000);
    m_words->setRowCount(rows);
    for (int i = 0; i < rows; ++i) {
        m_words->setItem(i, 0, new QTableWidgetItem(QString::number(i)));
        m_words->setItem(i, 1, new QTableWidgetItem(QString::fromStdString(c.vocab.word(i))));
        m_words->setItem(i, 2, new QTableWidgetItem(QString::number(c.vocab.count(i))));
    }
}

void MainWindow::chooseCorpus()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Corpus"), QString(),
                                                      tr("Text files (*.txt);;All files (*)"));
    if (!path.isEmpty())
        openCorpus(path);
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About Embedding Lab"),
                       tr("<h3>Embedding Lab %1</h3><p>Train word embeddings with an LSTM "
                          "language model and watch them learn.</p><p>Built with Qt %2 and "
                          "Eigen. Sample text: Jane Austen, <i>Pride and Prejudice</i> "
                          "(public domain).</p>")
                               .arg(QStringLiteral(EMBEDLAB_VERSION), QString::fromLatin1(qVersion())));
}

} // namespace embedlab
