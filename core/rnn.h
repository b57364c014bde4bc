#pragma once
// The plain RNN cell: one layer of PyTorch's nn.RNN with nonlinearity 'tanh' or 'relu'
// (word_language_model's RNN_TANH and RNN_RELU), forward over a window and backward through it.
//
// Tensors of layer k, PyTorch shape <-> storage (column-major, the same memory):
//   weight_ih_l{k}  [H, in] <-> (in, H)    in = E for layer 0, H above
//   weight_hh_l{k}  [H, H]  <-> (H, H)
//   bias_ih_l{k}    [H]     <-> (H, 1)
//   bias_hh_l{k}    [H]     <-> (H, 1)
// Step t, for B streams at once (x_t: (in, B), h: (H, B)):
//   h_t = act(W_ih^T x_t + b_ih + W_hh^T h_{t-1} + b_hh),  act = tanh or max(0, .)
// There is no cell memory: the carried c is left as it is.
#include "core/cell.h"

namespace embedlab {

enum class RnnActivation { Tanh, Relu };

template <typename Scalar> class RnnCell final : public RecurrentCell<Scalar>
{
public:
    using Mat = typename RecurrentCell<Scalar>::Mat;
    using Workspace = typename RecurrentCell<Scalar>::Workspace;

    // Positions in layout().
    enum Tensor { WeightIh, WeightHh, BiasIh, BiasHh };

    explicit RnnCell(RnnActivation activation)
        : m_activation(activation)
    { }

    CellKind kind() const override
    {
        return m_activation == RnnActivation::Tanh ? CellKind::RnnTanh : CellKind::RnnRelu;
    }
    std::unique_ptr<Workspace> makeWorkspace() const override;
    int gateCount() const override { return 1; }
    std::string recurrentShapeHint() const override;

    std::vector<TensorSpec> layout(int layer, std::int64_t in, std::int64_t hidden) const override;
    // PyTorch's default: every tensor uniform(-1/sqrt(H), 1/sqrt(H)), in layout order.
    void initRandom(std::vector<Mat> &w, Rng &rng) const override;

    const Mat &forward(const std::vector<Mat> &w, const Mat &x, int T, int B, Mat &h, Mat &c,
        Workspace &ws) const override;
    void backward(const std::vector<Mat> &w, const Mat &x, int T, int B, const Mat &dH,
        std::vector<Mat> &g, Mat *dX, Workspace &ws) const override;

private:
    RnnActivation m_activation;
};

extern template class RnnCell<float>;
extern template class RnnCell<double>;

} // namespace embedlab
