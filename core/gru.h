#pragma once
// The GRU cell: one layer of PyTorch's nn.GRU, forward over a window and backward through it.
//
// Gate order (r, z, n), equations and tensors are nn.GRU's. Tensors of layer k, PyTorch
// shape <-> storage (column-major, the same memory):
//   weight_ih_l{k}  [3H, in] <-> (in, 3H)    in = E for layer 0, H above
//   weight_hh_l{k}  [3H, H]  <-> (H, 3H)
//   bias_ih_l{k}    [3H]     <-> (3H, 1)
//   bias_hh_l{k}    [3H]     <-> (3H, 1)
// Step t, for B streams at once (x_t: (in, B), h: (H, B)):
//   gx = W_ih^T x_t + b_ih,  gh = W_hh^T h_{t-1} + b_hh      (3H, B), rows r, z, n
//   r = sigmoid(gx_r + gh_r),  z = sigmoid(gx_z + gh_z)
//   n = tanh(gx_n + r * gh_n)         (b_hn inside the reset product, as PyTorch)
//   h_t = (1 - z) * n + z * h_{t-1}
// There is no cell memory: the carried c is left as it is.
#include "core/cell.h"

namespace embedlab {

template <typename Scalar> class GruCell final : public RecurrentCell<Scalar>
{
public:
    using Mat = typename RecurrentCell<Scalar>::Mat;
    using Workspace = typename RecurrentCell<Scalar>::Workspace;

    // Positions in layout().
    enum Tensor { WeightIh, WeightHh, BiasIh, BiasHh };

    CellKind kind() const override { return CellKind::Gru; }
    std::unique_ptr<Workspace> makeWorkspace() const override;
    int gateCount() const override { return 3; }
    std::string recurrentShapeHint() const override;

    std::vector<TensorSpec> layout(int layer, std::int64_t in, std::int64_t hidden) const override;
    // PyTorch's default: every tensor uniform(-1/sqrt(H), 1/sqrt(H)), in layout order.
    void initRandom(std::vector<Mat> &w, Rng &rng) const override;

    const Mat &forward(const std::vector<Mat> &w, const Mat &x, int T, int B, Mat &h, Mat &c,
        Workspace &ws) const override;
    void backward(const std::vector<Mat> &w, const Mat &x, int T, int B, const Mat &dH,
        std::vector<Mat> &g, Mat *dX, Workspace &ws) const override;
};

extern template class GruCell<float>;
extern template class GruCell<double>;

} // namespace embedlab
