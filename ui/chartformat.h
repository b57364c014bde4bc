#pragma once
// How the loss chart writes numbers in its tick labels and its hover read-out.
#include <QString>

#include <qcustomplot.h>

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

} // namespace embedlab
