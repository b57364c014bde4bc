// The embedding map with every row of a large table: the PCA of all of them, then what the user
// waits for while exploring it, the redraw after a pan and after a zoom (median and worst of 30
// each) and the hover lookup of the word under the pointer. The table is a word-vector file, or
// --rows rows made from it (each of its rows again with a little noise, as many times as it
// takes), or Gaussian clusters when no file is given:
//
//   QT_QPA_PLATFORM=offscreen bench_map [--vectors glove.6B.100d.txt] [--rows 341479] [--dim 100]
#include <QApplication>
#include <QElapsedTimer>

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <random>
#include <string>

#include "core/vectors/vectors.h"
#include "ui/embeddingmap.h"

using namespace embedlab;

namespace {

double msSince(const QElapsedTimer &t)
{
    return static_cast<double>(t.nsecsElapsed()) / 1e6;
}

void waitFor(QApplication &app, const std::function<bool()> &until)
{
    QElapsedTimer t;
    t.start();
    while (!until() && t.elapsed() < 600000)
        app.processEvents(QEventLoop::WaitForMoreEvents, 20);
}

struct Timings
{
    double median = 0, worst = 0;
};

Timings timed(int rounds, const std::function<void(int)> &work)
{
    std::vector<double> ms;
    for (int i = 0; i < rounds; ++i) {
        QElapsedTimer t;
        t.start();
        work(i);
        ms.push_back(msSince(t));
    }
    std::sort(ms.begin(), ms.end());
    return { ms[ms.size() / 2], ms.back() };
}

WordVectors makeTable(const std::string &path, std::size_t rows, int dim)
{
    std::mt19937 rng(1);
    std::normal_distribution<float> normal;
    if (!path.empty()) {
        WordVectors file = readVectors(path);
        if (rows == 0 || rows <= file.size())
            return file;
        // The file's rows again and again, each copy a little off its original.
        const float noise = 0.1f * std::sqrt(file.vectors().squaredNorm() / file.vectors().size());
        RowMatrixXf v(static_cast<Eigen::Index>(rows), file.dim());
        std::vector<std::string> words;
        for (std::size_t i = 0; i < rows; ++i) {
            const std::size_t src = i % file.size();
            for (int j = 0; j < file.dim(); ++j)
                v(static_cast<Eigen::Index>(i), j)
                    = file.vectors()(static_cast<Eigen::Index>(src), j) + noise * normal(rng);
            words.push_back(file.word(src) + (i < file.size() ? "" : "#" + std::to_string(i)));
        }
        return WordVectors(std::move(words), std::move(v));
    }
    if (rows == 0)
        rows = 341479;
    RowMatrixXf centres(50, dim);
    for (Eigen::Index c = 0; c < centres.rows(); ++c)
        for (int j = 0; j < dim; ++j)
            centres(c, j) = 3 * normal(rng);
    RowMatrixXf v(static_cast<Eigen::Index>(rows), dim);
    std::vector<std::string> words;
    for (std::size_t i = 0; i < rows; ++i) {
        const Eigen::Index c = static_cast<Eigen::Index>(i % 50);
        for (int j = 0; j < dim; ++j)
            v(static_cast<Eigen::Index>(i), j) = centres(c, j) + normal(rng);
        words.push_back("w" + std::to_string(i));
    }
    return WordVectors(std::move(words), std::move(v));
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    std::string path;
    std::size_t rows = 341479;
    int dim = 100;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--vectors"))
            path = argv[i + 1];
        else if (!std::strcmp(argv[i], "--rows"))
            rows = std::stoull(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--dim"))
            dim = std::stoi(argv[i + 1]);
    }
    auto table = std::make_shared<const WordVectors>(makeTable(path, rows, dim));

    EmbeddingMap map;
    map.resize(900, 700);
    map.show();
    bool updated = false;
    QObject::connect(&map, &EmbeddingMap::projectionUpdated, [&] { updated = true; });
    QElapsedTimer t;
    t.start();
    map.setTable(table, QStringLiteral("bench"), false);
    waitFor(app, [&] { return updated; });
    const double projectMs = msSince(t);
    // The share of neighbours kept is measured next, in the background; then the map is idle.
    waitFor(app, [&] { return !std::isnan(map.neighborPreservation()); });
    const double preservationMs = msSince(t) - projectMs;
    QCustomPlot *plot = map.plot();
    plot->replot(QCustomPlot::rpImmediateRefresh);
    const double firstMs = plot->replotTime(false);

    const Timings pan = timed(30, [&](int i) {
        const double step = plot->xAxis->range().size() * 0.05 * (i % 2 ? -1 : 1);
        plot->xAxis->moveRange(step);
        plot->replot(QCustomPlot::rpImmediateRefresh);
    });
    const Timings zoom = timed(30, [&](int i) {
        const double f = i % 2 ? 1.25 : 0.8;
        plot->xAxis->scaleRange(f, plot->xAxis->range().center());
        plot->yAxis->scaleRange(f, plot->yAxis->range().center());
        plot->replot(QCustomPlot::rpImmediateRefresh);
    });
    // Zoomed in on the centre, where the labels and most points are.
    plot->xAxis->scaleRange(0.1, plot->xAxis->range().center());
    plot->yAxis->scaleRange(0.1, plot->yAxis->range().center());
    const Timings zoomedPan = timed(30, [&](int i) {
        const double step = plot->xAxis->range().size() * 0.05 * (i % 2 ? -1 : 1);
        plot->xAxis->moveRange(step);
        plot->replot(QCustomPlot::rpImmediateRefresh);
    });
    const QRect area = plot->axisRect()->rect();
    const Timings hover = timed(30, [&](int i) {
        map.wordAt(
            QPointF(area.left() + (i * 37) % area.width(), area.top() + (i * 53) % area.height()));
    });
    std::printf("{\"rows\":%d,\"dim\":%d,\"project_ms\":%.0f,\"preservation_ms\":%.0f,"
                "\"neighbours_kept\":%.3f,\"first_redraw_ms\":%.1f,"
                "\"pan_redraw_ms\":{\"median\":%.1f,\"worst\":%.1f},"
                "\"zoom_redraw_ms\":{\"median\":%.1f,\"worst\":%.1f},"
                "\"zoomed_in_pan_redraw_ms\":{\"median\":%.1f,\"worst\":%.1f},"
                "\"hover_lookup_ms\":{\"median\":%.1f,\"worst\":%.1f}}\n",
        map.pointCount(), table->dim(), projectMs, preservationMs, map.neighborPreservation(),
        firstMs, pan.median, pan.worst, zoom.median, zoom.worst, zoomedPan.median, zoomedPan.worst,
        hover.median, hover.worst);
    return 0;
}
