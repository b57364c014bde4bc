#pragma once
// How the loss chart writes numbers in its tick labels and its hover read-out.
#include <QString>

#include <qcustomplot.h>

#include <cmath>

namespace embedlab {

// "950", "12.5k", "1.2M": tick labels and read-outs for counts of steps and tokens.
QString compactNumber(double v);
// "42.0 s", "3:07", "1:02:03"; empty when not finite.
QString formatDuration(double seconds);
QString formatLoss(double v);
// "∞" when not finite.
QString formatPerplexity(double v);

// Tick labels as compact numbers, on a linear or a logarithmic ticker.
template <class Base> class CompactTicker : public Base
{
protected:
    QString getTickLabel(double tick, const QLocale &, QChar, int) override
    {
        return compactNumber(tick);
    }
};

// An axis of whole numbers (training steps): ticks and subticks only where there is one, never
// at 2.5 or 7.5.
class IntegerTicker : public CompactTicker<QCPAxisTicker>
{
protected:
    double getTickStep(const QCPRange &range) override
    {
        const double step = QCPAxisTicker::getTickStep(range);
        return step < 1 ? 1.0 : std::floor(step); // 2.5 becomes 2; 25, 250... stay
    }
    int getSubTickCount(double tickStep) override
    {
        const double step = std::round(tickStep);
        if (step <= 1)
            return 0;
        // A subtick at every whole number when there are few, else as QCustomPlot spaces them
        // (4 in 5, 1 in 2, 4 in 10: always whole numbers for a whole-number step).
        return step <= 5 ? static_cast<int>(step) - 1 : QCPAxisTicker::getSubTickCount(tickStep);
    }
};

} // namespace embedlab
