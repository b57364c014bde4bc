#include "core/lstm.h"

#include <cmath>

#include "core/kernels.h"
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
    // The recurrence, its steps shared by a team as core/cell.h describes.   rec: (4 hm, nb)
    parallelTeam(
        recurrenceTeam(H, B), [&](std::size_t m, std::size_t members, const TeamSync &sync) {
            const StepSlice sl = stepSlice(H, B, m, members);
            const Eigen::Index u0 = sl.u0, hm = sl.hm, s0 = sl.s0, nb = sl.nb;
            const Mat wPart = packGateRows(wHh, 4, sl);
            Mat rec(4 * hm, nb);
            for (int t = 0; t < T; ++t) {
                const Eigen::Index col = static_cast<Eigen::Index>(t) * B + s0;
                if (t == 0)
                    rec.noalias() = wPart.transpose() * ws.h0.middleCols(s0, nb);
                else
                    rec.noalias() = wPart.transpose() * ws.h.middleCols(col - B, nb);
                const Eigen::Index g0 = col * 4 * H + u0, st = col * H + u0;
                kernels::LstmStep<Scalar> step {
                    { gates.data() + g0, gates.data() + g0 + H, gates.data() + g0 + 2 * H,
                        gates.data() + g0 + 3 * H },
                    { rec.data(), rec.data() + hm, rec.data() + 2 * hm, rec.data() + 3 * hm },
                    t == 0 ? ws.c0.data() + s0 * H + u0 : ws.c.data() + st - B * H,
                    ws.c.data() + st,
                    ws.tanhC.data() + st,
                    ws.h.data() + st,
                    static_cast<std::size_t>(4 * H),
                    static_cast<std::size_t>(4 * hm),
                    static_cast<std::size_t>(H),
                };
                kernels::lstmForward(step, static_cast<std::size_t>(hm), static_cast<int>(nb));
                if (sl.meets)
                    sync();
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
    // Back through time, shared as in forward: each member computes its units' rows of dG_t for
    // its streams, the team meets (when split by units), and each takes its rows of
    // dh_{t-1} = W_hh dG_t.
    auto lap = std::chrono::steady_clock::now();
    parallelTeam(
        recurrenceTeam(H, B), [&](std::size_t m, std::size_t members, const TeamSync &sync) {
            const StepSlice sl = stepSlice(H, B, m, members);
            const Eigen::Index u0 = sl.u0, hm = sl.hm, s0 = sl.s0, nb = sl.nb;
            Mat dhNext = Mat::Zero(hm, nb), dcNext = Mat::Zero(hm, nb);
            for (int t = T - 1; t >= 0; --t) {
                const Eigen::Index c0 = static_cast<Eigen::Index>(t) * B + s0;
                const Eigen::Index g0 = c0 * 4 * H + u0, st = c0 * H + u0;
                const Scalar *gate = gates.data() + g0;
                Scalar *dGate = ws.dGates.data() + g0;
                kernels::LstmStepBack<Scalar> step {
                    { gate, gate + H, gate + 2 * H, gate + 3 * H },
                    ws.tanhC.data() + st,
                    t == 0 ? ws.c0.data() + s0 * H + u0 : ws.c.data() + st - B * H,
                    dH.data() + st,
                    dhNext.data(),
                    dcNext.data(),
                    { dGate, dGate + H, dGate + 2 * H, dGate + 3 * H },
                    static_cast<std::size_t>(4 * H),
                    static_cast<std::size_t>(H),
                    static_cast<std::size_t>(hm),
                };
                kernels::lstmBackward(step, static_cast<std::size_t>(hm), static_cast<int>(nb));
                if (sl.meets)
                    sync();
                // dh_{t-1} = W_hh^T dG_t, this member's rows and streams   (hm, 4H) x (4H, nb)
                if (t > 0)
                    dhNext.noalias() = wHh.middleRows(u0, hm) * ws.dGates.middleCols(c0, nb);
            }
        });
    ws.seconds.backThroughTime += lapSeconds(lap);
    // Weight gradients for the whole window, split over the 4H gate rows:
    //   dW_hh (H, 4H) += [h0, h_0..h_{T-2}] dG^T,  dW_ih (in, 4H) += x dG^T
    Mat &gWIh = g[WeightIh], &gWHh = g[WeightHh], &gBIh = g[BiasIh], &gBHh = g[BiasHh];
    parallelForAligned(static_cast<std::size_t>(4 * H), 16, 16, [&](std::size_t b, std::size_t e) {
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
