// Scrubbing a run's timeline: how long the map takes to show the step asked for first (read and
// projected), to project every recorded step in the background, and to redraw a projected step
// (what each frame of scrubbing or Play costs), with and without trails. Either a recorded run
// folder or a synthetic history of `--words` x `--dim` tables drifting over `--steps` steps:
//
//   QT_QPA_PLATFORM=offscreen bench_scrub [--run DIR] [--words 10000] [--dim 200] [--steps 20]
#include <QApplication>
#include <QElapsedTimer>

#include <qcustomplot.h>

#include <algorithm>
#include <cstdio>
#include <random>

#include "core/runlog.h"
#include "ui/embeddingmap.h"

using namespace embedlab;

namespace {

double msSince(const QElapsedTimer &t)
{
    return static_cast<double>(t.nsecsElapsed()) / 1e6;
}

// Runs the event loop until `until` holds or 120 s pass.
void waitFor(QApplication &app, const std::function<bool()> &until)
{
    QElapsedTimer t;
    t.start();
    while (!until() && t.elapsed() < 120000)
        app.processEvents(QEventLoop::WaitForMoreEvents, 20);
}

struct Timings
{
    double median = 0, worst = 0;
};

Timings redrawEveryStep(EmbeddingMap &map, const QVector<qint64> &steps)
{
    QVector<double> ms;
    for (int round = 0; round < 3; ++round)
        for (const qint64 s : steps) {
            QElapsedTimer t;
            t.start();
            map.showHistoryStep(s, QStringLiteral("step %1").arg(s));
            map.plot()->replot(QCustomPlot::rpImmediateRefresh);
            ms.append(msSince(t));
        }
    std::sort(ms.begin(), ms.end());
    return { ms[ms.size() / 2], ms.back() };
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QString runDir;
    int words = 10000, dim = 200, stepCount = 20;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); i += 2) {
        if (args[i] == QLatin1String("--run"))
            runDir = args[i + 1];
        else if (args[i] == QLatin1String("--words"))
            words = args[i + 1].toInt();
        else if (args[i] == QLatin1String("--dim"))
            dim = args[i + 1].toInt();
        else if (args[i] == QLatin1String("--steps"))
            stepCount = args[i + 1].toInt();
    }

    QVector<qint64> steps;
    EmbeddingMap::StepLoader loader;
    if (!runDir.isEmpty()) {
        auto run = std::make_shared<RunData>(readRun(runDir.toStdString()));
        for (const auto &s : run->snapshots)
            steps.push_back(s.step);
        loader = [run](qint64 s) { return readRunSnapshot(*run, s, false); };
    } else {
        for (int i = 0; i < stepCount; ++i)
            steps.push_back(100 * i);
        loader = [words, dim](qint64 step) {
            // The same base table each step, drifting with the step.
            std::mt19937 base(1), drift(static_cast<unsigned>(step));
            std::normal_distribution<float> normal;
            RowMatrixXf v(words, dim);
            for (int i = 0; i < words; ++i)
                for (int j = 0; j < dim; ++j)
                    v(i, j) = normal(base) / static_cast<float>(1 + j)
                        + 0.001f * static_cast<float>(step) * normal(drift);
            std::vector<std::string> w;
            std::vector<std::uint64_t> counts;
            for (int i = 0; i < words; ++i) {
                w.push_back("w" + std::to_string(i));
                counts.push_back(static_cast<std::uint64_t>(words - i));
            }
            return WordVectors(std::move(w), std::move(v), std::move(counts));
        };
    }
    if (steps.size() < 2) {
        std::fprintf(stderr, "bench_scrub: the run has fewer than 2 recorded steps\n");
        return 1;
    }

    EmbeddingMap map;
    map.resize(900, 650);
    map.show();
    bool shown = false;
    QObject::connect(&map, &EmbeddingMap::historyTableAvailable, [&] { shown = true; });
    QElapsedTimer t;
    t.start();
    map.setHistory(QStringLiteral("bench"), steps, loader);
    const qint64 asked = steps[steps.size() / 2];
    map.showHistoryStep(asked, QStringLiteral("asked"));
    waitFor(app, [&] { return shown; });
    const double first = msSince(t);
    waitFor(app, [&] { return map.historyFramesReady() == steps.size(); });
    const double all = msSince(t);

    const Timings plain = redrawEveryStep(map, steps);
    // Five words leaving trails.
    for (int i = 0; i < 5; ++i)
        map.setTrail(
            QString::fromStdString(loader(steps[0]).word(static_cast<std::size_t>(i * 7))), true);
    const Timings trails = redrawEveryStep(map, steps);
    std::printf("{\"words\":%d,\"steps\":%d,\"first_frame_ms\":%.0f,\"all_frames_ms\":%.0f,"
                "\"per_frame_projection_ms\":%.0f,\"redraw_median_ms\":%.1f,"
                "\"redraw_worst_ms\":%.1f,\"redraw_with_5_trails_median_ms\":%.1f,"
                "\"redraw_with_5_trails_worst_ms\":%.1f}\n",
        map.pointCount(), static_cast<int>(steps.size()), first, all, all / steps.size(),
        plain.median, plain.worst, trails.median, trails.worst);
    return 0;
}
