#include "core/gru.h"

#include <cmath>

#include "core/kernels.h"
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
    // The recurrence, its steps shared by a team as core/cell.h describes.   rec: (3 hm, nb)
    parallelTeam(
        recurrenceTeam(H, B), [&](std::size_t m, std::size_t members, const TeamSync &sync) {
            const StepSlice sl = stepSlice(H, B, m, members);
            const Eigen::Index u0 = sl.u0, hm = sl.hm, s0 = sl.s0, nb = sl.nb;
            const Mat wPart = packGateRows(wHh, 3, sl);
            Mat rec(3 * hm, nb);
            for (int t = 0; t < T; ++t) {
                const Eigen::Index col = static_cast<Eigen::Index>(t) * B + s0;
                const Scalar *hPrev = t == 0 ? ws.h0.data() + s0 * H : ws.h.data() + (col - B) * H;
                if (t == 0)
                    rec.noalias() = wPart.transpose() * ws.h0.middleCols(s0, nb);
                else
                    rec.noalias() = wPart.transpose() * ws.h.middleCols(col - B, nb);
                const Eigen::Index g0 = col * 3 * H + u0, st = col * H + u0;
                Scalar *gate = gates.data() + g0;
                kernels::GruStep<Scalar> step {
                    { gate, gate + H, gate + 2 * H },
                    { rec.data(), rec.data() + hm, rec.data() + 2 * hm },
                    { bHh.data() + u0, bHh.data() + H + u0, bHh.data() + 2 * H + u0 },
                    hPrev + u0,
                    ws.hn.data() + st,
                    ws.h.data() + st,
                    static_cast<std::size_t>(3 * H),
                    static_cast<std::size_t>(3 * hm),
                    static_cast<std::size_t>(H),
                };
                kernels::gruForward(step, static_cast<std::size_t>(hm), static_cast<int>(nb));
                if (sl.meets)
                    sync();
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
    // Back through time, shared as in forward.
    auto lap = std::chrono::steady_clock::now();
    parallelTeam(
        recurrenceTeam(H, B), [&](std::size_t m, std::size_t members, const TeamSync &sync) {
            const StepSlice sl = stepSlice(H, B, m, members);
            const Eigen::Index u0 = sl.u0, hm = sl.hm, s0 = sl.s0, nb = sl.nb;
            Mat dhNext = Mat::Zero(hm, nb), dh(hm, nb);
            for (int t = T - 1; t >= 0; --t) {
                const Eigen::Index c0 = static_cast<Eigen::Index>(t) * B + s0;
                const Scalar *hPrev = t == 0 ? ws.h0.data() + s0 * H : ws.h.data() + (c0 - B) * H;
                const Eigen::Index g0 = c0 * 3 * H + u0, st = c0 * H + u0;
                const Scalar *gate = gates.data() + g0;
                Scalar *dGx = ws.dGx.data() + g0, *dGh = ws.dGh.data() + g0;
                kernels::GruStepBack<Scalar> step {
                    { gate, gate + H, gate + 2 * H },
                    ws.hn.data() + st,
                    hPrev + u0,
                    dH.data() + st,
                    dhNext.data(),
                    dh.data(),
                    { dGx, dGx + H, dGx + 2 * H },
                    { dGh, dGh + H, dGh + 2 * H },
                    static_cast<std::size_t>(3 * H),
                    static_cast<std::size_t>(H),
                    static_cast<std::size_t>(hm),
                };
                kernels::gruBackward(step, static_cast<std::size_t>(hm), static_cast<int>(nb));
                if (sl.meets)
                    sync();
                // dh_{t-1} = W_hh dGh_t + z dh, this member's rows and streams   (hm, 3H) x (3H,
                // nb)
                if (t > 0) {
                    dhNext.noalias() = wHh.middleRows(u0, hm) * ws.dGh.middleCols(c0, nb);
                    dhNext.array() += gates.block(H + u0, c0, hm, nb).array() * dh.array();
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
