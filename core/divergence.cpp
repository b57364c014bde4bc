#include "core/divergence.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace embedlab {

DivergenceGuard::DivergenceGuard(std::int64_t classes)
    : m_uniform(std::log(static_cast<double>(std::max<std::int64_t>(classes, 2))))
    , m_classes(classes)
{ }

std::string DivergenceGuard::check(double loss, double gradNorm)
{
    std::ostringstream why;
    if (!std::isfinite(loss)) {
        why << "the loss is " << loss;
        return why.str();
    }
    if (!std::isfinite(gradNorm)) {
        why << "the gradient is " << gradNorm;
        return why.str();
    }
    why.precision(4);
    if (loss > ceiling()) {
        why << "the loss is " << loss << " nats per token, far above the " << m_uniform
            << " of a model that finds all " << m_classes << " tokens equally likely";
        return why.str();
    }
    // The average starts at the first loss, so a spike early in the run moves it by a tenth.
    m_smoothed = m_windows++ == 0 ? loss : Smoothing * m_smoothed + (1 - Smoothing) * loss;
    const double smoothed = m_smoothed;
    if (m_windows == 1 || smoothed < m_bestSmoothed)
        m_bestSmoothed = smoothed;
    if (loss > m_uniform && smoothed > GrowthFactor * m_bestSmoothed) {
        why << "the smoothed loss has grown to " << smoothed << " nats per token, "
            << smoothed / m_bestSmoothed << " times its lowest (" << m_bestSmoothed
            << "), and the last window's " << loss << " is worse than the " << m_uniform
            << " of a model that finds all " << m_classes << " tokens equally likely";
        return why.str();
    }
    return {};
}

} // namespace embedlab
