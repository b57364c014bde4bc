#include "core/lstm.h"

#include <cmath>

#include "core/parallel.h"

namespace embedlab {

namespace {

// Column blocks of at least this many columns per thread for the big matrix products.
constexpr std::size_t MinColumns = 32;

template <typename Scalar> struct LstmWorkspace final : RecurrentCell<Scalar>::Workspace
{
    using Mat = typename RecurrentCell<Scalar>::Mat;
    Mat bias; // (4H, 1) b_ih + b_hh
    Mat gates; // (4H, N) activated gates i, f, g, o
    Mat c; // (H, N) cell states
    Mat tanhC; // (H, N)
    Mat h; // (H, N) outputs
    Mat h0, c0; // (H, B) state entering the window
    Mat dGates; // (4H, N) d(loss)/d(pre-activation gates)
};

} // namespace

template <typename Scalar>
std::unique_ptr<typename LstmCell<Scalar>::Workspace> LstmCell<Scalar>::makeWorkspace() const
{
    return std::make_unique<LstmWorkspace<Scalar>>();
}

template <typename Scalar> std::string LstmCell<Scalar>::recurrentShapeHint() const
{
    return "an LSTM's is [4*hidden, hidden]";
}

template <typename Scalar>
std::vector<TensorSpec> LstmCell<Scalar>::layout(
    int layer, std::int64_t in, std::int64_t hidden) const
{
    const std::string k = std::to_string(layer);
    return {
        { "weight_ih_l" + k, { 4 * hidden, in } },
        { "weight_hh_l" + k, { 4 * hidden, hidden } },
        { "bias_ih_l" + k, { 4 * hidden } },
        { "bias_hh_l" + k, { 4 * hidden } },
    };
}

template <typename Scalar> void LstmCell<Scalar>::initRandom(std::vector<Mat> &w, Rng &rng) const
{
    initUniformHidden(w, w[WeightHh].rows(), rng);
}

template <typename Scalar>
const typename LstmCell<Scalar>::Mat &LstmCell<Scalar>::forward(const std::vector<Mat> &w,
    const Mat &x, int T, int B, Mat &stateH, Mat &stateC, Workspace &workspace) const
{
    auto &ws = static_cast<LstmWorkspace<Scalar> &>(workspace);
    const Mat &wIh = w[WeightIh], &wHh = w[WeightHh];
    const Eigen::Index H = wHh.rows();
    const Eigen::Index N = static_cast<Eigen::Index>(T) * B;
    Mat &gates = ws.gates; // (4H, N)
    ws.h0 = stateH;
    ws.c0 = stateC;
    gates.resize(4 * H, N);
    ws.c.resize(H, N);
    ws.tanhC.resize(H, N);
    ws.h.resize(H, N);
    ws.bias.noalias() = w[BiasIh] + w[BiasHh];
    // Input projections of the whole window at once: (4H, in) x (in, N), split by columns.
    auto lap = std::chrono::steady_clock::now();
    parallelFor(static_cast<std::size_t>(N), MinColumns, [&](std::size_t b, std::size_t e) {
        const Eigen::Index c0 = static_cast<Eigen::Index>(b);
        const Eigen::Index len = static_cast<Eigen::Index>(e - b);
        auto g = gates.middleCols(c0, len);
        g.noalias() = wIh.transpose() * x.middleCols(c0, len);
        g.colwise() += ws.bias.col(0);
    });
    ws.seconds.projections += lapSeconds(lap);
    // The recurrence: streams are independent, so each thread runs its own streams through
    // all T steps without synchronising.               gates_t: (4H, nb)
    parallelFor(static_cast<std::size_t>(B), 4, [&](std::size_t b0, std::size_t b1) {
        const Eigen::Index s0 = static_cast<Eigen::Index>(b0);
        const Eigen::Index nb = static_cast<Eigen::Index>(b1 - b0);
        for (int t = 0; t < T; ++t) {
            const Eigen::Index col = static_cast<Eigen::Index>(t) * B + s0;
            auto g = gates.middleCols(col, nb);
            if (t == 0)
                g.noalias() += wHh.transpose() * ws.h0.middleCols(s0, nb);
            else
                g.noalias() += wHh.transpose() * ws.h.middleCols(col - B, nb);
            auto a = g.array();
            a.topRows(2 * H) = (Scalar(1) + (-a.topRows(2 * H)).exp()).inverse();
            a.middleRows(2 * H, H) = a.middleRows(2 * H, H).tanh();
            a.bottomRows(H) = (Scalar(1) + (-a.bottomRows(H)).exp()).inverse();
            auto c = ws.c.middleCols(col, nb).array();
            if (t == 0)
                c = a.middleRows(H, H) * ws.c0.middleCols(s0, nb).array()
                    + a.topRows(H) * a.middleRows(2 * H, H);
            else
                c = a.middleRows(H, H) * ws.c.middleCols(col - B, nb).array()
                    + a.topRows(H) * a.middleRows(2 * H, H);
            auto tc = ws.tanhC.middleCols(col, nb).array();
            tc = c.tanh();
            ws.h.middleCols(col, nb).array() = a.bottomRows(H) * tc;
        }
    });
    ws.seconds.recurrence += lapSeconds(lap);
    stateH = ws.h.rightCols(B);
    stateC = ws.c.rightCols(B);
    return ws.h;
}

template <typename Scalar>
void LstmCell<Scalar>::backward(const std::vector<Mat> &w, const Mat &x, int T, int B,
    const Mat &dH, std::vector<Mat> &g, Mat *dX, Workspace &workspace) const
{
    auto &ws = static_cast<LstmWorkspace<Scalar> &>(workspace);
    const Mat &wIh = w[WeightIh], &wHh = w[WeightHh];
    const Eigen::Index H = wHh.rows();
    const Eigen::Index N = static_cast<Eigen::Index>(T) * B;
    const Mat &gates = ws.gates;
    ws.dGates.resize(4 * H, N);
    // Back through time, each thread with its own streams (as in forward).
    auto lap = std::chrono::steady_clock::now();
    parallelFor(static_cast<std::size_t>(B), 4, [&](std::size_t b0, std::size_t b1) {
        const Eigen::Index s0 = static_cast<Eigen::Index>(b0);
        const Eigen::Index nb = static_cast<Eigen::Index>(b1 - b0);
        Mat dhNext = Mat::Zero(H, nb), dcNext = Mat::Zero(H, nb);
        Eigen::Array<Scalar, Eigen::Dynamic, Eigen::Dynamic> dc(H, nb), dh(H, nb);
        for (int t = T - 1; t >= 0; --t) {
            const Eigen::Index c0 = static_cast<Eigen::Index>(t) * B + s0;
            auto gi = gates.middleRows(0, H).middleCols(c0, nb).array();
            auto gf = gates.middleRows(H, H).middleCols(c0, nb).array();
            auto gg = gates.middleRows(2 * H, H).middleCols(c0, nb).array();
            auto go = gates.middleRows(3 * H, H).middleCols(c0, nb).array();
            auto tc = ws.tanhC.middleCols(c0, nb).array();
            dh = dH.middleCols(c0, nb).array() + dhNext.array();
            // dc = dh * o * (1 - tanh(c)^2) + dc from step t+1
            dc = dh * go * (Scalar(1) - tc.square()) + dcNext.array();
            auto dG = ws.dGates.middleCols(c0, nb);
            dG.middleRows(0, H).array() = dc * gg * gi * (Scalar(1) - gi);
            if (t == 0)
                dG.middleRows(H, H).array()
                    = dc * ws.c0.middleCols(s0, nb).array() * gf * (Scalar(1) - gf);
            else
                dG.middleRows(H, H).array()
                    = dc * ws.c.middleCols(c0 - B, nb).array() * gf * (Scalar(1) - gf);
            dG.middleRows(2 * H, H).array() = dc * gi * (Scalar(1) - gg.square());
            dG.middleRows(3 * H, H).array() = dh * tc * go * (Scalar(1) - go);
            dcNext.array() = dc * gf;
            // dh_{t-1} = W_hh^T dG_t                      (H, 4H) x (4H, nb)
            if (t > 0)
                dhNext.noalias() = wHh * dG;
        }
    });
    ws.seconds.backThroughTime += lapSeconds(lap);
    // Weight gradients for the whole window, split over the 4H gate rows:
    //   dW_hh (H, 4H) += [h0, h_0..h_{T-2}] dG^T,  dW_ih (in, 4H) += x dG^T
    Mat &gWIh = g[WeightIh], &gWHh = g[WeightHh], &gBIh = g[BiasIh], &gBHh = g[BiasHh];
    parallelFor(static_cast<std::size_t>(4 * H), 16, [&](std::size_t b, std::size_t e) {
        const Eigen::Index j0 = static_cast<Eigen::Index>(b);
        const Eigen::Index len = static_cast<Eigen::Index>(e - b);
        auto dG = ws.dGates.middleRows(j0, len);
        gWHh.middleCols(j0, len).noalias() += ws.h0 * dG.leftCols(B).transpose();
        if (T > 1)
            gWHh.middleCols(j0, len).noalias()
                += ws.h.leftCols(N - B) * dG.rightCols(N - B).transpose();
        gWIh.middleCols(j0, len).noalias() += x * dG.transpose();
        const Mat db = dG.rowwise().sum();
        gBIh.middleRows(j0, len) += db;
        gBHh.middleRows(j0, len) += db;
    });
    ws.seconds.weightGradients += lapSeconds(lap);
    //   dx (in, N) = W_ih^T dG   (in, 4H) x (4H, N)
    if (dX) {
        dX->resize(wIh.rows(), N);
        parallelFor(static_cast<std::size_t>(N), MinColumns, [&](std::size_t b, std::size_t e) {
            const Eigen::Index c0 = static_cast<Eigen::Index>(b);
            const Eigen::Index len = static_cast<Eigen::Index>(e - b);
            dX->middleCols(c0, len).noalias() = wIh * ws.dGates.middleCols(c0, len);
        });
        ws.seconds.inputGradients += lapSeconds(lap);
    }
}

template class LstmCell<float>;
template class LstmCell<double>;

} // namespace embedlab
