#include "ui/chartformat.h"

#include <cmath>

namespace embedlab {

QString compactNumber(double v)
{
    const double a = std::abs(v);
    if (a >= 1e9)
        return QString::number(v / 1e9, 'g', 4) + QLatin1Char('G');
    if (a >= 1e6)
        return QString::number(v / 1e6, 'g', 4) + QLatin1Char('M');
    if (a >= 1e3)
        return QString::number(v / 1e3, 'g', 4) + QLatin1Char('k');
    return QString::number(v, 'g', 6);
}

QString formatDuration(double seconds)
{
    if (!std::isfinite(seconds))
        return QString();
    if (seconds < 60)
        return QStringLiteral("%1 s").arg(seconds, 0, 'f', 1);
    const qint64 s = qRound64(seconds);
    const QLatin1Char zero('0');
    if (s < 3600)
        return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, zero);
    return QStringLiteral("%1:%2:%3")
        .arg(s / 3600)
        .arg(s / 60 % 60, 2, 10, zero)
        .arg(s % 60, 2, 10, zero);
}

QString formatLoss(double v)
{
    return QString::number(v, 'g', 4);
}

QString formatPerplexity(double v)
{
    if (!std::isfinite(v))
        return QStringLiteral("∞");
    if (v >= 100)
        return QString::number(v, 'f', 0);
    return QString::number(v, 'g', 3);
}

} // namespace embedlab
