#include "core/gru.h"

#include <cmath>

#include "core/parallel.h"

namespace embedlab {

namespace {

// Column blocks of at least this many columns per thread for the big matrix products.
constexpr std::size_t MinColumns = 32;

template <typename Scalar> struct GruWorkspace final : RecurrentCell<Scalar>::Workspace
{
    using Mat = typename RecurrentCell<Scalar>::Mat;
    Mat gates; // (3H, N) input projections W_ih^T x + b_ih, then the activated gates r, z, n
    Mat hn; // (H, N) W_hn h_{t-1} + b_hn, the product the reset gate scales
    Mat h; // (H, N) outputs
    Mat h0; // (H, B) state entering the window
    Mat dGx; // (3H, N) d(loss)/d(gx): the input side's pre-activations
    Mat dGh; // (3H, N) d(loss)/d(gh): the recurrent side's (n rows scaled by r)
};

} // namespace

template <typename Scalar>
std::unique_ptr<typename GruCell<Scalar>::Workspace> GruCell<Scalar>::makeWorkspace() const
{
    return std::make_unique<GruWorkspace<Scalar>>();
}

template <typename Scalar> std::string GruCell<Scalar>::recurrentShapeHint() const
{
    return "a GRU's is [3*hidden, hidden]";
}

template <typename Scalar>
std::vector<TensorSpec> GruCell<Scalar>::layout(
    int layer, std::int64_t in, std::int64_t hidden) const
{
    const std::string k = std::to_string(layer);
    return {
        { "weight_ih_l" + k, { 3 * hidden, in } },
        { "weight_hh_l" + k, { 3 * hidden, hidden } },
        { "bias_ih_l" + k, { 3 * hidden } },
        { "bias_hh_l" + k, { 3 * hidden } },
    };
}

template <typename Scalar> void GruCell<Scalar>::initRandom(std::vector<Mat> &w, Rng &rng) const
{
    initUniformHidden(w, w[WeightHh].rows(), rng);
}

template <typename Scalar>
const typename GruCell<Scalar>::Mat &GruCell<Scalar>::forward(const std::vector<Mat> &w,
    const Mat &x, int T, int B, Mat &stateH, Mat & /*stateC: none*/, Workspace &workspace) const
{
    auto &ws = static_cast<GruWorkspace<Scalar> &>(workspace);
    const Mat &wIh = w[WeightIh], &wHh = w[WeightHh];
    const Mat &bHh = w[BiasHh];
    const Eigen::Index H = wHh.rows();
    const Eigen::Index N = static_cast<Eigen::Index>(T) * B;
    Mat &gates = ws.gates; // (3H, N)
    ws.h0 = stateH;
    gates.resize(3 * H, N);
    ws.hn.resize(H, N);
    ws.h.resize(H, N);
    // Input projections of the whole window at once: (3H, in) x (in, N), split by columns.
    auto lap = std::chrono::steady_clock::now();
    parallelFor(static_cast<std::size_t>(N), MinColumns, [&](std::size_t b, std::size_t e) {
        const Eigen::Index c0 = static_cast<Eigen::Index>(b);
        const Eigen::Index len = static_cast<Eigen::Index>(e - b);
        auto g = gates.middleCols(c0, len);
        g.noalias() = wIh.transpose() * x.middleCols(c0, len);
        g.colwise() += w[BiasIh].col(0);
    });
    ws.seconds.projections += lapSeconds(lap);
    // The recurrence, each thread with its own streams through all T steps.
    parallelFor(static_cast<std::size_t>(B), 4, [&](std::size_t b0, std::size_t b1) {
        const Eigen::Index s0 = static_cast<Eigen::Index>(b0);
        const Eigen::Index nb = static_cast<Eigen::Index>(b1 - b0);
        Mat gh(3 * H, nb); // W_hh^T h_{t-1} + b_hh      (3H, nb)
        for (int t = 0; t < T; ++t) {
            const Eigen::Index col = static_cast<Eigen::Index>(t) * B + s0;
            const auto hPrev = t == 0 ? ws.h0.middleCols(s0, nb) : ws.h.middleCols(col - B, nb);
            gh.noalias() = wHh.transpose() * hPrev;
            gh.colwise() += bHh.col(0);
            auto a = gates.middleCols(col, nb).array();
            a.topRows(2 * H)
                = (Scalar(1) + (-(a.topRows(2 * H) + gh.topRows(2 * H).array())).exp()).inverse();
            auto hn = ws.hn.middleCols(col, nb).array();
            hn = gh.bottomRows(H).array();
            a.bottomRows(H) = (a.bottomRows(H) + a.topRows(H) * hn).tanh();
            const auto z = a.middleRows(H, H);
            ws.h.middleCols(col, nb).array()
                = (Scalar(1) - z) * a.bottomRows(H) + z * hPrev.array();
        }
    });
    ws.seconds.recurrence += lapSeconds(lap);
    stateH = ws.h.rightCols(B);
    return ws.h;
}

template <typename Scalar>
void GruCell<Scalar>::backward(const std::vector<Mat> &w, const Mat &x, int T, int B, const Mat &dH,
    std::vector<Mat> &g, Mat *dX, Workspace &workspace) const
{
    auto &ws = static_cast<GruWorkspace<Scalar> &>(workspace);
    const Mat &wIh = w[WeightIh], &wHh = w[WeightHh];
    const Eigen::Index H = wHh.rows();
    const Eigen::Index N = static_cast<Eigen::Index>(T) * B;
    const Mat &gates = ws.gates;
    ws.dGx.resize(3 * H, N);
    ws.dGh.resize(3 * H, N);
    // Back through time, each thread with its own streams (as in forward).
    auto lap = std::chrono::steady_clock::now();
    parallelFor(static_cast<std::size_t>(B), 4, [&](std::size_t b0, std::size_t b1) {
        const Eigen::Index s0 = static_cast<Eigen::Index>(b0);
        const Eigen::Index nb = static_cast<Eigen::Index>(b1 - b0);
        Mat dhNext = Mat::Zero(H, nb);
        Eigen::Array<Scalar, Eigen::Dynamic, Eigen::Dynamic> dh(H, nb), dnPre(H, nb);
        for (int t = T - 1; t >= 0; --t) {
            const Eigen::Index c0 = static_cast<Eigen::Index>(t) * B + s0;
            const auto hPrev
                = (t == 0 ? ws.h0.middleCols(s0, nb) : ws.h.middleCols(c0 - B, nb)).array();
            auto r = gates.middleRows(0, H).middleCols(c0, nb).array();
            auto z = gates.middleRows(H, H).middleCols(c0, nb).array();
            auto n = gates.middleRows(2 * H, H).middleCols(c0, nb).array();
            auto hn = ws.hn.middleCols(c0, nb).array();
            dh = dH.middleCols(c0, nb).array() + dhNext.array();
            // h = (1 - z) n + z h_prev:  dn = dh (1 - z), dz = dh (h_prev - n)
            dnPre = dh * (Scalar(1) - z) * (Scalar(1) - n.square());
            auto dGx = ws.dGx.middleCols(c0, nb);
            auto dGh = ws.dGh.middleCols(c0, nb);
            // n = tanh(gx_n + r * hn):  d(r) = dnPre * hn
            dGx.middleRows(0, H).array() = dnPre * hn * r * (Scalar(1) - r);
            dGx.middleRows(H, H).array() = dh * (hPrev - n) * z * (Scalar(1) - z);
            dGx.middleRows(2 * H, H).array() = dnPre;
            dGh.topRows(2 * H) = dGx.topRows(2 * H);
            dGh.middleRows(2 * H, H).array() = dnPre * r;
            // dh_{t-1} = z dh + W_hh dGh_t                 (H, 3H) x (3H, nb)
            if (t > 0) {
                dhNext.noalias() = wHh * dGh;
                dhNext.array() += z * dh;
            }
        }
    });
    ws.seconds.backThroughTime += lapSeconds(lap);
    // Weight gradients for the whole window, split over the 3H gate rows:
    //   dW_hh (H, 3H) += [h0, h_0..h_{T-2}] dGh^T,  dW_ih (in, 3H) += x dGx^T
    Mat &gWIh = g[WeightIh], &gWHh = g[WeightHh], &gBIh = g[BiasIh], &gBHh = g[BiasHh];
    parallelForAligned(static_cast<std::size_t>(3 * H), 16, 16, [&](std::size_t b, std::size_t e) {
        const Eigen::Index j0 = static_cast<Eigen::Index>(b);
        const Eigen::Index len = static_cast<Eigen::Index>(e - b);
        auto dGx = ws.dGx.middleRows(j0, len);
        auto dGh = ws.dGh.middleRows(j0, len);
        gWHh.middleCols(j0, len).noalias() += ws.h0 * dGh.leftCols(B).transpose();
        if (T > 1)
            gWHh.middleCols(j0, len).noalias()
                += ws.h.leftCols(N - B) * dGh.rightCols(N - B).transpose();
        gWIh.middleCols(j0, len).noalias() += x * dGx.transpose();
        gBIh.middleRows(j0, len) += dGx.rowwise().sum();
        gBHh.middleRows(j0, len) += dGh.rowwise().sum();
    });
    ws.seconds.weightGradients += lapSeconds(lap);
    //   dx (in, N) = W_ih^T dGx   (in, 3H) x (3H, N)
    if (dX) {
        dX->resize(wIh.rows(), N);
        parallelFor(static_cast<std::size_t>(N), MinColumns, [&](std::size_t b, std::size_t e) {
            const Eigen::Index c0 = static_cast<Eigen::Index>(b);
            const Eigen::Index len = static_cast<Eigen::Index>(e - b);
            dX->middleCols(c0, len).noalias() = wIh * ws.dGx.middleCols(c0, len);
        });
        ws.seconds.inputGradients += lapSeconds(lap);
    }
}

template class GruCell<float>;
template class GruCell<double>;

} // namespace embedlab
