// The main window's history chart: the central tabs it shares with the loss chart, the action
// that picks an analogy file, and the evaluation of the selected run (core/runhistory.h) on a
// worker, following the selection and a live run's new snapshots.
#include "ui/mainwindow.h"

#include "ui/evaluatedialog.h"
#include "ui/neighborspanel.h"

#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QLocale>
#include <QMenu>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>

#include <atomic>

#include "core/runhistory.h"
#include "ui/historychart.h"
#include "ui/losschart.h"
#include "ui/runspanel.h"
#include "ui/trainingcontroller.h"

namespace embedlab {

namespace {
const char *AnalogiesKey = "history/analogies";
}

// What the worker reports while it evaluates; the GUI thread polls it (m_historyTimer), and sets
// stop when a newer request makes this one stale.
struct MainWindow::HistoryProgress
{
    std::atomic<std::size_t> done { 0 }, total { 0 };
    std::atomic<bool> stop { false };
    QString dir, analogies; // what it evaluates (read on the GUI thread only)
};

void MainWindow::createCentralTabs()
{
    m_historyChart = new HistoryChart(this);
    m_centralTabs = new QTabWidget(this);
    m_centralTabs->setObjectName(QStringLiteral("centralTabs"));
    m_centralTabs->setDocumentMode(true);
    m_centralTabs->addTab(m_lossChart, tr("Loss"));
    m_centralTabs->addTab(m_historyChart, tr("History"));
    m_centralTabs->setTabToolTip(1,
        tr("How the selected run's embedding settled: neighbourhood change and analogy accuracy "
           "at each recorded snapshot"));
}

void MainWindow::addHistoryActions(QMenu *menu)
{
    menu->addSeparator();
    QAction *evaluate
        = menu->addAction(tr("E&valuate Vectors..."), this, [this] { showEvaluateDialog(); });
    evaluate->setObjectName(QStringLiteral("evaluateVectorsAction"));
    evaluate->setStatusTip(tr("Word-pair similarity and analogy accuracy of the table the map "
                              "shows, as gensim computes them"));
    QAction *act = menu->addAction(tr("Evaluate &Analogies over Training..."), this, [this] {
        const QString start = m_historyAnalogies.isEmpty()
            ? dialogPath({})
            : QFileInfo(m_historyAnalogies).absolutePath();
        const QString path = remembered(QFileDialog::getOpenFileName(
            this, tr("Analogy Questions"), start, tr("Analogy questions (*.txt);;All files (*)")));
        if (path.isEmpty())
            return;
        setHistoryAnalogies(path);
        m_centralTabs->setCurrentWidget(m_historyChart);
    });
    act->setObjectName(QStringLiteral("evaluateAnalogiesAction"));
    act->setStatusTip(tr("Draw the accuracy on an analogy questions file at every recorded "
                         "snapshot of the selected run (History tab)"));
    connect(m_historyChart, &HistoryChart::analogiesRequested, act, &QAction::trigger);
}

void MainWindow::setHistoryAnalogies(const QString &path)
{
    const QString abs = path.isEmpty() ? QString() : QFileInfo(path).absoluteFilePath();
    QSettings().setValue(QLatin1String(AnalogiesKey), abs);
    if (abs == m_historyAnalogies)
        return;
    m_historyAnalogies = abs;
    requestHistory();
}

void MainWindow::connectHistory()
{
    m_historyTask = std::make_unique<LatestTask>(this);
    m_historyAnalogies = QSettings().value(QLatin1String(AnalogiesKey)).toString();
    m_historyTimer = new QTimer(this);
    m_historyTimer->setInterval(200);
    connect(m_historyTimer, &QTimer::timeout, this, &MainWindow::showHistoryProgress);
    // The selection is settled once the event that changed it has been handled.
    const auto followSelection = [this] {
        QTimer::singleShot(0, this, [this] {
            if (m_selectedRun != m_historyRun)
                requestHistory();
        });
    };
    connect(m_runs, &RunsPanel::selectionChanged, this, followSelection);
    connect(m_document, &Document::runsChanged, this, followSelection);
    connect(m_controller, &TrainingController::snapshotRecorded, this,
        [this](const QString &dir, qint64) {
            if (dir == m_selectedRun)
                requestHistory();
        });
    connect(m_centralTabs, &QTabWidget::currentChanged, this, [this] {
        if (m_historyStale && m_centralTabs->currentWidget() == m_historyChart)
            requestHistory();
    });
}

void MainWindow::requestHistory()
{
    const QString dir = m_selectedRun;
    m_historyRun = dir;
    // Computed only for the tab on show; asked for meanwhile, it is computed when shown.
    if (m_centralTabs->currentWidget() != m_historyChart) {
        m_historyStale = true;
        return;
    }
    m_historyStale = false;
    // Another run or another file makes the running evaluation stale: it stops (what it finished
    // is kept in the run folder). A live run's new snapshot waits for it instead.
    if (m_historyProgress
        && (m_historyProgress->dir != dir || m_historyProgress->analogies != m_historyAnalogies))
        m_historyProgress->stop = true;
    if (dir.isEmpty()) {
        m_historyTask->cancel();
        m_historyTimer->stop();
        m_historyProgress.reset();
        m_historyChart->clear();
        m_historyChart->setStatus(QString());
        m_historyChartRun.clear();
        return;
    }
    const auto run = m_document->run(dir);
    const QString name
        = run ? QString::fromStdString(run->settings.name) : QFileInfo(dir).fileName();
    if (m_historyChartRun != dir)
        m_historyChart->clear();
    m_historyChartRun = dir;
    HistoryOptions options;
    options.analogies = QFile::encodeName(m_historyAnalogies).toStdString();
    auto progress = std::make_shared<HistoryProgress>();
    progress->dir = dir;
    progress->analogies = m_historyAnalogies;
    m_historyProgress = progress;
    m_historyChart->setStatus(tr("Evaluating the snapshots of %1...").arg(name));
    m_historyTimer->start();
    const std::string path = QFile::encodeName(dir).toStdString();
    m_historyTask->request<RunHistory>(
        [path, options, progress] {
            return std::function<RunHistory()>([path, options, progress] {
                // Read again: a live run's folder has grown since the document read it.
                const RunData data = readRun(path);
                return updateRunHistory(
                    data, options, [progress](std::size_t done, std::size_t total) {
                        progress->done = done;
                        progress->total = total;
                        return !progress->stop.load();
                    });
            });
        },
        [this, dir, name, progress](std::shared_ptr<RunHistory> history, QString error) {
            const bool newest = progress == m_historyProgress;
            if (newest)
                m_historyTimer->stop();
            if (dir != m_selectedRun)
                return; // another run was selected meanwhile
            if (!history) {
                if (newest)
                    m_historyChart->setStatus(
                        tr("The history of %1 could not be evaluated: %2").arg(name, error));
                return;
            }
            m_historyChart->setHistory(name, *history);
            if (newest) {
                QString status;
                if (!history->cacheError.empty())
                    status = tr("Not kept in the run folder: %1")
                                 .arg(QString::fromStdString(history->cacheError));
                else if (history->points.empty())
                    status = tr("%1 has recorded no snapshots yet.").arg(name);
                m_historyChart->setStatus(status);
            }
            emit historyShown(dir);
        });
}

void MainWindow::stopHistory()
{
    if (m_historyProgress)
        m_historyProgress->stop = true;
}

void MainWindow::showHistoryProgress()
{
    if (!m_historyProgress)
        return;
    const std::size_t total = m_historyProgress->total, done = m_historyProgress->done;
    if (total == 0)
        return;
    m_historyChart->setStatus(
        tr("Evaluating snapshot %1 of %2...")
            .arg(QLocale().toString(static_cast<qulonglong>(std::min(done + 1, total))))
            .arg(QLocale().toString(static_cast<qulonglong>(total))));
}

void MainWindow::showEvaluateDialog()
{
    if (!m_evaluate) {
        m_evaluate = new EvaluateDialog(this);
        m_evaluate->setQuestionsFile(m_historyAnalogies);
        auto follow
            = [this] { m_evaluate->setTable(m_neighbors->table(), m_neighbors->tableSource()); };
        connect(m_neighbors, &NeighborsPanel::tableChanged, m_evaluate, follow);
        follow();
    }
    m_evaluate->show();
    m_evaluate->raise();
    m_evaluate->activateWindow();
}

} // namespace embedlab
