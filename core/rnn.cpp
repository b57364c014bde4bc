#include "core/rnn.h"

#include <cmath>

#include "core/parallel.h"

namespace embedlab {

namespace {

// Column blocks of at least this many columns per thread for the big matrix products.
constexpr std::size_t MinColumns = 32;

template <typename Scalar> struct RnnWorkspace final : RecurrentCell<Scalar>::Workspace
{
    using Mat = typename RecurrentCell<Scalar>::Mat;
    Mat bias; // (H, 1) b_ih + b_hh
    Mat h; // (H, N) outputs (the activated pre-activations)
    Mat h0; // (H, B) state entering the window
    Mat dPre; // (H, N) d(loss)/d(pre-activation)
};

} // namespace

template <typename Scalar>
std::unique_ptr<typename RnnCell<Scalar>::Workspace> RnnCell<Scalar>::makeWorkspace() const
{
    return std::make_unique<RnnWorkspace<Scalar>>();
}

template <typename Scalar> std::string RnnCell<Scalar>::recurrentShapeHint() const
{
    return "a plain RNN's is [hidden, hidden]";
}

template <typename Scalar>
std::vector<TensorSpec> RnnCell<Scalar>::layout(
    int layer, std::int64_t in, std::int64_t hidden) const
{
    const std::string k = std::to_string(layer);
    return {
        { "weight_ih_l" + k, { hidden, in } },
        { "weight_hh_l" + k, { hidden, hidden } },
        { "bias_ih_l" + k, { hidden } },
        { "bias_hh_l" + k, { hidden } },
    };
}

template <typename Scalar> void RnnCell<Scalar>::initRandom(std::vector<Mat> &w, Rng &rng) const
{
    initUniformHidden(w, w[WeightHh].rows(), rng);
}

template <typename Scalar>
const typename RnnCell<Scalar>::Mat &RnnCell<Scalar>::forward(const std::vector<Mat> &w,
    const Mat &x, int T, int B, Mat &stateH, Mat & /*stateC: none*/, Workspace &workspace) const
{
    auto &ws = static_cast<RnnWorkspace<Scalar> &>(workspace);
    const Mat &wIh = w[WeightIh], &wHh = w[WeightHh];
    const Eigen::Index H = wHh.rows();
    const Eigen::Index N = static_cast<Eigen::Index>(T) * B;
    const bool relu = m_activation == RnnActivation::Relu;
    ws.h0 = stateH;
    ws.h.resize(H, N);
    ws.bias.noalias() = w[BiasIh] + w[BiasHh];
    // Input projections of the whole window at once: (H, in) x (in, N), split by columns.
    auto lap = std::chrono::steady_clock::now();
    parallelFor(static_cast<std::size_t>(N), MinColumns, [&](std::size_t b, std::size_t e) {
        const Eigen::Index c0 = static_cast<Eigen::Index>(b);
        const Eigen::Index len = static_cast<Eigen::Index>(e - b);
        auto p = ws.h.middleCols(c0, len);
        p.noalias() = wIh.transpose() * x.middleCols(c0, len);
        p.colwise() += ws.bias.col(0);
    });
    ws.seconds.projections += lapSeconds(lap);
    // The recurrence, each thread with its own streams through all T steps.   h_t: (H, nb)
    parallelFor(static_cast<std::size_t>(B), 4, [&](std::size_t b0, std::size_t b1) {
        const Eigen::Index s0 = static_cast<Eigen::Index>(b0);
        const Eigen::Index nb = static_cast<Eigen::Index>(b1 - b0);
        for (int t = 0; t < T; ++t) {
            const Eigen::Index col = static_cast<Eigen::Index>(t) * B + s0;
            auto p = ws.h.middleCols(col, nb);
            if (t == 0)
                p.noalias() += wHh.transpose() * ws.h0.middleCols(s0, nb);
            else
                p.noalias() += wHh.transpose() * ws.h.middleCols(col - B, nb);
            if (relu)
                p.array() = p.array().max(Scalar(0));
            else
                p.array() = p.array().tanh();
        }
    });
    ws.seconds.recurrence += lapSeconds(lap);
    stateH = ws.h.rightCols(B);
    return ws.h;
}

template <typename Scalar>
void RnnCell<Scalar>::backward(const std::vector<Mat> &w, const Mat &x, int T, int B, const Mat &dH,
    std::vector<Mat> &g, Mat *dX, Workspace &workspace) const
{
    auto &ws = static_cast<RnnWorkspace<Scalar> &>(workspace);
    const Mat &wIh = w[WeightIh], &wHh = w[WeightHh];
    const Eigen::Index H = wHh.rows();
    const Eigen::Index N = static_cast<Eigen::Index>(T) * B;
    const bool relu = m_activation == RnnActivation::Relu;
    ws.dPre.resize(H, N);
    // Back through time, each thread with its own streams (as in forward).
    auto lap = std::chrono::steady_clock::now();
    parallelFor(static_cast<std::size_t>(B), 4, [&](std::size_t b0, std::size_t b1) {
        const Eigen::Index s0 = static_cast<Eigen::Index>(b0);
        const Eigen::Index nb = static_cast<Eigen::Index>(b1 - b0);
        Mat dhNext = Mat::Zero(H, nb);
        for (int t = T - 1; t >= 0; --t) {
            const Eigen::Index c0 = static_cast<Eigen::Index>(t) * B + s0;
            auto h = ws.h.middleCols(c0, nb).array();
            auto dP = ws.dPre.middleCols(c0, nb);
            // act'(.) from the output: relu 1 where h > 0 (0 at 0, as PyTorch), tanh 1 - h^2
            if (relu)
                dP.array() = (dH.middleCols(c0, nb).array() + dhNext.array())
                    * (h > Scalar(0)).template cast<Scalar>();
            else
                dP.array()
                    = (dH.middleCols(c0, nb).array() + dhNext.array()) * (Scalar(1) - h.square());
            // dh_{t-1} = W_hh dP_t                       (H, H) x (H, nb)
            if (t > 0)
                dhNext.noalias() = wHh * dP;
        }
    });
    ws.seconds.backThroughTime += lapSeconds(lap);
    // Weight gradients for the whole window, split over the H rows:
    //   dW_hh (H, H) += [h0, h_0..h_{T-2}] dP^T,  dW_ih (in, H) += x dP^T
    Mat &gWIh = g[WeightIh], &gWHh = g[WeightHh], &gBIh = g[BiasIh], &gBHh = g[BiasHh];
    parallelForAligned(static_cast<std::size_t>(H), 16, 16, [&](std::size_t b, std::size_t e) {
        const Eigen::Index j0 = static_cast<Eigen::Index>(b);
        const Eigen::Index len = static_cast<Eigen::Index>(e - b);
        auto dP = ws.dPre.middleRows(j0, len);
        gWHh.middleCols(j0, len).noalias() += ws.h0 * dP.leftCols(B).transpose();
        if (T > 1)
            gWHh.middleCols(j0, len).noalias()
                += ws.h.leftCols(N - B) * dP.rightCols(N - B).transpose();
        gWIh.middleCols(j0, len).noalias() += x * dP.transpose();
        const Mat db = dP.rowwise().sum();
        gBIh.middleRows(j0, len) += db;
        gBHh.middleRows(j0, len) += db;
    });
    ws.seconds.weightGradients += lapSeconds(lap);
    //   dx (in, N) = W_ih^T dP   (in, H) x (H, N)
    if (dX) {
        dX->resize(wIh.rows(), N);
        parallelFor(static_cast<std::size_t>(N), MinColumns, [&](std::size_t b, std::size_t e) {
            const Eigen::Index c0 = static_cast<Eigen::Index>(b);
            const Eigen::Index len = static_cast<Eigen::Index>(e - b);
            dX->middleCols(c0, len).noalias() = wIh * ws.dPre.middleCols(c0, len);
        });
        ws.seconds.inputGradients += lapSeconds(lap);
    }
}

template class RnnCell<float>;
template class RnnCell<double>;

} // namespace embedlab
