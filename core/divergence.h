#pragma once
// Decides from each training window's loss whether a run has blown up, so a learning rate that
// sends the weights far away stops the run even when no value becomes NaN or infinite.
#include <cstdint>
#include <string>

namespace embedlab {

// The rule, for a model over V classes (words or characters), U = ln V the mean loss of a
// model that predicts every class equally likely:
//  1. a loss or gradient norm that is NaN or infinite;
//  2. a window's loss above 2 U + 10 nats per token (the ceiling): far above anything an
//     initialised model or an ordinary SGD spike reaches, on vocabularies of 4 to 10^6 words;
//  3. a smoothed loss (moving average from the first window, weight 0.9 on the past) more than
//     3 times the lowest smoothed loss of the run while the window's loss is above U: the model
//     has learned and is now worse than one that knows nothing, for longer than a single spike.
class DivergenceGuard
{
public:
    explicit DivergenceGuard(std::int64_t classes);

    // Judges one window. Returns an empty string while the run is healthy, otherwise what
    // went wrong ("the loss is 83278.2 nats per token, far above ...") for the user.
    std::string check(double loss, double gradNorm);

    double uniformLoss() const { return m_uniform; }
    double ceiling() const { return 2 * m_uniform + 10; }
    static constexpr double Smoothing = 0.9;
    static constexpr double GrowthFactor = 3;

private:
    double m_uniform;
    std::int64_t m_classes;
    std::int64_t m_windows = 0;
    double m_smoothed = 0;
    double m_bestSmoothed = 0;
};

} // namespace embedlab
