#pragma once
// The LSTM cell: one layer of PyTorch's nn.LSTM, forward over a window and backward through it.
//
// Gate order (i, f, g, o), equations and tensors are nn.LSTM's. Tensors of layer k, PyTorch
// shape <-> storage (column-major, the same memory):
//   weight_ih_l{k}  [4H, in] <-> (in, 4H)    in = E for layer 0, H above
//   weight_hh_l{k}  [4H, H]  <-> (H, 4H)
//   bias_ih_l{k}    [4H]     <-> (4H, 1)
//   bias_hh_l{k}    [4H]     <-> (4H, 1)
// Step t, for B streams at once (x_t: (in, B), h, c: (H, B)):
//   gates = W_ih^T x_t + b_ih + b_hh + W_hh^T h_{t-1}    (4H, B), rows i, f, g, o
//   i, f, o = sigmoid(.), g = tanh(.);  c_t = f * c_{t-1} + i * g;  h_t = o * tanh(c_t)
#include "core/cell.h"

namespace embedlab {

template <typename Scalar> class LstmCell final : public RecurrentCell<Scalar>
{
public:
    using Mat = typename RecurrentCell<Scalar>::Mat;
    using Workspace = typename RecurrentCell<Scalar>::Workspace;

    // Positions in layout().
    enum Tensor { WeightIh, WeightHh, BiasIh, BiasHh };

    CellKind kind() const override { return CellKind::Lstm; }
    std::unique_ptr<Workspace> makeWorkspace() const override;
    int gateCount() const override { return 4; }
    std::string recurrentShapeHint() const override;

    std::vector<TensorSpec> layout(int layer, std::int64_t in, std::int64_t hidden) const override;
    // PyTorch's default: every tensor uniform(-1/sqrt(H), 1/sqrt(H)), in layout order.
    void initRandom(std::vector<Mat> &w, Rng &rng) const override;

    const Mat &forward(const std::vector<Mat> &w, const Mat &x, int T, int B, Mat &h, Mat &c,
        Workspace &ws) const override;
    void backward(const std::vector<Mat> &w, const Mat &x, int T, int B, const Mat &dH,
        std::vector<Mat> &g, Mat *dX, Workspace &ws) const override;
};

extern template class LstmCell<float>;
extern template class LstmCell<double>;

} // namespace embedlab
