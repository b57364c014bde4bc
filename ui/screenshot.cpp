#include "ui/screenshot.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QImageWriter>
#include <QPixmap>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTimer>

#include <cmath>
#include <memory>

#include "core/vectors/vectors.h"

#include "ui/classifierwindow.h"
#include "ui/document.h"
#include "ui/embeddingmap.h"
#include "ui/mainwindow.h"
#include "ui/neighborspanel.h"
#include "ui/runtimeline.h"
#include "ui/trainingcontroller.h"
#include "ui/trainingpanel.h"

namespace embedlab {

namespace {

// The state of one screenshot; deletes itself (it is a child of the window) when done.
class ScreenshotDriver : public QObject
{
public:
    ScreenshotDriver(
        MainWindow *window, ScreenshotOptions options, std::function<void(const QString &)> done)
        : QObject(window)
        , m_window(window)
        , m_options(std::move(options))
        , m_done(std::move(done))
    {
        QTimer::singleShot(m_options.timeoutMs, this, [this] {
            finish(tr("Timed out after %1 s before the window was ready")
                       .arg(m_options.timeoutMs / 1000));
        });
        connect(window, &MainWindow::corpusFailed, this, [this](const QString &m) { finish(m); });
        connect(window->controller(), &TrainingController::failed, this,
            [this](const QString &m) { finish(m); });
        connect(window->controller(), &TrainingController::finished, this, [this] { settle(); });
        connect(window->controller(), &TrainingController::progressAvailable, this,
            [this](const QVector<LossPoint> &, const TrainingStatus &status) {
                if (!m_settling && status.step >= m_options.trainSteps) {
                    m_window->controller()->pause();
                    settle();
                }
            });
        if (!m_options.runDir.isEmpty()) {
            showRun();
            return;
        }
        if (window->corpus())
            QTimer::singleShot(0, this, [this] { corpusReady(); });
        else
            connect(window, &MainWindow::corpusLoaded, this, [this] { corpusReady(); });
    }

private:
    void showRun()
    {
        const QString dir = QFileInfo(m_options.runDir).absoluteFilePath();
        Document *doc = m_window->document();
        connect(doc, &Document::runFailed, this, [this](const QString &m) { finish(m); });
        connect(m_window, &MainWindow::runStepShown, this, [this](const QString &, qint64 step) {
            if (m_wantStep >= 0 && step == m_wantStep)
                settle();
        });
        connect(doc, &Document::runsChanged, this, [this, dir] {
            const auto run = m_window->document()->run(dir);
            if (!run || m_wantStep >= 0)
                return;
            if (run->snapshots.empty()) {
                finish(tr("%1: the run has recorded no embedding").arg(dir));
                return;
            }
            const qint64 step = m_options.step < 0 ? run->snapshots.back().step : m_options.step;
            if (!run->findSnapshot(step)) {
                try {
                    readRunSnapshot(*run, step);
                } catch (const std::exception &e) {
                    finish(QString::fromStdString(e.what()));
                }
                return;
            }
            m_wantStep = step;
            // After openRunFolder() has selected the run (it shows its last step).
            QTimer::singleShot(0, this, [this, dir, step] {
                m_window->selectRun(dir);
                m_window->timeline()->setCurrentStep(step);
                for (const QString &word : std::as_const(m_options.trails))
                    m_window->embeddingMap()->setTrail(word, true);
            });
        });
        m_window->openRunFolder(dir);
    }

    void corpusReady()
    {
        if (m_started)
            return;
        m_started = true;
        EmbeddingMap *map = m_window->embeddingMap();
        if (!m_options.mapMethod.isEmpty())
            map->setMethod(m_options.mapMethod);
        map->setDimensions(m_options.mapDimensions);
        if (m_options.mapWords > 0)
            map->setMaxPoints(m_options.mapWords);
        if (!m_options.vectors.isEmpty()) {
            try {
                auto vectors = std::make_shared<const WordVectors>(
                    readVectors(m_options.vectors.toStdString()));
                m_window->exploreVectors(std::move(vectors), m_options.vectors);
            } catch (const std::exception &e) {
                finish(QString::fromStdString(e.what()));
                return;
            }
            settle();
            return;
        }
        if (m_options.trainSteps > 0)
            m_window->trainingPanel()->startButton()->click();
        else
            settle();
    }

    // Waits for the views to catch up with the last snapshot, then renders.
    void settle()
    {
        if (m_settling)
            return;
        m_settling = true;
        m_clock.start();
        auto *poll = new QTimer(this);
        connect(poll, &QTimer::timeout, this, [this, poll] {
            const bool showsTable = m_options.trainSteps > 0 || !m_options.runDir.isEmpty()
                || !m_options.vectors.isEmpty();
            const EmbeddingMap *map = m_window->embeddingMap();
            // The projection asked for has ended, and the map has said how well it keeps the
            // neighbours.
            const bool mapReady = !showsTable
                || (map->pointCount() > 0 && !map->isProjecting()
                    && !std::isnan(map->neighborPreservation()));
            const bool neighborsReady
                = !showsTable || !m_window->neighborsPanel()->results().isEmpty();
            // Trails pass through every recorded step: all of them projected.
            const bool trailsReady = m_options.trails.isEmpty()
                || map->historyFramesReady() >= m_window->timeline()->steps().size();
            // At least a second after the last step, so the map shows the final snapshot.
            const int patience = m_options.mapMethod.isEmpty() ? 60000 : m_options.timeoutMs;
            if ((mapReady && neighborsReady && trailsReady && m_clock.elapsed() > 1000)
                || m_clock.elapsed() > patience) {
                poll->stop();
                render();
            }
        });
        poll->start(100);
    }

    void render()
    {
        const QPixmap pixmap = m_window->grab();
        QImageWriter writer(m_options.path);
        QString error;
        if (!writer.write(pixmap.toImage()))
            error = tr("Cannot write %1: %2")
                        .arg(QFileInfo(m_options.path).absoluteFilePath(), writer.errorString());
        finish(error);
    }

    void finish(const QString &error)
    {
        if (m_finished)
            return;
        m_finished = true;
        if (m_window->controller()->isRunning())
            m_window->controller()->stop();
        auto done = std::move(m_done);
        deleteLater();
        done(error);
    }

    QPointer<MainWindow> m_window;
    ScreenshotOptions m_options;
    std::function<void(const QString &)> m_done;
    QElapsedTimer m_clock;
    bool m_started = false, m_settling = false, m_finished = false;
    qint64 m_wantStep = -1; // the run's step asked for, once the run is read
};

// The classifier window's screenshot, driven the same way; deletes itself when done.
class ClassifierScreenshotDriver : public QObject
{
public:
    ClassifierScreenshotDriver(ClassifierWindow *window, ClassifierScreenshotOptions options,
        std::function<void(const QString &)> done)
        : QObject(window)
        , m_window(window)
        , m_options(std::move(options))
        , m_done(std::move(done))
    {
        QTimer::singleShot(m_options.timeoutMs, this, [this] {
            finish(tr("Timed out after %1 s before the window was ready")
                       .arg(m_options.timeoutMs / 1000));
        });
        connect(
            window, &ClassifierWindow::corpusFailed, this, [this](const QString &m) { finish(m); });
        connect(window, &ClassifierWindow::trainingFailed, this,
            [this](const QString &m) { finish(m); });
        connect(window, &ClassifierWindow::trainingFinished, this, [this] { settle(); });
        if (window->corpus())
            QTimer::singleShot(0, this, [this] { corpusReady(); });
        else
            connect(window, &ClassifierWindow::corpusLoaded, this, [this] { corpusReady(); });
    }

private:
    void corpusReady()
    {
        if (m_started)
            return;
        m_started = true;
        if (m_options.epochs <= 0) {
            settle();
            return;
        }
        if (auto *epochs = m_window->findChild<QSpinBox *>(QStringLiteral("epochs")))
            epochs->setValue(m_options.epochs);
        m_window->startTraining();
    }

    void settle()
    {
        if (!m_options.predictText.isEmpty())
            m_window->predictBox()->setPlainText(m_options.predictText);
        if (m_options.tab == QLatin1String("map"))
            if (auto *tabs = m_window->findChild<QTabWidget *>(QStringLiteral("classifierTabs")))
                tabs->setCurrentIndex(1);
        m_clock.start();
        auto *poll = new QTimer(this);
        connect(poll, &QTimer::timeout, this, [this, poll] {
            EmbeddingMap *map = m_window->embeddingMap();
            const bool mapReady = m_options.epochs <= 0
                || (!map->isProjecting() && map->pointCount() > 0
                    && !map->wordClassNames().isEmpty());
            if ((mapReady && m_clock.elapsed() > 800) || m_clock.elapsed() > 60000) {
                poll->stop();
                const QPixmap pixmap = m_window->grab();
                QImageWriter writer(m_options.path);
                if (!writer.write(pixmap.toImage()))
                    finish(tr("Cannot write %1: %2")
                               .arg(QFileInfo(m_options.path).absoluteFilePath(),
                                   writer.errorString()));
                else
                    finish(QString());
            }
        });
        poll->start(100);
    }

    void finish(const QString &error)
    {
        if (m_finished)
            return;
        m_finished = true;
        if (m_window->controller()->isRunning())
            m_window->controller()->stop();
        auto done = std::move(m_done);
        deleteLater();
        done(error);
    }

    QPointer<ClassifierWindow> m_window;
    ClassifierScreenshotOptions m_options;
    std::function<void(const QString &)> m_done;
    QElapsedTimer m_clock;
    bool m_started = false, m_finished = false;
};

} // namespace

void takeClassifierScreenshot(ClassifierWindow *window, const ClassifierScreenshotOptions &options,
    std::function<void(const QString &error)> done)
{
    new ClassifierScreenshotDriver(window, options, std::move(done));
}

void takeScreenshot(MainWindow *window, const ScreenshotOptions &options,
    std::function<void(const QString &error)> done)
{
    new ScreenshotDriver(window, options, std::move(done));
}

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x2b, 0x2d, 0x31), base(0x1e, 0x1f, 0x22), text(0xe6, 0xe6, 0xe6);
    const QColor disabled(0x80, 0x80, 0x80), highlight(0x3d, 0x8e, 0xe6);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::ToolTipBase, base);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, disabled);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::red);
    p.setColor(QPalette::Light, window.lighter(150));
    p.setColor(QPalette::Midlight, window.lighter(125));
    p.setColor(QPalette::Mid, window.darker(120));
    p.setColor(QPalette::Dark, window.darker(150));
    p.setColor(QPalette::Shadow, Qt::black);
    p.setColor(QPalette::Link, highlight.lighter(120));
    p.setColor(QPalette::Highlight, highlight);
    p.setColor(QPalette::HighlightedText, Qt::white);
    for (auto role : { QPalette::WindowText, QPalette::Text, QPalette::ButtonText })
        p.setColor(QPalette::Disabled, role, disabled);
    return p;
}

} // namespace embedlab
