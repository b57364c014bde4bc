// Responsiveness of the real window: the longest gap in the GUI event loop while training the
// reference model on the sample corpus and while importing a large vector file, and the time to
// redraw the embedding map. Run offscreen:
//
//   QT_QPA_PLATFORM=offscreen bench_gui [--seconds 20] [--vectors glove.6B.100d.txt]
//                                       [--window-png window.png]
#include <QApplication>
#include <QElapsedTimer>
#include <QMessageBox>
#include <QTimer>

#include <cstdio>

#include <qcustomplot.h>

#include "ui/embeddingmap.h"
#include "ui/importvectorsdialog.h"
#include "ui/losschart.h"
#include "ui/mainwindow.h"
#include "ui/trainingcontroller.h"
#include "ui/trainingpanel.h"

using namespace embedlab;

namespace {

// The longest interval between event-loop turns (a 1 ms timer), from construction on.
class StallMeter {
public:
    StallMeter()
    {
        m_clock.start();
        m_tick.setTimerType(Qt::PreciseTimer);
        QObject::connect(&m_tick, &QTimer::timeout, [this] {
            const qint64 now = m_clock.elapsed();
            m_worst = std::max(m_worst, now - m_last);
            m_last = now;
        });
        m_tick.start(1);
    }
    qint64 worst() const { return m_worst; }
    qint64 elapsed() const { return m_clock.elapsed(); }

private:
    QElapsedTimer m_clock;
    QTimer m_tick;
    qint64 m_last = 0, m_worst = 0;
};

// Runs the event loop until `until` holds (or the timeout) and returns the longest stall.
qint64 longestStall(QApplication &app, const std::function<bool()> &until, qint64 timeoutMs)
{
    StallMeter meter;
    while (!until() && meter.elapsed() < timeoutMs)
        app.processEvents(QEventLoop::WaitForMoreEvents, 50);
    return meter.worst();
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    int seconds = 20;
    QString vectors, windowPng;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); i += 2) {
        if (args[i] == QLatin1String("--seconds"))
            seconds = args[i + 1].toInt();
        else if (args[i] == QLatin1String("--vectors"))
            vectors = args[i + 1];
        else if (args[i] == QLatin1String("--window-png"))
            windowPng = args[i + 1];
    }
    MainWindow w;
    w.resize(1400, 900);
    w.show();
    bool loaded = false;
    QObject::connect(&w, &MainWindow::corpusLoaded, [&] { loaded = true; });
    w.openSampleCorpus();
    const qint64 loadStall = longestStall(app, [&] { return loaded; }, 60000);

    // Training the default model (E = H = 200, 2 layers, B = 20, T = 35).
    QElapsedTimer t;
    t.start();
    w.trainingPanel()->startButton()->click();
    const qint64 trainStall = longestStall(app, [&] { return t.elapsed() > seconds * 1000; },
                                           seconds * 1000 + 1000);
    const int points = w.lossChart()->pointCount();
    bool finished = false;
    QObject::connect(w.controller(), &TrainingController::finished, [&] { finished = true; });
    w.controller()->stop();
    longestStall(app, [&] { return finished; }, 10000);

    qint64 importStall = -1, importMs = -1;
    if (!vectors.isEmpty()) {
        // Accept the dialog as soon as the file is read; the map and neighbours then update.
        QTimer pilot;
        QObject::connect(&pilot, &QTimer::timeout, [&] {
            if (auto *d = qobject_cast<ImportVectorsDialog *>(QApplication::activeModalWidget()))
                if (d->vectors())
                    d->accept();
            if (auto *b = qobject_cast<QMessageBox *>(QApplication::activeModalWidget()))
                b->accept();
        });
        pilot.start(20);
        bool mapped = false;
        QObject::connect(w.embeddingMap(), &EmbeddingMap::projectionUpdated, [&] { mapped = true; });
        StallMeter meter;
        w.importVectors(vectors); // modal: the timers keep running in its event loop
        mapped = false;           // the projection of the imported table comes after
        while (!mapped && meter.elapsed() < 120000)
            app.processEvents(QEventLoop::WaitForMoreEvents, 50);
        importStall = meter.worst();
        importMs = meter.elapsed();
    }

    // Redraw of the map as it stands (the sample's vocabulary, or up to 20,000 imported words).
    QElapsedTimer r;
    double best = 1e9;
    for (int i = 0; i < 5; ++i) {
        r.start();
        w.embeddingMap()->plot()->replot(QCustomPlot::rpImmediateRefresh);
        best = std::min(best, r.nsecsElapsed() / 1e6);
    }
    if (!windowPng.isEmpty())
        w.grab().save(windowPng);
    std::printf("{\"load_stall_ms\":%lld,\"training_stall_ms\":%lld,\"training_seconds\":%d,"
                "\"loss_points\":%d,\"import_stall_ms\":%lld,\"import_and_map_ms\":%lld,"
                "\"map_points\":%d,\"map_redraw_ms\":%.1f}\n",
                static_cast<long long>(loadStall), static_cast<long long>(trainStall), seconds,
                points, static_cast<long long>(importStall), static_cast<long long>(importMs),
                w.embeddingMap()->pointCount(), best);
    return 0;
}
