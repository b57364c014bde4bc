// The loss chart: smoothing against a hand computation, every point kept while the drawing is
// thinned and fast (and the thinning on its own: ends, extremes, range, undrawable values), units
// and log axes, epoch markers, exports that read back (and the CSV writer on its own), the hover
// read-out, clearing, colours that follow the palette, and other runs overlaid on the same axes.
#include <QtTest>

#include <QApplication>
#include <QImage>
#include <QTemporaryDir>

#include <qcustomplot.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <random>

#include "ui/chartcsv.h"
#include "ui/losschart.h"
#include "ui/thinning.h"

using namespace embedlab;

namespace {

const double NaN = std::numeric_limits<double>::quiet_NaN();

LossPoint point(qint64 step, double loss, int epoch = 1)
{
    LossPoint p;
    p.step = step;
    p.tokens = 700.0 * static_cast<double>(step);
    p.seconds = 0.125 * static_cast<double>(step);
    p.loss = loss;
    p.lr = 20;
    p.gradNorm = 0.25 + 1e-3 * static_cast<double>(step % 7);
    p.epoch = epoch;
    return p;
}

QVector<LossPoint> points(const QVector<double> &losses)
{
    QVector<LossPoint> out;
    for (int i = 0; i < losses.size(); ++i)
        out.append(point(i + 1, losses[i]));
    return out;
}

// A decaying, noisy training curve: windows `from`..`to` (1-based), epochs of `perEpoch`.
QVector<LossPoint> trainingCurve(qint64 from, qint64 to, qint64 perEpoch, std::mt19937 &rng)
{
    std::normal_distribution<double> noise(0.0, 0.22);
    QVector<LossPoint> out;
    out.reserve(static_cast<int>(to - from + 1));
    for (qint64 s = from; s <= to; ++s) {
        const int epoch = static_cast<int>((s - 1) / perEpoch) + 1;
        const double t = static_cast<double>(s);
        double loss = 4.75 + 4.45 * std::exp(-t / 900.0) + 0.35 * std::exp(-t / 12000.0)
            + noise(rng) * (0.6 + 0.4 * std::exp(-t / 3000.0));
        if (epoch >= 3)
            loss -= 0.18 * (1 - std::exp(-(t - 2 * perEpoch) / 300.0)); // after the lr cut
        LossPoint p = point(s, loss, epoch);
        p.lr = epoch >= 3 ? 5 : 20;
        out.append(p);
    }
    return out;
}

EpochPoint epochPoint(
    int epoch, qint64 step, double trainLoss, double validLoss, double lr, bool cut)
{
    EpochPoint e;
    e.epoch = epoch;
    e.step = step;
    e.tokens = 700.0 * static_cast<double>(step);
    e.seconds = 0.125 * static_cast<double>(step);
    e.trainLoss = trainLoss;
    e.validLoss = validLoss;
    e.validPerplexity = std::exp(validLoss);
    e.lr = lr;
    e.lrCut = cut;
    return e;
}

QCustomPlot *plotOf(LossChart &chart)
{
    return chart.findChild<QCustomPlot *>();
}

QCPGraph *graph(LossChart &chart, const QString &nameContains)
{
    QCustomPlot *plot = plotOf(chart);
    for (int i = 0; i < plot->graphCount(); ++i)
        if (plot->graph(i)->name().contains(nameContains))
            return plot->graph(i);
    return nullptr;
}

QVector<QCPGraphData> dataOf(QCPGraph *g)
{
    QVector<QCPGraphData> out;
    for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it)
        out.append(*it);
    return out;
}

template <class Item> QList<Item *> itemsOf(LossChart &chart)
{
    QList<Item *> out;
    QCustomPlot *plot = plotOf(chart);
    for (int i = 0; i < plot->itemCount(); ++i)
        if (auto *item = qobject_cast<Item *>(plot->item(i)))
            out.append(item);
    return out;
}

void showChart(LossChart &chart, int width = 1000, int height = 600)
{
    chart.resize(width, height);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
}

// Draw now instead of at the next event-loop turn.
void settle(LossChart &chart)
{
    plotOf(chart)->replot(QCustomPlot::rpImmediateRefresh);
}

void hover(QCustomPlot *plot, QPointF pos)
{
    QMouseEvent move(
        QEvent::MouseMove, pos, plot->mapToGlobal(pos), Qt::NoButton, Qt::NoButton, Qt::NoModifier);
    QCoreApplication::sendEvent(plot, &move);
}

QPalette darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x2d, 0x2d, 0x30));
    p.setColor(QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    p.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x26));
    p.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Button, QColor(0x3a, 0x3a, 0x3d));
    p.setColor(QPalette::ButtonText, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x7a, 0xd6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::ToolTipBase, QColor(0x3a, 0x3a, 0x3d));
    p.setColor(QPalette::ToolTipText, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::PlaceholderText, QColor(0x90, 0x90, 0x90));
    return p;
}

RunCurve runCurve(const QString &id, const QColor &colour, const QVector<LossPoint> &pts,
    const QVector<EpochPoint> &epochs = {})
{
    RunCurve run;
    run.id = id;
    run.name = QStringLiteral("run ") + id;
    run.colour = colour;
    run.points = pts;
    run.epochs = epochs;
    return run;
}

// An overlay's graph by its object name, "run:<id>:raw", ":smoothed" or ":validation".
QCPGraph *runGraph(LossChart &chart, const QString &id, const char *series)
{
    QCustomPlot *plot = plotOf(chart);
    const QString name = QStringLiteral("run:%1:%2").arg(id, QLatin1String(series));
    for (int i = 0; i < plot->graphCount(); ++i)
        if (plot->graph(i)->objectName() == name)
            return plot->graph(i);
    return nullptr;
}

int graphsWithData(LossChart &chart)
{
    QCustomPlot *plot = plotOf(chart);
    int n = 0;
    for (int i = 0; i < plot->graphCount(); ++i)
        n += plot->graph(i)->dataCount() > 0;
    return n;
}

QStringList legendNames(LossChart &chart)
{
    QCustomPlot *plot = plotOf(chart);
    QStringList out;
    for (int i = 0; i < plot->legend->itemCount(); ++i)
        if (auto *item = qobject_cast<QCPPlottableLegendItem *>(plot->legend->item(i)))
            out << item->plottable()->name();
    return out;
}

// Values in the CSV's shortest round-trip form; an empty field is NaN.
double csvNumber(const QByteArray &field)
{
    if (field.isEmpty())
        return NaN;
    bool ok = false;
    const double v = field.toDouble(&ok);
    return ok ? v : std::numeric_limits<double>::infinity();
}

} // namespace

class TestLossChart : public QObject
{
    Q_OBJECT

private slots:
    void smoothingIsTensorBoardsDebiasedAverage_data();
    void smoothingIsTensorBoardsDebiasedAverage();
    void smoothingIsIndependentOfBatching();
    void keepsEveryPointAndDrawsThinned();
    void thinningKeepsEndsAndExtremes();
    void thinningKeepsEveryPointWhenFew();
    void thinningLeavesOutWhatCannotBeDrawn();
    void thinningBreaksExportPolylines();
    void perplexityShowsExpOfLoss();
    void xUnits_data();
    void xUnits();
    void logAxesAreRealLogAxes();
    void epochValidationAndLrCutMarkers();
    void crowdedLrCutLabelsDoNotOverlap();
    void autoFitFollowsDataUntilTurnedOff();
    void csvRoundTrips();
    void csvWriterWritesOneTable();
    void pngAndPdfExports();
    void failedExportKeepsThePreviousFile();
    void hoverText();
    void hoverShowsTheNearestWindow();
    void hoverReadoutNeverMovesThePlot();
    void stepTicksAreWholeNumbers_data();
    void stepTicksAreWholeNumbers();
    void clearEmptiesEverything();
    void coloursFollowThePalette();
    void overlaysAreCurvesInTheirColours();
    void overlaysFollowTheXUnit_data();
    void overlaysFollowTheXUnit();
    void overlaysFollowYModeAndSmoothing();
    void emptyOverlaysRemoveThem();
    void autoFitCoversTheLongestRun();
    void largeOverlayStillDrawsThinned();
    void hoverNamesTheNearestRun();
    void overlayColoursFollowThePalette();
    void screenshots();
};

void TestLossChart::smoothingIsTensorBoardsDebiasedAverage_data()
{
    QTest::addColumn<double>("weight");
    QTest::addColumn<QVector<double>>("values");
    QTest::addColumn<QVector<double>>("expected");
    // last = last*w + (1-w)*v, divided by 1 - w^n, by hand:
    // w=0.5: 0.5/0.5 = 1; 1.25/0.75 = 1.6667; 2.125/0.875 = 2.4286.
    QTest::newRow("w=0.5") << 0.5 << QVector<double> { 1, 2, 3 }
                           << QVector<double> { 1.0, 5.0 / 3.0, 17.0 / 7.0 };
    // w=0.9: 0.4/0.1 = 4; (0.36+0.2)/0.19 = 2.947368; (0.504+0.6)/0.271 = 4.073801.
    QTest::newRow("w=0.9") << 0.9 << QVector<double> { 4, 2, 6 }
                           << QVector<double> { 4.0, 0.56 / 0.19, 1.104 / 0.271 };
    QTest::newRow("w=0 is the raw loss")
        << 0.0 << QVector<double> { 3, 1, 2 } << QVector<double> { 3, 1, 2 };
    // A non-finite value passes through and does not enter the average (TensorBoard).
    QTest::newRow("NaN passes through")
        << 0.5 << QVector<double> { 1, NaN, 2 } << QVector<double> { 1.0, NaN, 5.0 / 3.0 };
    QTest::newRow("constant stays constant")
        << 0.999 << QVector<double> { 7, 7, 7, 7 } << QVector<double> { 7, 7, 7, 7 };
}

void TestLossChart::smoothingIsTensorBoardsDebiasedAverage()
{
    QFETCH(double, weight);
    QFETCH(QVector<double>, values);
    QFETCH(QVector<double>, expected);
    LossChart chart;
    chart.setSmoothing(weight);
    QCOMPARE(chart.smoothing(), weight);
    chart.addPoints(points(values));
    for (int i = 0; i < expected.size(); ++i) {
        if (std::isnan(expected[i]))
            QVERIFY(std::isnan(chart.smoothedAt(i)));
        else
            QVERIFY2(std::abs(chart.smoothedAt(i) - expected[i]) < 1e-12,
                qPrintable(QStringLiteral("%1: %2 != %3")
                               .arg(i)
                               .arg(chart.smoothedAt(i), 0, 'g', 17)
                               .arg(expected[i], 0, 'g', 17)));
    }
}

void TestLossChart::smoothingIsIndependentOfBatching()
{
    std::mt19937 rng(7);
    const QVector<LossPoint> all = trainingCurve(1, 5000, 5000, rng);
    LossChart once;
    LossChart batched;
    once.setSmoothing(0.97);
    batched.setSmoothing(0.5);
    once.addPoints(all);
    for (int i = 0; i < all.size(); i += 333)
        batched.addPoints(all.mid(i, 333));
    // Changing the weight afterwards recomputes from the first point.
    batched.setSmoothing(0.97);
    QCOMPARE(batched.pointCount(), once.pointCount());
    for (int i = 0; i < all.size(); ++i)
        QVERIFY(std::abs(batched.smoothedAt(i) - once.smoothedAt(i)) < 1e-12);
    auto *slider = batched.findChild<QSlider *>(QStringLiteral("smoothingSlider"));
    QVERIFY(slider);
    QCOMPARE(slider->value(), 970);
    slider->setValue(600);
    QCOMPARE(batched.smoothing(), 0.6);
    batched.setSmoothing(5); // clamped
    QCOMPARE(batched.smoothing(), LossChart::MaxSmoothing);
}

void TestLossChart::keepsEveryPointAndDrawsThinned()
{
    // The time these redraws take is measured by tests/bench/bench_gui (loss_chart_*).
    constexpr int Total = 200000;
    constexpr int Batch = 1000;
    LossChart chart;
    showChart(chart);
    std::mt19937 rng(1);
    QVector<LossPoint> all = trainingCurve(1, Total, 70000, rng);
    const int spike = 123457;
    all[spike].loss = 25.0; // one window's spike must survive thinning
    for (int i = 0; i < Total; i += Batch) {
        chart.addPoints(all.mid(i, Batch));
        if (i % (20 * Batch) == 0)
            QCoreApplication::processEvents(); // a queued replot now and then, as in a run
    }
    QCustomPlot *plot = plotOf(chart);
    // A change of unit and of smoothing rethin everything; back to steps, as drawn below.
    chart.setXMode(LossChart::XMode::Tokens);
    settle(chart);
    chart.setXMode(LossChart::XMode::Step);
    chart.setSmoothing(0.95);
    settle(chart);

    QCOMPARE(chart.pointCount(), Total);
    QCOMPARE(chart.points().size(), Total);
    for (int i = 0; i < Total; i += 997)
        QCOMPARE(chart.points()[i].step, all[i].step);
    QCOMPARE(chart.points().last().step, qint64(Total));
    QCOMPARE(chart.points()[spike].loss, 25.0);

    QCPGraph *raw = graph(chart, QStringLiteral("per window"));
    QCPGraph *smooth = graph(chart, QStringLiteral("smoothed"));
    QVERIFY(raw && smooth);
    const int columns = plot->width();
    qInfo("drawn: %d raw and %d smoothed points for %d columns", raw->dataCount(),
        smooth->dataCount(), columns);
    QVERIFY(raw->dataCount() <= 4 * columns + 8);
    QVERIFY(smooth->dataCount() <= 4 * columns + 8);
    QVERIFY(raw->dataCount() > columns); // not thinned to nothing either
    // Min/max per column keeps the extremes: the drawn band spans the data's full range.
    const QVector<QCPGraphData> drawn = dataOf(raw);
    const auto [lo, hi] = std::minmax_element(drawn.cbegin(), drawn.cend(),
        [](const QCPGraphData &a, const QCPGraphData &b) { return a.value < b.value; });
    const auto [dataLo, dataHi] = std::minmax_element(all.cbegin(), all.cend(),
        [](const LossPoint &a, const LossPoint &b) { return a.loss < b.loss; });
    QCOMPARE(hi->value, dataHi->loss);
    QCOMPARE(lo->value, dataLo->loss);
    QCOMPARE(hi->key, 1.0 + spike);
    // Drawn keys stay sorted and come from real windows.
    for (int i = 1; i < drawn.size(); ++i)
        QVERIFY(drawn[i - 1].key <= drawn[i].key);
    // Exports draw true polylines (see ThinSpec::breakEvery) and leave the screen's thinning.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(chart.exportPng(dir.filePath(QStringLiteral("big.png")), 1000, 600, 2.0));
    QVERIFY(chart.exportPdf(dir.filePath(QStringLiteral("big.pdf"))));
    QVERIFY(chart.exportCsv(dir.filePath(QStringLiteral("big.csv"))));
    QFile csv(dir.filePath(QStringLiteral("big.csv")));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QByteArray table = csv.readAll();
    QCOMPARE(table.count('\n'), qsizetype(Total + 1)); // the header and every window
    QCOMPARE(table.count("\ntrain,"), qsizetype(Total));
    QCOMPARE(raw->dataCount(), drawn.size()); // the screen's thinning is back

    // Zoomed in to 300 windows, every window is drawn.
    chart.setAutoFit(false);
    plot->xAxis->setRange(50000, 50300);
    settle(chart);
    QVERIFY(raw->dataCount() >= 301 && raw->dataCount() <= 303);
}

namespace {

QVector<double> keysOf(const QVector<QCPGraphData> &data)
{
    QVector<double> out;
    for (const QCPGraphData &d : data)
        out.append(d.key);
    return out;
}

} // namespace

void TestLossChart::thinningKeepsEndsAndExtremes()
{
    constexpr int N = 20000;
    constexpr int Columns = 50;
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> noise(4.0, 6.0);
    QVector<LossPoint> pts;
    QVector<double> smoothed;
    for (int i = 0; i < N; ++i) {
        pts.append(point(i + 1, noise(rng)));
        smoothed.append(5.0 + 0.25 * std::sin(i / 300.0));
    }
    pts[7777].loss = 11.0; // a spike
    pts[12345].loss = 0.5; // and a dip
    ThinSpec spec;
    spec.columns = Columns;
    spec.range = QCPRange(1, N);
    spec.lossLo = -std::numeric_limits<double>::infinity();
    spec.lossHi = std::numeric_limits<double>::infinity();
    QVector<QCPGraphData> raw, smooth;
    thinWindows(pts.constData(), smoothed.constData(), N, spec, raw, smooth);

    QVERIFY(raw.size() <= 4 * (Columns + 1));
    QVERIFY(raw.size() >= 2 * Columns);
    QVERIFY(smooth.size() <= 4 * (Columns + 1));
    for (const auto *out : { &raw, &smooth }) {
        const QVector<double> keys = keysOf(*out);
        QVERIFY(std::is_sorted(keys.cbegin(), keys.cend())); // in training order
        QVERIFY(std::adjacent_find(keys.cbegin(), keys.cend()) == keys.cend()); // no repeats
        QCOMPARE(keys.first(), 1.0);
        QCOMPARE(keys.last(), double(N));
    }
    // Every drawn point is a window's own, and the extremes of each column are drawn.
    for (const QCPGraphData &d : raw)
        QCOMPARE(d.value, pts[int(d.key) - 1].loss);
    const QVector<double> rawKeys = keysOf(raw);
    QVERIFY(rawKeys.contains(7778.0));
    QVERIFY(rawKeys.contains(12346.0));
    const double width = double(N - 1) / Columns;
    for (int c = 0; c < Columns; ++c) {
        int lo = -1, hi = -1;
        for (int i = 0; i < N; ++i) {
            const double x = double(pts[i].step);
            if (x < 1 + c * width || (c + 1 < Columns && x >= 1 + (c + 1) * width))
                continue;
            if (lo < 0 || pts[i].loss < pts[lo].loss)
                lo = i;
            if (hi < 0 || pts[i].loss > pts[hi].loss)
                hi = i;
        }
        QVERIFY2(rawKeys.contains(double(pts[lo].step)), qPrintable(QString::number(c)));
        QVERIFY2(rawKeys.contains(double(pts[hi].step)), qPrintable(QString::number(c)));
    }
}

void TestLossChart::thinningKeepsEveryPointWhenFew()
{
    QVector<LossPoint> pts;
    QVector<double> smoothed;
    for (int i = 0; i < 1000; ++i) {
        pts.append(point(i + 1, 5.0 + 0.001 * i));
        smoothed.append(4.0 + 0.001 * i);
    }
    ThinSpec spec;
    spec.x = ThinX::Tokens;
    spec.columns = 100;
    spec.range = QCPRange(700.0 * 100, 700.0 * 200); // windows 100..200
    spec.perplexity = true;
    spec.lossLo = -std::numeric_limits<double>::infinity();
    spec.lossHi = 709.0;
    QVector<QCPGraphData> raw, smooth;
    thinWindows(pts.constData(), smoothed.constData(), pts.size(), spec, raw, smooth);
    // All of them, and one beyond each side so the lines run to the edges.
    QCOMPARE(raw.size(), 103);
    QCOMPARE(smooth.size(), 103);
    for (int k = 0; k < raw.size(); ++k) {
        const int i = 98 + k;
        QCOMPARE(raw[k].key, pts[i].tokens);
        QCOMPARE(raw[k].value, std::exp(pts[i].loss));
        QCOMPARE(smooth[k].value, std::exp(smoothed[i]));
    }

    raw.clear();
    smooth.clear();
    thinWindows(pts.constData(), smoothed.constData(), 0, spec, raw, smooth);
    QVERIFY(raw.isEmpty() && smooth.isEmpty());
}

void TestLossChart::thinningLeavesOutWhatCannotBeDrawn()
{
    QVector<LossPoint> pts { point(0, 5.0), point(1, NaN), point(2, -0.5), point(3, 4.0) };
    pts[0].seconds = 0; // x = 0 has no place on a log axis
    QVector<double> smoothed { 5.0, 5.0, 4.0, NaN };
    ThinSpec spec;
    spec.x = ThinX::Seconds;
    spec.columns = 100;
    spec.range = QCPRange(0.1, 1);
    spec.logX = true;
    spec.lossLo = 0.0; // loss on a log y axis
    spec.lossHi = std::numeric_limits<double>::infinity();
    QVector<QCPGraphData> raw, smooth;
    thinWindows(pts.constData(), smoothed.constData(), pts.size(), spec, raw, smooth);
    QCOMPARE(keysOf(raw), QVector<double> { pts[3].seconds });
    QCOMPARE(keysOf(smooth), (QVector<double> { pts[1].seconds, pts[2].seconds }));
}

void TestLossChart::thinningBreaksExportPolylines()
{
    QVector<LossPoint> pts;
    QVector<double> smoothed;
    for (int i = 0; i < 30; ++i) {
        pts.append(point(i + 1, 5.0 - 0.01 * i));
        smoothed.append(5.0);
    }
    ThinSpec spec;
    spec.columns = 100;
    spec.breakEvery = 8;
    spec.range = QCPRange(1, 30);
    spec.lossLo = -std::numeric_limits<double>::infinity();
    spec.lossHi = std::numeric_limits<double>::infinity();
    QVector<QCPGraphData> raw, smooth;
    thinWindows(pts.constData(), smoothed.constData(), pts.size(), spec, raw, smooth);
    // After every 8 points a gap, then the last point again: the line is cut, not broken.
    int points = 0;
    for (int k = 0; k < raw.size(); ++k) {
        if (std::isnan(raw[k].value)) {
            QCOMPARE(points % 8, 0);
            QCOMPARE(raw[k + 1].key, raw[k - 1].key);
            QCOMPARE(raw[k + 1].value, raw[k - 1].value);
            ++k;
            continue;
        }
        ++points;
    }
    QCOMPARE(points, 30);
    QCOMPARE(raw.size(), 30 + 2 * 3);
}

void TestLossChart::perplexityShowsExpOfLoss()
{
    LossChart chart;
    showChart(chart);
    const QVector<double> losses { 9.2, 7.5, 6.1, 5.4, 5.0 };
    chart.addPoints(points(losses));
    chart.addEpoch(epochPoint(1, 5, 6.6, 5.3, 20, false));
    chart.setYMode(LossChart::YMode::Perplexity);
    QCOMPARE(chart.yMode(), LossChart::YMode::Perplexity);
    settle(chart);
    const QVector<QCPGraphData> raw = dataOf(graph(chart, QStringLiteral("per window")));
    QCOMPARE(raw.size(), losses.size());
    for (int i = 0; i < losses.size(); ++i)
        QCOMPARE(raw[i].value, std::exp(losses[i]));
    const QVector<QCPGraphData> smooth = dataOf(graph(chart, QStringLiteral("smoothed")));
    for (int i = 0; i < losses.size(); ++i)
        QCOMPARE(smooth[i].value, std::exp(chart.smoothedAt(i)));
    const QVector<QCPGraphData> valid = dataOf(graph(chart, QStringLiteral("validation")));
    QCOMPARE(valid.size(), 1);
    QCOMPARE(valid[0].value, std::exp(5.3));
    QCustomPlot *plot = plotOf(chart);
    QCOMPARE(plot->yAxis->label(), QStringLiteral("perplexity"));
    QVERIFY(plot->yAxis->range().contains(std::exp(9.2)));
    QVERIFY(plot->yAxis->range().contains(std::exp(5.0)));
    chart.setYMode(LossChart::YMode::Loss);
    settle(chart);
    QCOMPARE(dataOf(graph(chart, QStringLiteral("per window")))[0].value, 9.2);
    QVERIFY(plot->yAxis->range().upper < 20);
}

void TestLossChart::xUnits_data()
{
    QTest::addColumn<LossChart::XMode>("mode");
    QTest::addColumn<double>("perStep");
    QTest::newRow("step") << LossChart::XMode::Step << 1.0;
    QTest::newRow("tokens") << LossChart::XMode::Tokens << 700.0;
    QTest::newRow("time") << LossChart::XMode::Time << 0.125;
}

void TestLossChart::xUnits()
{
    QFETCH(LossChart::XMode, mode);
    QFETCH(double, perStep);
    LossChart chart;
    showChart(chart);
    chart.addPoints(points({ 6, 5.5, 5.2, 5.1 }));
    chart.addEpoch(epochPoint(1, 4, 5.4, 5.3, 5, true));
    chart.setXMode(mode);
    QCOMPARE(chart.xMode(), mode);
    settle(chart);
    const QVector<QCPGraphData> raw = dataOf(graph(chart, QStringLiteral("per window")));
    QCOMPARE(raw.size(), 4);
    for (int i = 0; i < raw.size(); ++i)
        QCOMPARE(raw[i].key, perStep * (i + 1));
    QCOMPARE(dataOf(graph(chart, QStringLiteral("validation")))[0].key, 4 * perStep);
    const auto lines = itemsOf<QCPItemStraightLine>(chart);
    QCOMPARE(lines.size(), 1);
    QCOMPARE(lines[0]->point1->key(), 4 * perStep);
    // Auto-fit spans the data in the new unit, with a little room on the right.
    const QCPRange range = plotOf(chart)->xAxis->range();
    QCOMPARE(range.lower, perStep);
    QVERIFY(range.upper > 4 * perStep && range.upper < 4.1 * perStep);
    QVERIFY(chart.hoverText(2 * perStep).startsWith(QStringLiteral("step 2")));
}

void TestLossChart::logAxesAreRealLogAxes()
{
    LossChart chart;
    showChart(chart);
    std::mt19937 rng(3);
    chart.addPoints(trainingCurve(1, 5000, 2500, rng));
    QCustomPlot *plot = plotOf(chart);
    for (const auto yMode : { LossChart::YMode::Loss, LossChart::YMode::Perplexity }) {
        chart.setYMode(yMode);
        chart.setLogX(true);
        chart.setLogY(true);
        QVERIFY(chart.logX() && chart.logY());
        settle(chart);
        QCOMPARE(plot->xAxis->scaleType(), QCPAxis::stLogarithmic);
        QCOMPARE(plot->yAxis->scaleType(), QCPAxis::stLogarithmic);
        QVERIFY(dynamic_cast<QCPAxisTickerLog *>(plot->xAxis->ticker().data()));
        QVERIFY(dynamic_cast<QCPAxisTickerLog *>(plot->yAxis->ticker().data()));
        QVERIFY(plot->xAxis->range().lower > 0);
        QVERIFY(plot->yAxis->range().lower > 0);
        QCOMPARE(plot->xAxis->range().lower, 1.0);
        // The axis maps by log: a decade takes the same width anywhere.
        const double d1 = plot->xAxis->coordToPixel(100) - plot->xAxis->coordToPixel(10);
        const double d2 = plot->xAxis->coordToPixel(1000) - plot->xAxis->coordToPixel(100);
        QVERIFY(std::abs(d1 - d2) < 1e-6 && d1 > 10);
        QVERIFY(graph(chart, QStringLiteral("smoothed"))->dataCount() > 0);
        chart.setLogX(false);
        chart.setLogY(false);
        settle(chart);
        QCOMPARE(plot->xAxis->scaleType(), QCPAxis::stLinear);
        QCOMPARE(plot->yAxis->scaleType(), QCPAxis::stLinear);
        QVERIFY(!dynamic_cast<QCPAxisTickerLog *>(plot->yAxis->ticker().data()));
    }
    // The check boxes drive the same state.
    auto boxes = chart.findChildren<QCheckBox *>();
    auto logY = std::find_if(boxes.begin(), boxes.end(),
        [](QCheckBox *b) { return b->text() == QStringLiteral("Log y"); });
    QVERIFY(logY != boxes.end());
    (*logY)->setChecked(true);
    QVERIFY(chart.logY());
    settle(chart);
    QCOMPARE(plot->yAxis->scaleType(), QCPAxis::stLogarithmic);
}

void TestLossChart::epochValidationAndLrCutMarkers()
{
    LossChart chart;
    showChart(chart);
    std::mt19937 rng(5);
    chart.addPoints(trainingCurve(1, 3000, 1000, rng));
    chart.addEpoch(epochPoint(1, 1000, 6.0, 5.6, 20, false));
    chart.addEpoch(epochPoint(2, 2000, 5.3, 5.4, 5, true));
    chart.addEpoch(epochPoint(3, 3000, 5.0, NaN, 5, false)); // no validation data
    settle(chart);
    const auto lines = itemsOf<QCPItemStraightLine>(chart);
    QCOMPARE(lines.size(), 3);
    QCOMPARE(lines[0]->point1->key(), 1000.0);
    QCOMPARE(lines[1]->point1->key(), 2000.0);
    // The cut is drawn differently from a plain boundary.
    QVERIFY(lines[1]->pen() != lines[0]->pen());
    QCOMPARE(lines[0]->pen(), lines[2]->pen());
    const auto texts = itemsOf<QCPItemText>(chart);
    QCOMPARE(texts.size(), 1);
    QCOMPARE(texts[0]->text(), QStringLiteral("lr 5"));
    QCOMPARE(texts[0]->position->key(), 2000.0);
    QCPGraph *valid = graph(chart, QStringLiteral("validation"));
    QVERIFY(valid);
    const QVector<QCPGraphData> v = dataOf(valid);
    QCOMPARE(v.size(), 2);
    QCOMPARE(v[0].key, 1000.0);
    QCOMPARE(v[0].value, 5.6);
    QCOMPARE(v[1].value, 5.4);
    QVERIFY(valid->scatterStyle().shape() != QCPScatterStyle::ssNone);
    QCustomPlot *plot = plotOf(chart);
    QVERIFY(plot->legend->visible());
    QVERIFY(plot->legend->hasItemWithPlottable(valid));
    QVERIFY(valid->pen().color() != graph(chart, QStringLiteral("smoothed"))->pen().color());
    QCOMPARE(chart.epochs().size(), 3);
}

void TestLossChart::crowdedLrCutLabelsDoNotOverlap()
{
    // Ten epochs of one window each, the rate cut after every one (a tiny corpus): the labels
    // shown never overlap, and the first is among them.
    LossChart chart;
    showChart(chart, 380, 400); // the chart between the docks of a 1280-pixel window
    std::mt19937 rng(3);
    chart.addPoints(trainingCurve(1, 10, 1, rng));
    double lr = 20;
    for (int e = 1; e <= 10; ++e)
        chart.addEpoch(epochPoint(e, e, 5.0, 5.0, lr /= 4, true));
    settle(chart);
    QCustomPlot *plot = plotOf(chart);
    plot->replot(QCustomPlot::rpImmediateRefresh);
    auto shown = [&] {
        QVector<QRectF> rects;
        for (QCPItemText *t : itemsOf<QCPItemText>(chart))
            if (t->visible())
                rects << QRectF(t->topLeft->pixelPosition(), t->bottomRight->pixelPosition());
        return rects;
    };
    const QVector<QRectF> rects = shown();
    QVERIFY(!rects.isEmpty());
    QVERIFY2(rects.size() < 10, "ten labels cannot fit over ten windows");
    for (int i = 0; i < rects.size(); ++i)
        for (int j = i + 1; j < rects.size(); ++j)
            QVERIFY2(!rects[i].intersects(rects[j]),
                qPrintable(QStringLiteral("%1 and %2").arg(i).arg(j)));
    QVERIFY(itemsOf<QCPItemText>(chart).first()->visible());
}

void TestLossChart::autoFitFollowsDataUntilTurnedOff()
{
    LossChart chart;
    showChart(chart);
    std::mt19937 rng(9);
    chart.addPoints(trainingCurve(1, 1000, 1000, rng));
    QCustomPlot *plot = plotOf(chart);
    settle(chart);
    QVERIFY(plot->xAxis->range().contains(1000) && !plot->xAxis->range().contains(1100));
    chart.addPoints(trainingCurve(1001, 2000, 1000, rng));
    // The queued replot collapses into one paint at the next turn of the event loop.
    QTRY_VERIFY(plot->xAxis->range().contains(2000));
    // A wheel zoom, as a user does it, turns auto-fit off.
    const QPoint centre = plot->axisRect()->rect().center();
    QWheelEvent wheel(centre, plot->mapToGlobal(centre), QPoint(), QPoint(0, 120), Qt::NoButton,
        Qt::NoModifier, Qt::NoScrollPhase, false);
    QCoreApplication::sendEvent(plot, &wheel);
    QVERIFY(!chart.autoFit());
    settle(chart);
    const QCPRange zoomed = plot->xAxis->range();
    QVERIFY(zoomed.size() < 1900);
    chart.addPoints(trainingCurve(2001, 3000, 1000, rng));
    settle(chart);
    QCOMPARE(plot->xAxis->range(), zoomed);
    // A double-click fits again.
    QTest::mouseDClick(plot, Qt::LeftButton, Qt::NoModifier, centre);
    QVERIFY(chart.autoFit());
    settle(chart);
    QCOMPARE(plot->xAxis->range().lower, 1.0);
    QVERIFY(plot->xAxis->range().contains(3000) && !plot->xAxis->range().contains(3100));
}

void TestLossChart::csvRoundTrips()
{
    LossChart chart;
    chart.setSmoothing(0.8);
    QVector<LossPoint> pts;
    for (int i = 0; i < 257; ++i) {
        LossPoint p = point(i + 1, 9.21 - 0.0137 * i + (i % 3) * 0.1 + 0.2, i < 128 ? 1 : 2);
        p.seconds = 0.1 * (i + 1) / 3.0; // not exactly representable in decimal
        p.lr = i < 128 ? 20 : 1.0 / 3.0;
        p.gradNorm = 1e-7 * (i + 1);
        pts.append(p);
    }
    pts[5].loss = NaN;
    chart.addPoints(pts.mid(0, 100));
    chart.addPoints(pts.mid(100));
    chart.addEpoch(epochPoint(1, 128, 7.5, 7.1, 1.0 / 3.0, true));
    chart.addEpoch(epochPoint(2, 257, 6.5, NaN, 1.0 / 3.0, false));

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("loss.csv"));
    QVERIFY2(chart.exportCsv(path), qPrintable(chart.lastError()));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().split('\n');
    QCOMPARE(lines.value(0),
        QByteArray("series,step,tokens,seconds,epoch,loss,smoothed,perplexity,lr,grad_norm,"
                   "lr_cut"));
    // One table: a row per window, and an epoch's two rows after its last window.
    int row = 1;
    const auto checkEpoch = [&](int epoch, qint64 step, double train, double valid, bool cut) {
        const QList<QByteArray> t = lines.value(row++).split(',');
        const QList<QByteArray> v = lines.value(row++).split(',');
        QCOMPARE(t.size(), 11);
        QCOMPARE(v.size(), 11);
        QCOMPARE(t[0], QByteArray("train_epoch"));
        QCOMPARE(v[0], QByteArray("valid"));
        for (const auto &f : { t, v }) {
            QCOMPARE(f[1].toLongLong(), step);
            QCOMPARE(f[4].toInt(), epoch);
            QVERIFY(f[6].isEmpty() && f[9].isEmpty()); // smoothed and grad_norm are the windows'
            QCOMPARE(csvNumber(f[8]), 1.0 / 3.0);
            QCOMPARE(f[10], QByteArray(cut ? "1" : "0"));
        }
        QCOMPARE(csvNumber(t[5]), train);
        QCOMPARE(csvNumber(t[7]), std::exp(train));
        if (std::isnan(valid)) {
            QVERIFY(v[5].isEmpty() && v[7].isEmpty());
        } else {
            QCOMPARE(csvNumber(v[5]), valid);
            QCOMPARE(csvNumber(v[7]), std::exp(valid));
        }
    };
    for (int i = 0; i < pts.size(); ++i, ++row) {
        const QList<QByteArray> f = lines.value(row).split(',');
        QCOMPARE(f.size(), 11);
        QCOMPARE(f[0], QByteArray("train"));
        QCOMPARE(f[1].toLongLong(), pts[i].step);
        QCOMPARE(csvNumber(f[2]), pts[i].tokens);
        QCOMPARE(csvNumber(f[3]), pts[i].seconds);
        QCOMPARE(f[4].toInt(), pts[i].epoch);
        if (i == 5) {
            QVERIFY(f[5].isEmpty() && f[6].isEmpty() && f[7].isEmpty());
        } else {
            QCOMPARE(csvNumber(f[5]), pts[i].loss);
            QCOMPARE(csvNumber(f[6]), chart.smoothedAt(i));
            QCOMPARE(csvNumber(f[7]), std::exp(pts[i].loss));
        }
        QCOMPARE(csvNumber(f[8]), pts[i].lr);
        QCOMPARE(csvNumber(f[9]), pts[i].gradNorm);
        QVERIFY(f[10].isEmpty());
        if (pts[i].step == 128) {
            ++row;
            checkEpoch(1, 128, 7.5, 7.1, true);
            --row;
        }
    }
    QVERIFY(lines.value(1).startsWith("train,1,700,")); // integers without a decimal point
    checkEpoch(2, 257, 6.5, NaN, false);
    QCOMPARE(lines.value(row), QByteArray()); // the file ends with a newline
    QCOMPARE(lines.size(), row + 1);
}

void TestLossChart::csvWriterWritesOneTable()
{
    QVector<LossPoint> pts { point(1, 4.5), point(2, NaN, 2) };
    pts[0].seconds = 0.1;
    pts[0].gradNorm = 0.25;
    pts[1].gradNorm = 0.5;
    char shortest[32];
    const auto end = std::to_chars(shortest, shortest + sizeof shortest, std::exp(4.5)).ptr;
    const QVector<double> smoothed { 4.5, std::numeric_limits<double>::infinity() };
    EpochPoint e;
    e.epoch = 1;
    e.step = 2;
    e.tokens = 1400;
    e.seconds = 0.25;
    e.trainLoss = 4.5;
    e.validLoss = NaN;
    e.validPerplexity = NaN;
    e.lr = 5;
    e.lrCut = true;

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("loss.csv"));
    QString error;
    QVERIFY2(writeLossCsv(path, pts, smoothed, { e }, &error), qPrintable(error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(),
        QByteArray("series,step,tokens,seconds,epoch,loss,smoothed,perplexity,lr,grad_norm,lr_cut\n"
                   "train,1,700,0.1,1,4.5,4.5,")
            + QByteArray(shortest, int(end - shortest))
            + QByteArray(",20,0.25,\n"
                         "train,2,1400,0.25,2,,,,20,0.5,\n"
                         "train_epoch,2,1400,0.25,1,4.5,,")
            + QByteArray(shortest, int(end - shortest))
            + QByteArray(",5,,1\n"
                         "valid,2,1400,0.25,1,,,,5,,1\n"));
    file.close();

    // A file that cannot be written: the reason, and the previous file untouched.
    QVERIFY(!writeLossCsv(
        dir.filePath(QStringLiteral("no/such/dir/loss.csv")), pts, smoothed, {}, &error));
    QVERIFY(!error.isEmpty());
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.readAll().startsWith("series,"));
}

void TestLossChart::pngAndPdfExports()
{
    LossChart chart;
    std::mt19937 rng(11);
    chart.addPoints(trainingCurve(1, 20000, 10000, rng));
    chart.addEpoch(epochPoint(1, 10000, 6.0, 5.6, 5, true));
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    // Never shown: the export still lays the chart out at the requested size.
    const QString png = dir.filePath(QStringLiteral("loss.png"));
    QVERIFY2(chart.exportPng(png, 640, 400), qPrintable(chart.lastError()));
    QImage image(png);
    QVERIFY(!image.isNull());
    QCOMPARE(image.size(), QSize(640, 400));
    QVERIFY2(chart.exportPng(png, 500, 300, 2.0), qPrintable(chart.lastError()));
    QCOMPARE(QImage(png).size(), QSize(1000, 600));
    // The image holds a chart, not a blank page: more than a handful of colours.
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 3)
        for (int x = 0; x < image.width(); x += 3)
            colours.insert(image.pixel(x, y));
    QVERIFY(colours.size() > 20);
    QVERIFY(!chart.exportPng(png, 0, 400));

    const QString pdf = dir.filePath(QStringLiteral("loss.pdf"));
    QVERIFY2(chart.exportPdf(pdf), qPrintable(chart.lastError()));
    QFile file(pdf);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.size() > 1000);
    QVERIFY(file.read(5) == "%PDF-");
    // Thinned for drawing, so a long run still gives a small vector file.
    QVERIFY2(file.size() < 2 * 1024 * 1024, qPrintable(QString::number(file.size())));
}

void TestLossChart::failedExportKeepsThePreviousFile()
{
    LossChart chart;
    chart.addPoints(points({ 5, 4, 3 }));
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString missing = dir.filePath(QStringLiteral("no/such/dir/loss.csv"));
    QVERIFY(!chart.exportCsv(missing));
    QVERIFY(chart.lastError().contains(missing));
    QVERIFY(!chart.exportPng(dir.filePath(QStringLiteral("no/such/dir/loss.png")), 100, 100));
    QVERIFY(!chart.exportPdf(dir.filePath(QStringLiteral("no/such/dir/loss.pdf"))));

    // Overwriting works, and only complete files replace the old one.
    const QString path = dir.filePath(QStringLiteral("loss.csv"));
    QVERIFY(chart.exportCsv(path));
    chart.addPoints(points({ 2 }));
    QVERIFY(chart.exportCsv(path));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll().count("\ntrain,1,700,"), 2); // two windows with step 1 now
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList { QStringLiteral("loss.csv") });
}

void TestLossChart::hoverText()
{
    LossChart chart;
    QCOMPARE(chart.hoverText(10), QString());
    QCOMPARE(chart.nearestIndex(10), -1);
    QVector<LossPoint> pts;
    for (int i = 1; i <= 12; ++i) {
        LossPoint p = point(100 * i, 6.0 - 0.1 * i);
        pts.append(p);
    }
    pts[11].loss = 4.83; // step 1200
    chart.setSmoothing(0);
    chart.addPoints(pts);
    QCOMPARE(chart.nearestIndex(1170), 11);
    QCOMPARE(chart.nearestIndex(1140), 10);
    QCOMPARE(chart.nearestIndex(-5), 0);
    QCOMPARE(chart.nearestIndex(1e9), 11);
    const QString text = chart.hoverText(1190);
    QVERIFY2(
        text.startsWith(QStringLiteral("step 1200 · loss 4.83 · smoothed 4.83 · ppl 125 · lr 20")),
        qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("epoch 1")));
    QVERIFY(chart.hoverText(260).startsWith(QStringLiteral("step 300 ·")));
    chart.setYMode(LossChart::YMode::Perplexity);
    QVERIFY2(chart.hoverText(1200).startsWith(
                 QStringLiteral("step 1200 · ppl 125 · smoothed 125 · loss 4.83")),
        qPrintable(chart.hoverText(1200)));
    chart.setXMode(LossChart::XMode::Tokens);
    QVERIFY2(chart.hoverText(700.0 * 1200).startsWith(QStringLiteral("step 1200 · 840k tokens ·")),
        qPrintable(chart.hoverText(700.0 * 1200)));
    chart.setXMode(LossChart::XMode::Time);
    QVERIFY2(chart.hoverText(150).startsWith(QStringLiteral("step 1200 · 2:30 ·")),
        qPrintable(chart.hoverText(150)));
}

void TestLossChart::hoverShowsTheNearestWindow()
{
    LossChart chart;
    showChart(chart);
    chart.setSmoothing(0);
    chart.addPoints(points({ 6, 5.5, 5.25, 5.125 }));
    settle(chart);
    QCustomPlot *plot = plotOf(chart);
    auto *readout = chart.findChild<QLabel *>(QStringLiteral("readout"));
    QVERIFY(readout);
    const QString hint = readout->text();
    const auto tracers = itemsOf<QCPItemTracer>(chart);
    QCOMPARE(tracers.size(), 1);
    QVERIFY(!tracers[0]->visible());

    hover(plot, QPointF(plot->xAxis->coordToPixel(2.9), plot->axisRect()->center().y()));
    QVERIFY2(readout->text().startsWith(QStringLiteral("step 3 · loss 5.25 ·")),
        qPrintable(readout->text()));
    QVERIFY(tracers[0]->visible());
    QCOMPARE(tracers[0]->position->key(), 3.0);
    QCOMPARE(tracers[0]->position->value(), 5.25);

    QEvent leave(QEvent::Leave);
    QCoreApplication::sendEvent(plot, &leave);
    QCOMPARE(readout->text(), hint);
    QVERIFY(!tracers[0]->visible());
}

// A narrow chart: the read-out is elided on its one line, so the plot keeps its place and size
// whether the mouse is over it or not; the whole text is the tooltip.
void TestLossChart::hoverReadoutNeverMovesThePlot()
{
    LossChart chart;
    showChart(chart, 320, 400);
    chart.setMainRun(QStringLiteral("a run with a rather long name"), Qt::blue);
    chart.setOverlays({ { QStringLiteral("b"), QStringLiteral("another run, also long-named"),
        Qt::red, points({ 7, 6, 5, 4 }), {} } });
    chart.addPoints(points({ 6, 5.5, 5.25, 5.125 }));
    settle(chart);
    QCustomPlot *plot = plotOf(chart);
    auto *readout = chart.findChild<QLabel *>(QStringLiteral("readout"));
    QVERIFY(readout);
    const QRect plotBefore = plot->geometry();
    const int readoutHeight = readout->height();
    hover(plot, QPointF(plot->xAxis->coordToPixel(2.9), plot->axisRect()->center().y()));
    QCoreApplication::processEvents();
    const QString full = chart.readoutText();
    QVERIFY2(full.contains(QStringLiteral("step 3")), qPrintable(full));
    QVERIFY2(QFontMetrics(readout->font()).horizontalAdvance(full) > readout->width(),
        "the read-out is meant not to fit here");
    QCOMPARE(readout->toolTip(), full);
    QVERIFY(readout->text() != full); // elided
    QVERIFY(QFontMetrics(readout->font()).horizontalAdvance(readout->text()) <= readout->width());
    QCOMPARE(readout->height(), readoutHeight);
    QCOMPARE(plot->geometry(), plotBefore);
}

void TestLossChart::stepTicksAreWholeNumbers_data()
{
    QTest::addColumn<double>("upper");
    for (double upper : { 3.0, 7.0, 10.0, 12.0, 33.0, 480.0 })
        QTest::addRow("1 to %g", upper) << upper;
}

// Steps are whole windows: ticks (and subticks) at 2.5 or 7.5 would name steps that do not exist.
void TestLossChart::stepTicksAreWholeNumbers()
{
    QFETCH(double, upper);
    LossChart chart;
    showChart(chart);
    QCustomPlot *plot = plotOf(chart);
    QVector<double> ticks, subTicks;
    QVector<QString> labels;
    plot->xAxis->ticker()->generate(
        QCPRange(1, upper), QLocale(), QLatin1Char('g'), 6, ticks, &subTicks, &labels);
    QVERIFY(ticks.size() >= 2);
    for (const QVector<double> *list : { &ticks, &subTicks })
        for (double t : *list)
            QVERIFY2(t == std::round(t), qPrintable(QString::number(t)));
    // Tokens are not whole windows: they keep the ordinary ticks.
    chart.setXMode(LossChart::XMode::Tokens);
    ticks.clear();
    plot->xAxis->ticker()->generate(
        QCPRange(0, 1), QLocale(), QLatin1Char('g'), 6, ticks, nullptr, nullptr);
    QVERIFY(std::any_of(ticks.cbegin(), ticks.cend(), [](double t) { return t != std::round(t); }));
}

void TestLossChart::clearEmptiesEverything()
{
    LossChart chart;
    showChart(chart);
    std::mt19937 rng(13);
    chart.addPoints(trainingCurve(1, 4000, 2000, rng));
    chart.addEpoch(epochPoint(1, 2000, 6.0, 5.6, 5, true));
    chart.addEpoch(epochPoint(2, 4000, 5.5, 5.3, 5, false));
    settle(chart);
    QVERIFY(graph(chart, QStringLiteral("per window"))->dataCount() > 0);
    chart.setSmoothing(0.7);
    chart.clear();
    settle(chart);
    QCOMPARE(chart.pointCount(), 0);
    QVERIFY(chart.points().isEmpty());
    QVERIFY(chart.epochs().isEmpty());
    QCustomPlot *plot = plotOf(chart);
    for (int i = 0; i < plot->graphCount(); ++i)
        QCOMPARE(plot->graph(i)->dataCount(), 0);
    QVERIFY(itemsOf<QCPItemStraightLine>(chart).isEmpty());
    QVERIFY(itemsOf<QCPItemText>(chart).isEmpty());
    QCOMPARE(chart.hoverText(100), QString());
    QCOMPARE(chart.smoothing(), 0.7); // settings stay
    // A new run starts its average afresh.
    chart.addPoints(points({ 3, 5 }));
    QCOMPARE(chart.smoothedAt(0), 3.0);
    QVERIFY(std::abs(chart.smoothedAt(1) - (0.21 * 3 + 0.3 * 5) / 0.51) < 1e-12);
    settle(chart);
    QCOMPARE(plot->xAxis->range().lower, 1.0);
    QVERIFY(plot->xAxis->range().contains(2) && !plot->xAxis->range().contains(2.1));
}

void TestLossChart::coloursFollowThePalette()
{
    const QPalette before = QApplication::palette();
    LossChart chart;
    showChart(chart, 700, 400);
    chart.addPoints(points({ 6, 5, 4 }));
    QCustomPlot *plot = plotOf(chart);
    QCOMPARE(plot->axisRect()->backgroundBrush().color(), chart.palette().color(QPalette::Base));
    QCOMPARE(plot->xAxis->tickLabelColor(), chart.palette().color(QPalette::WindowText));
    const QColor lightSeries = graph(chart, QStringLiteral("smoothed"))->pen().color();

    // The system palette changes (the user switches to a dark theme).
    const QPalette dark = darkPalette();
    QApplication::setPalette(dark);
    // Widgets hear of it through the event loop.
    QTRY_COMPARE(plot->axisRect()->backgroundBrush().color(), dark.color(QPalette::Base));
    QCOMPARE(plot->xAxis->tickLabelColor(), dark.color(QPalette::WindowText));
    QCOMPARE(plot->yAxis->labelColor(), dark.color(QPalette::WindowText));
    QCOMPARE(plot->legend->textColor(), dark.color(QPalette::WindowText));
    const QColor darkSeries = graph(chart, QStringLiteral("smoothed"))->pen().color();
    QVERIFY(darkSeries.lightness() > lightSeries.lightness()); // still visible on dark
    QApplication::setPalette(before);
    QTRY_COMPARE(plot->axisRect()->backgroundBrush().color(), before.color(QPalette::Base));

    // A palette set on the widget alone works the same way.
    chart.setPalette(dark);
    QCOMPARE(plot->axisRect()->backgroundBrush().color(), dark.color(QPalette::Base));
}

void TestLossChart::overlaysAreCurvesInTheirColours()
{
    LossChart chart;
    showChart(chart);
    const QColor mainColour(0x1b, 0x9e, 0x77);
    const QColor otherColour(0x75, 0x70, 0xb3);
    chart.setMainRun(QStringLiteral("live"), mainColour);
    chart.addPoints(points({ 6, 5.5, 5.2, 5.1 }));
    chart.addEpoch(epochPoint(1, 4, 5.4, 5.3, 20, false));
    settle(chart);
    // One run: the legend is the main run's three series, as before.
    QCOMPARE(legendNames(chart).size(), 3);
    QCOMPARE(graphsWithData(chart), 3);

    const QVector<double> losses { 7, 6.5, 6.1, 5.9, 5.6, 5.5 };
    chart.setOverlays({ runCurve(QStringLiteral("b"), otherColour, points(losses),
        { epochPoint(1, 3, 6.2, 6.0, 20, false), epochPoint(2, 6, 5.6, 5.7, 20, false) }) });
    QCOMPARE(chart.overlayCount(), 1);
    QCOMPARE(chart.overlay(0).name, QStringLiteral("run b"));
    settle(chart);
    // Two runs, each its windows, smoothed curve and validation markers.
    QCOMPARE(graphsWithData(chart), 6);
    QCOMPARE(graph(chart, QStringLiteral("per window"))->pen().color().rgb(), mainColour.rgb());
    QCPGraph *mainSmooth = plotOf(chart)->graph(1);
    QCOMPARE(mainSmooth->name(), QStringLiteral("live"));
    QCOMPARE(mainSmooth->pen().color(), mainColour);
    QCPGraph *smooth = runGraph(chart, QStringLiteral("b"), "smoothed");
    QCPGraph *raw = runGraph(chart, QStringLiteral("b"), "raw");
    QCPGraph *valid = runGraph(chart, QStringLiteral("b"), "validation");
    QVERIFY(smooth && raw && valid);
    QCOMPARE(smooth->pen().color(), otherColour);
    QCOMPARE(raw->pen().color().rgb(), otherColour.rgb()); // the same hue, fainter
    QVERIFY(raw->pen().color().alpha() < 255);
    QCOMPARE(valid->scatterStyle().pen().color(), otherColour);
    QCOMPARE(valid->lineStyle(), QCPGraph::lsNone);
    // Behind the main run's curves.
    QVERIFY(smooth->layer()->index() < mainSmooth->layer()->index());

    // The smoothed curve is the same debiased average as the main run's.
    const double w = chart.smoothing();
    double last = 0;
    const QVector<QCPGraphData> drawn = dataOf(smooth);
    QCOMPARE(drawn.size(), losses.size());
    for (int i = 0; i < losses.size(); ++i) {
        last = last * w + (1 - w) * losses[i];
        const double expected = last / (1 - std::pow(w, i + 1));
        QCOMPARE(chart.overlaySmoothedAt(0, i), expected);
        QCOMPARE(drawn[i].key, double(i + 1));
        QCOMPARE(drawn[i].value, expected);
    }
    QCOMPARE(dataOf(raw).size(), losses.size());
    const QVector<QCPGraphData> markers = dataOf(valid);
    QCOMPARE(markers.size(), 2);
    QCOMPARE(markers[1].key, 6.0);
    QCOMPARE(markers[1].value, 5.7);

    // A legend entry per run, and one for the validation markers.
    QCOMPARE(legendNames(chart),
        (QStringList {
            QStringLiteral("live"), QStringLiteral("run b"), QStringLiteral("validation loss") }));

    // The main run's CSV is what it would be without overlays.
    LossChart alone;
    alone.addPoints(chart.points());
    alone.addEpoch(chart.epochs()[0]);
    QTemporaryDir dir;
    const QString with = dir.filePath(QStringLiteral("with.csv"));
    const QString without = dir.filePath(QStringLiteral("without.csv"));
    QVERIFY(chart.exportCsv(with));
    QVERIFY(alone.exportCsv(without));
    QFile a(with);
    QFile b(without);
    QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
    QCOMPARE(a.readAll(), b.readAll());
}

void TestLossChart::overlaysFollowTheXUnit_data()
{
    QTest::addColumn<LossChart::XMode>("mode");
    QTest::addColumn<double>("perStep");
    QTest::newRow("step") << LossChart::XMode::Step << 1.0;
    QTest::newRow("tokens") << LossChart::XMode::Tokens << 700.0;
    QTest::newRow("time") << LossChart::XMode::Time << 0.125;
}

void TestLossChart::overlaysFollowTheXUnit()
{
    QFETCH(LossChart::XMode, mode);
    QFETCH(double, perStep);
    LossChart chart;
    showChart(chart);
    chart.addPoints(points({ 6, 5.5, 5.2, 5.1 }));
    // A run recorded later with a faster machine: its own clock and token count, from 0.
    QVector<LossPoint> other = points({ 7, 6.5, 6.1 });
    for (LossPoint &p : other) {
        p.tokens *= 2;
        p.seconds /= 2;
    }
    EpochPoint epoch = epochPoint(1, 3, 6.2, 6.0, 20, false);
    epoch.tokens *= 2;
    epoch.seconds /= 2;
    chart.setOverlays({ runCurve(QStringLiteral("b"), Qt::darkMagenta, other, { epoch }) });
    chart.setXMode(mode);
    settle(chart);
    const double factor = mode == LossChart::XMode::Tokens ? 2
        : mode == LossChart::XMode::Time                   ? 0.5
                                                           : 1;
    const QVector<QCPGraphData> raw = dataOf(runGraph(chart, QStringLiteral("b"), "raw"));
    const QVector<QCPGraphData> smooth = dataOf(runGraph(chart, QStringLiteral("b"), "smoothed"));
    QCOMPARE(raw.size(), 3);
    QCOMPARE(smooth.size(), 3);
    for (int i = 0; i < raw.size(); ++i) {
        QCOMPARE(raw[i].key, factor * perStep * (i + 1));
        QCOMPARE(smooth[i].key, factor * perStep * (i + 1));
    }
    QCOMPARE(
        dataOf(runGraph(chart, QStringLiteral("b"), "validation"))[0].key, factor * perStep * 3);
    // Its epoch's end is a tick in its colour at the bottom of the plot, in the same unit.
    QVector<QCPItemLine *> ticks;
    for (int i = 0; i < plotOf(chart)->itemCount(); ++i)
        if (auto *line = qobject_cast<QCPItemLine *>(plotOf(chart)->item(i)))
            if (line->objectName() == QStringLiteral("run:b:epoch"))
                ticks.append(line);
    QCOMPARE(ticks.size(), 1);
    QVERIFY(ticks[0]->visible());
    QCOMPARE(ticks[0]->start->coords().x(), factor * perStep * 3);
    QCOMPARE(ticks[0]->end->coords().x(), factor * perStep * 3);
    QCOMPARE(ticks[0]->start->typeY(), QCPItemPosition::ptAxisRectRatio);
    QCOMPARE(ticks[0]->pen().color(), chart.overlayColour(0));
    // The fit spans both runs in the new unit.
    const QCPRange range = plotOf(chart)->xAxis->range();
    QCOMPARE(range.lower, std::min(1.0, factor) * perStep);
    QVERIFY(range.upper >= std::max(4.0, 3 * factor) * perStep);

    // Log x leaves out nothing here (every x > 0) and keeps the keys.
    chart.setLogX(true);
    settle(chart);
    QCOMPARE(dataOf(runGraph(chart, QStringLiteral("b"), "smoothed")).size(), 3);
}

void TestLossChart::overlaysFollowYModeAndSmoothing()
{
    LossChart chart;
    showChart(chart);
    const QVector<double> losses { 7, 6.5, 6.1, 5.9 };
    chart.setOverlays({ runCurve(QStringLiteral("b"), Qt::darkMagenta, points(losses),
        { epochPoint(1, 4, 6.2, 6.0, 20, false) }) });
    chart.setSmoothing(0);
    chart.setYMode(LossChart::YMode::Perplexity);
    settle(chart);
    QCOMPARE(chart.overlaySmoothedAt(0, 2), 6.1);
    const QVector<QCPGraphData> smooth = dataOf(runGraph(chart, QStringLiteral("b"), "smoothed"));
    QCOMPARE(smooth.size(), 4);
    for (int i = 0; i < losses.size(); ++i)
        QCOMPARE(smooth[i].value, std::exp(losses[i]));
    QCOMPARE(dataOf(runGraph(chart, QStringLiteral("b"), "validation"))[0].value, std::exp(6.0));
    // The y range is fitted to the overlay alone when there is no main run yet.
    QVERIFY(plotOf(chart)->yAxis->range().contains(std::exp(7.0)));
    QVERIFY(plotOf(chart)->yAxis->range().contains(std::exp(5.9)));
    // No main run, no entry for it.
    QCOMPARE(legendNames(chart),
        (QStringList { QStringLiteral("run b"), QStringLiteral("validation perplexity") }));
}

void TestLossChart::emptyOverlaysRemoveThem()
{
    LossChart chart;
    showChart(chart);
    chart.addPoints(points({ 6, 5.5, 5.2, 5.1 }));
    const int graphs = plotOf(chart)->graphCount();
    chart.setOverlays({ runCurve(QStringLiteral("b"), Qt::darkMagenta, points({ 7, 6.5, 6.1 })),
        runCurve(QStringLiteral("c"), Qt::darkCyan, points({ 8, 7, 6 })) });
    settle(chart);
    QCOMPARE(chart.overlayCount(), 2);
    QCOMPARE(plotOf(chart)->graphCount(), graphs + 6);
    // This run, b and c; no run has validation markers to explain.
    QCOMPARE(legendNames(chart),
        (QStringList {
            QStringLiteral("this run"), QStringLiteral("run b"), QStringLiteral("run c") }));
    // Replacing the set replaces the graphs.
    chart.setOverlays({ runCurve(QStringLiteral("c"), Qt::darkCyan, points({ 8, 7, 6 })) });
    settle(chart);
    QCOMPARE(plotOf(chart)->graphCount(), graphs + 3);
    QVERIFY(!runGraph(chart, QStringLiteral("b"), "smoothed"));
    QVERIFY(runGraph(chart, QStringLiteral("c"), "smoothed"));
    chart.setOverlays({});
    settle(chart);
    QCOMPARE(chart.overlayCount(), 0);
    QCOMPARE(plotOf(chart)->graphCount(), graphs);
    QCOMPARE(graphsWithData(chart), 2); // raw and smoothed; no validation here
    QCOMPARE(legendNames(chart),
        (QStringList { QStringLiteral("train loss, per window"),
            QStringLiteral("train loss, smoothed"), QStringLiteral("validation loss") }));
    // Clearing the main run keeps the overlays.
    chart.setOverlays({ runCurve(QStringLiteral("c"), Qt::darkCyan, points({ 8, 7, 6 })) });
    chart.clear();
    settle(chart);
    QCOMPARE(chart.overlayCount(), 1);
    QCOMPARE(runGraph(chart, QStringLiteral("c"), "smoothed")->dataCount(), 3);
}

void TestLossChart::autoFitCoversTheLongestRun()
{
    LossChart chart;
    showChart(chart);
    std::mt19937 rng(5);
    chart.addPoints(trainingCurve(1, 1000, 1000, rng));
    chart.setOverlays(
        { runCurve(QStringLiteral("long"), Qt::darkMagenta, trainingCurve(1, 3000, 1000, rng)) });
    settle(chart);
    QCustomPlot *plot = plotOf(chart);
    QCOMPARE(plot->xAxis->range().lower, 1.0);
    QVERIFY(plot->xAxis->range().contains(3000) && !plot->xAxis->range().contains(3100));
    // The y range holds every drawn point of both runs.
    for (int i = 0; i < plot->graphCount(); ++i)
        for (const QCPGraphData &d : dataOf(plot->graph(i)))
            QVERIFY(plot->yAxis->range().contains(d.value));
    // Without overlays, back to the main run.
    chart.setOverlays({});
    settle(chart);
    QVERIFY(plot->xAxis->range().contains(1000) && !plot->xAxis->range().contains(1100));
}

void TestLossChart::largeOverlayStillDrawsThinned()
{
    LossChart chart;
    showChart(chart, 800, 500);
    std::mt19937 rng(3);
    constexpr int N = 200000;
    chart.addPoints(trainingCurve(1, N, 50000, rng));
    chart.setOverlays(
        { runCurve(QStringLiteral("big"), Qt::darkMagenta, trainingCurve(1, N, 50000, rng)) });
    settle(chart);
    QCOMPARE(chart.overlay(0).points.size(), N);
    QCPGraph *raw = runGraph(chart, QStringLiteral("big"), "raw");
    QCPGraph *smooth = runGraph(chart, QStringLiteral("big"), "smoothed");
    const int columns = plotOf(chart)->width();
    QVERIFY(raw->dataCount() > 0 && raw->dataCount() <= 4 * columns + 2);
    QVERIFY(smooth->dataCount() > 0 && smooth->dataCount() <= 4 * columns + 2);
    // Zooming in rethins the overlay to the visible range.
    chart.setAutoFit(false);
    plotOf(chart)->xAxis->setRange(1000, 1100);
    settle(chart);
    const QVector<QCPGraphData> zoomed = dataOf(smooth);
    QVERIFY(zoomed.size() >= 101 && zoomed.size() <= 103);
    QVERIFY(zoomed.first().key <= 1000 && zoomed.last().key >= 1100);
    // Exports draw them too.
    QTemporaryDir dir;
    QVERIFY(chart.exportPng(dir.filePath(QStringLiteral("big.png")), 800, 500));
    QVERIFY(chart.exportPdf(dir.filePath(QStringLiteral("big.pdf")), 800, 500));
}

void TestLossChart::hoverNamesTheNearestRun()
{
    LossChart chart;
    showChart(chart);
    chart.setSmoothing(0);
    chart.setMainRun(QStringLiteral("live"), QColor(0x1b, 0x9e, 0x77));
    chart.addPoints(points({ 6, 6, 6, 6 }));
    chart.setOverlays(
        { runCurve(QStringLiteral("b"), QColor(0x75, 0x70, 0xb3), points({ 4, 4, 4, 4, 4, 4 })) });
    settle(chart);
    QCustomPlot *plot = plotOf(chart);
    auto *readout = chart.findChild<QLabel *>(QStringLiteral("readout"));
    const auto tracers = itemsOf<QCPItemTracer>(chart);
    QCOMPARE(tracers.size(), 1);
    const double px = plot->xAxis->coordToPixel(2);
    QCOMPARE(chart.nearestRun(QPointF(px, plot->yAxis->coordToPixel(5.8))), -1);
    QCOMPARE(chart.nearestRun(QPointF(px, plot->yAxis->coordToPixel(4.3))), 0);

    hover(plot, QPointF(px, plot->yAxis->coordToPixel(5.8)));
    QVERIFY2(readout->text().startsWith(QStringLiteral("live · step 2 · loss 6 ·")),
        qPrintable(readout->text()));
    QCOMPARE(tracers[0]->position->value(), 6.0);
    QCOMPARE(tracers[0]->pen().color(), QColor(0x1b, 0x9e, 0x77));

    hover(plot, QPointF(px, plot->yAxis->coordToPixel(4.3)));
    QVERIFY2(readout->text().startsWith(QStringLiteral("run b · step 2 · loss 4 ·")),
        qPrintable(readout->text()));
    QCOMPARE(tracers[0]->position->value(), 4.0);
    QCOMPARE(tracers[0]->pen().color(), QColor(0x75, 0x70, 0xb3));

    // Past the end of the main run its last window is far to the left: the overlay is nearer.
    hover(plot, QPointF(plot->xAxis->coordToPixel(6), plot->yAxis->coordToPixel(5.4)));
    QVERIFY2(readout->text().startsWith(QStringLiteral("run b · step 6 ·")),
        qPrintable(readout->text()));
}

void TestLossChart::overlayColoursFollowThePalette()
{
    LossChart chart;
    showChart(chart, 700, 400);
    const QColor darkColour(0x3b, 0x2a, 0x80); // reads on white, nearly vanishes on black
    const QColor lightColour(0xff, 0xe0, 0x80);
    chart.addPoints(points({ 6, 5, 4 }));
    chart.setOverlays({ runCurve(QStringLiteral("b"), darkColour, points({ 7, 6, 5 })),
        runCurve(QStringLiteral("c"), lightColour, points({ 8, 7, 6 })) });
    settle(chart);
    QCOMPARE(runGraph(chart, QStringLiteral("b"), "smoothed")->pen().color(), darkColour);
    chart.setPalette(darkPalette());
    settle(chart);
    const QColor onDark = runGraph(chart, QStringLiteral("b"), "smoothed")->pen().color();
    QCOMPARE(onDark, chart.overlayColour(0));
    QVERIFY(onDark.lightness() > darkColour.lightness());
    QCOMPARE(onDark.hslHue(), darkColour.hslHue());
    // A colour that is light already is kept.
    QCOMPARE(runGraph(chart, QStringLiteral("c"), "smoothed")->pen().color(), lightColour);
    QCOMPARE(
        plotOf(chart)->axisRect()->backgroundBrush().color(), darkPalette().color(QPalette::Base));
}

// Not a check: with EMBEDLAB_SCREENSHOT_DIR set, saves light and dark pictures of a realistic
// run for a person to look at.
void TestLossChart::screenshots()
{
    const QString dir = qEnvironmentVariable("EMBEDLAB_SCREENSHOT_DIR");
    if (dir.isEmpty())
        QSKIP("set EMBEDLAB_SCREENSHOT_DIR to save screenshots");
    using Y = LossChart::YMode;
    using X = LossChart::XMode;
    const struct
    {
        const char *name;
        bool dark;
        Y y;
        bool logY;
        X x;
        bool logX;
        int width;
        int height;
    } shots[] = {
        { "losschart.png", false, Y::Loss, false, X::Step, false, 960, 540 },
        { "losschart-dark.png", true, Y::Loss, false, X::Step, false, 960, 540 },
        { "losschart-ppl-log.png", false, Y::Perplexity, true, X::Tokens, false, 960, 540 },
        { "losschart-time-logx.png", false, Y::Loss, false, X::Time, true, 960, 540 },
        { "losschart-time.png", true, Y::Loss, true, X::Time, false, 960, 540 },
        { "losschart-narrow.png", true, Y::Loss, false, X::Step, false, 620, 400 },
    };
    for (const auto &shot : shots) {
        LossChart chart;
        if (shot.dark)
            chart.setPalette(darkPalette());
        showChart(chart, shot.width, shot.height);
        constexpr qint64 PerEpoch = 2400;
        std::mt19937 rng(42);
        const QVector<LossPoint> all = trainingCurve(1, 3 * PerEpoch, PerEpoch, rng);
        for (int i = 0; i < all.size(); i += 350)
            chart.addPoints(all.mid(i, 350));
        chart.addEpoch(epochPoint(1, PerEpoch, 5.9, 5.55, 20, false));
        chart.addEpoch(epochPoint(2, 2 * PerEpoch, 5.3, 5.28, 5, true));
        chart.addEpoch(epochPoint(3, 3 * PerEpoch, 4.95, 5.02, 5, false));
        chart.setYMode(shot.y);
        chart.setLogY(shot.logY);
        chart.setXMode(shot.x);
        chart.setLogX(shot.logX);
        settle(chart);
        if (!shot.dark) { // the hover read-out and its marker
            QCustomPlot *plot = plotOf(chart);
            const LossPoint &p = chart.points()[2999];
            const double x = shot.x == X::Step ? double(p.step)
                : shot.x == X::Tokens          ? p.tokens
                                               : p.seconds;
            hover(plot, QPointF(plot->xAxis->coordToPixel(x), 200));
        }
        QCoreApplication::processEvents();
        const QString path = QDir(dir).filePath(QString::fromLatin1(shot.name));
        QVERIFY(chart.grab().save(path));
        qInfo("saved %s", qPrintable(path));
    }

    // Three runs compared: the live one and two recorded ones of other lengths, as exported.
    for (const bool dark : { false, true }) {
        LossChart chart;
        if (dark)
            chart.setPalette(darkPalette());
        showChart(chart, 960, 540);
        constexpr qint64 PerEpoch = 2400;
        std::mt19937 rng(7);
        chart.setMainRun(QStringLiteral("dim 100, lr 20"), QColor(0x1f, 0x6f, 0xb4));
        chart.addPoints(trainingCurve(1, 2 * PerEpoch + 900, PerEpoch, rng));
        chart.addEpoch(epochPoint(1, PerEpoch, 5.9, 5.55, 20, false));
        chart.addEpoch(epochPoint(2, 2 * PerEpoch, 5.3, 5.28, 5, true));
        QVector<LossPoint> longer = trainingCurve(1, 3 * PerEpoch + 1200, PerEpoch, rng);
        QVector<LossPoint> shorter = trainingCurve(1, 1500, PerEpoch, rng);
        for (LossPoint &p : longer)
            p.loss += 0.25;
        for (LossPoint &p : shorter)
            p.loss -= 0.3 * (1 - std::exp(-double(p.step) / 400.0));
        chart.setOverlays({ runCurve(QStringLiteral("dim 50"), QColor(0xd9, 0x5f, 0x0e), longer,
                                { epochPoint(1, PerEpoch, 6.1, 5.8, 20, false),
                                    epochPoint(2, 2 * PerEpoch, 5.6, 5.5, 20, false),
                                    epochPoint(3, 3 * PerEpoch, 5.3, 5.3, 20, false) }),
            runCurve(QStringLiteral("dim 300"), QColor(0x2c, 0x8c, 0x3c), shorter) });
        settle(chart);
        const QString path = QDir(dir).filePath(dark ? QStringLiteral("losschart-runs-dark.png")
                                                     : QStringLiteral("losschart-runs.png"));
        QVERIFY(chart.exportPng(path, 960, 540));
        qInfo("saved %s", qPrintable(path));
    }
}

QTEST_MAIN(TestLossChart)
#include "tst_losschart.moc"
