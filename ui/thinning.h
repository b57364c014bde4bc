#pragma once
// What the loss chart draws of a run of any length: the windows in the visible x range, thinned
// to at most four points per pixel column and series (the first and last, which join a column to
// its neighbours, and the lowest and highest, so every spike stays visible). Every window stays
// in the chart's data; only the drawing is thinned. The output is QCustomPlot's graph data.
#include <QVector>

#include <qcustomplot.h>

#include "ui/snapshots.h"

namespace embedlab {

// The unit of a window's x coordinate.
enum class ThinX { Step, Tokens, Seconds };

struct ThinSpec
{
    ThinX x = ThinX::Step;
    int columns = 0;
    // Exports draw true polylines, whose cost grows much faster than their length when they
    // zigzag: a gap (NaN) and a repeat of the point every this many points cuts them short
    // without a visible break. 0: none, for the screen, which draws segments anyway.
    int breakEvery = 0;
    QCPRange range;
    bool logX = false;
    bool perplexity = false;
    double lossLo = 0;
    double lossHi = 0;
};

// The drawn points of the windows in spec.range (plus one beyond each side, so the lines run to
// the edges): all of them when there are few, else first, last, min and max per pixel column.
// Windows outside the x axis's domain (x <= 0 on a log axis) and losses outside
// (lossLo, lossHi) are left out; y is the loss, or exp(loss) with spec.perplexity. `pts` are in
// training order (x never decreases); smoothed[i] is window i's smoothed loss.
void thinWindows(const LossPoint *pts, const double *smoothed, int n, const ThinSpec &spec,
    QVector<QCPGraphData> &raw, QVector<QCPGraphData> &smooth);

} // namespace embedlab
