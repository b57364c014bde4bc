#include "ui/thinning.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace embedlab {

namespace {

// The points of one pixel column that keep its drawing exact: the first and last (which join
// it to its neighbours) and the lowest and highest, in their original order.
struct ColumnBucket
{
    int first = -1;
    int last = -1;
    int lo = -1;
    int hi = -1;
    double loValue = 0;
    double hiValue = 0;

    void add(int i, double v)
    {
        if (first < 0) {
            first = last = lo = hi = i;
            loValue = hiValue = v;
            return;
        }
        last = i;
        if (v < loValue) {
            loValue = v;
            lo = i;
        }
        if (v > hiValue) {
            hiValue = v;
            hi = i;
        }
    }

    template <class Out> void flush(Out &&out)
    {
        if (first < 0)
            return;
        int idx[4] = { first, lo, hi, last };
        std::sort(idx, idx + 4);
        int previous = -1;
        for (int i : idx) {
            if (i != previous)
                out(i);
            previous = i;
        }
        first = -1;
    }
};

template <class XAt>
void thinWindowsAt(const LossPoint *pts, const double *smoothed, int n, XAt xAt,
    const ThinSpec &spec, QVector<QCPGraphData> &raw, QVector<QCPGraphData> &smooth)
{
    if (n == 0)
        return;
    const QCPRange &range = spec.range;
    auto before = [&](const LossPoint &p, double x) { return xAt(p) < x; };
    auto after = [&](double x, const LossPoint &p) { return x < xAt(p); };
    const int lower = static_cast<int>(std::lower_bound(pts, pts + n, range.lower, before) - pts);
    const int upper = static_cast<int>(std::upper_bound(pts, pts + n, range.upper, after) - pts);
    const int first = std::max(0, lower - 1);
    const int last = std::min(n - 1, upper);
    const double xLo = spec.logX ? 0.0 : -std::numeric_limits<double>::infinity();
    const double xHi = std::numeric_limits<double>::infinity();
    const double lossLo = spec.lossLo;
    const double lossHi = spec.lossHi;
    const bool perplexity = spec.perplexity;
    auto y = [perplexity](double loss) { return perplexity ? std::exp(loss) : loss; };
    const int breakEvery = spec.breakEvery;
    auto append = [breakEvery](QVector<QCPGraphData> &out, const QCPGraphData &d) {
        out.append(d);
        if (breakEvery > 0 && out.size() % (breakEvery + 2) == breakEvery) {
            out.append(QCPGraphData(d.key, std::numeric_limits<double>::quiet_NaN()));
            out.append(d);
        }
    };
    auto emitRaw = [&](int i) { append(raw, QCPGraphData(xAt(pts[i]), y(pts[i].loss))); };
    auto emitSmooth = [&](int i) { append(smooth, QCPGraphData(xAt(pts[i]), y(smoothed[i]))); };

    const int count = last - first + 1;
    const int columns = spec.columns;
    if (count <= 4 * columns) {
        raw.reserve(count);
        smooth.reserve(count);
        for (int i = first; i <= last; ++i) {
            const double x = xAt(pts[i]);
            if (!(x > xLo && x < xHi))
                continue;
            if (pts[i].loss > lossLo && pts[i].loss < lossHi)
                emitRaw(i);
            if (smoothed[i] > lossLo && smoothed[i] < lossHi)
                emitSmooth(i);
        }
        return;
    }

    raw.reserve(4 * columns + 8);
    smooth.reserve(4 * columns + 8);
    // Column boundaries in data units, so the loop needs no log() per point.
    const double t0 = spec.logX ? std::log(range.lower) : range.lower;
    const double t1 = spec.logX ? std::log(range.upper) : range.upper;
    const double width = (t1 - t0) / columns;
    const bool oneColumn = !(width > 0);
    auto boundary = [&](int k) {
        if (oneColumn || k > columns)
            return std::numeric_limits<double>::infinity();
        const double t = t0 + k * width;
        return spec.logX ? std::exp(t) : t;
    };
    int column = 0;
    double next = boundary(1);
    ColumnBucket rawBucket;
    ColumnBucket smoothBucket;
    for (int i = first; i <= last; ++i) {
        const double x = xAt(pts[i]);
        if (!(x > xLo && x < xHi))
            continue;
        if (x >= next) {
            rawBucket.flush(emitRaw);
            smoothBucket.flush(emitSmooth);
            do
                next = boundary(++column + 1);
            while (x >= next);
        }
        const double loss = pts[i].loss;
        if (loss > lossLo && loss < lossHi)
            rawBucket.add(i, loss);
        if (smoothed[i] > lossLo && smoothed[i] < lossHi)
            smoothBucket.add(i, smoothed[i]);
    }
    rawBucket.flush(emitRaw);
    smoothBucket.flush(emitSmooth);
}

} // namespace

void thinWindows(const LossPoint *pts, const double *smoothed, int n, const ThinSpec &spec,
    QVector<QCPGraphData> &raw, QVector<QCPGraphData> &smooth)
{
    // One instantiation per unit keeps the loop over all windows free of branches on the mode.
    switch (spec.x) {
    case ThinX::Step:
        thinWindowsAt(
            pts, smoothed, n, [](const LossPoint &p) { return static_cast<double>(p.step); }, spec,
            raw, smooth);
        break;
    case ThinX::Tokens:
        thinWindowsAt(
            pts, smoothed, n, [](const LossPoint &p) { return p.tokens; }, spec, raw, smooth);
        break;
    case ThinX::Seconds:
        thinWindowsAt(
            pts, smoothed, n, [](const LossPoint &p) { return p.seconds; }, spec, raw, smooth);
        break;
    }
}

} // namespace embedlab
