#pragma once
// The recurrent cell of the language model, as an interface: one layer's tensors (state_dict
// names and PyTorch shapes), their initialisation, and the layer's forward over a window and
// backward through it. A cell object holds no data: the model owns the tensors and each thread
// brings a workspace, so one instance serves every model and thread. The cells are the rows of
// one table (core/cell.cpp): core/lstm.h, core/gru.h and core/rnn.h (tanh and relu).
#include <Eigen/Core>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/random.h"

namespace embedlab {

enum class CellKind { Lstm, Gru, RnnTanh, RnnRelu };

// The name in configurations, checkpoints and on the command line ("lstm", "gru", "rnn_tanh",
// "rnn_relu"; upper-cased, word_language_model's rnn_type); nullptr for a value not in the table.
const char *cellName(CellKind kind);
bool parseCell(const std::string &name, CellKind &out);
// Every cell in table order, and their names joined by '|' ("lstm|gru|rnn_tanh|rnn_relu").
std::vector<CellKind> cellKinds();
std::string cellChoices();

// A tensor's state_dict name and PyTorch (row-major) shape.
struct TensorSpec
{
    std::string name;
    std::vector<std::int64_t> shape;
};

// One recurrent layer's maths; the model stacks `layers` of them.
// The wall-clock seconds of a layer's passes: forward, the input projections of the window and
// the recurrence; backward, back through time, the weight gradients, and the gradient at the
// input.
struct PassSeconds
{
    double projections = 0, recurrence = 0, backThroughTime = 0, weightGradients = 0,
           inputGradients = 0;
};

// How the threads of a team share a layer's recurrence. A wide layer is split over its hidden
// units, in groups of UnitGroup (the lanes of the vector kernels, so a unit's arithmetic is the
// same however many threads share the step): each member takes its units' rows of every gate
// through the steps for all the streams, and the team meets after each step, whose h the next
// reads whole. A narrower layer's step is too short to outlast that meeting, so its members
// split the streams instead and never meet.
constexpr Eigen::Index UnitGroup = 8;
constexpr Eigen::Index MinUnitsToSplit = 128;

inline Eigen::Index unitGroups(Eigen::Index hidden)
{
    return (hidden + UnitGroup - 1) / UnitGroup;
}

// Member m's share: units [u0, u0 + hm) of streams [s0, s0 + nb); meets: sync after each step.
struct StepSlice
{
    Eigen::Index u0 = 0, hm = 0, s0 = 0, nb = 0;
    bool meets = false;
};

// The largest useful team for a layer of `hidden` units over `streams` streams.
inline std::size_t recurrenceTeam(Eigen::Index hidden, Eigen::Index streams)
{
    return static_cast<std::size_t>(hidden >= MinUnitsToSplit ? unitGroups(hidden) : streams);
}

inline StepSlice stepSlice(
    Eigen::Index hidden, Eigen::Index streams, std::size_t m, std::size_t members)
{
    const auto share = [&](Eigen::Index n, std::size_t k) {
        return n * static_cast<Eigen::Index>(k) / static_cast<Eigen::Index>(members);
    };
    if (hidden < MinUnitsToSplit)
        return { 0, hidden, share(streams, m), share(streams, m + 1) - share(streams, m), false };
    const Eigen::Index groups = unitGroups(hidden);
    const Eigen::Index u0 = std::min(hidden, UnitGroup * share(groups, m));
    const Eigen::Index u1 = std::min(hidden, UnitGroup * share(groups, m + 1));
    return { u0, u1 - u0, 0, streams, members > 1 };
}

// Member sl's rows of W_hh^T (w: (H, gates H), a gate's rows side by side), gate by gate:
// (H, gates hm), packed once per window so each step's product reads them contiguously.
template <typename Mat> Mat packGateRows(const Mat &w, Eigen::Index gates, const StepSlice &sl)
{
    const Eigen::Index hidden = w.cols() / gates;
    Mat part(w.rows(), gates * sl.hm);
    for (Eigen::Index k = 0; k < gates; ++k)
        part.middleCols(k * sl.hm, sl.hm) = w.middleCols(k * hidden + sl.u0, sl.hm);
    return part;
}

// Seconds since t; t becomes now.
inline double lapSeconds(std::chrono::steady_clock::time_point &t)
{
    const auto now = std::chrono::steady_clock::now();
    const double s = std::chrono::duration<double>(now - t).count();
    t = now;
    return s;
}

template <typename Scalar> class RecurrentCell
{
public:
    using Mat = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;

    // One layer's activations of the last window on one thread, kept for backward and reused by
    // the next window, and the wall-clock seconds its passes took, summed over the windows.
    class Workspace
    {
    public:
        virtual ~Workspace() = default;
        PassSeconds seconds;
    };

    virtual ~RecurrentCell() = default;

    virtual CellKind kind() const = 0;
    virtual std::unique_ptr<Workspace> makeWorkspace() const = 0;

    // Rows of weight_hh_l0 per hidden unit (LSTM: 4 gates): a checkpoint's hidden size is its
    // second dimension and its first must be this multiple of it.
    virtual int gateCount() const = 0;
    // What a layer of this cell looks like, for the error about a file made with another cell.
    virtual std::string recurrentShapeHint() const = 0;

    // Layer `layer`'s tensors in state_dict order, named without the module prefix
    // ("weight_ih_l0"). The model stores each as a column-major matrix of the reversed shape, whose
    // memory is the PyTorch tensor's: [R, C] <-> (C, R), [R] <-> (R, 1).
    virtual std::vector<TensorSpec> layout(
        int layer, std::int64_t in, std::int64_t hidden) const = 0;
    // w: the layer's tensors in layout() order, shaped as the layout says.
    virtual void initRandom(std::vector<Mat> &w, Rng &rng) const = 0;

    // The layer over a window of T steps of B independent streams, N = T*B:
    //   x: (in, N), column t*B + b is step t of stream b
    //   h, c: (H, B) the carried state on entry (c: the cell memory, for cells that have one),
    //         the state after the window on return
    // Returns the output h for every step, (H, N), which lives in ws until its next forward.
    virtual const Mat &forward(const std::vector<Mat> &w, const Mat &x, int T, int B, Mat &h,
        Mat &c, Workspace &ws) const = 0;
    // Back through the window ws holds (no gradient flows into the carried state):
    //   dH: (H, N) d(loss)/d(output);  g: the gradients of w, added to;
    //   dX: (in, N) d(loss)/d(x), written unless null
    virtual void backward(const std::vector<Mat> &w, const Mat &x, int T, int B, const Mat &dH,
        std::vector<Mat> &g, Mat *dX, Workspace &ws) const = 0;
};

// PyTorch's default initialisation of a recurrent layer: every tensor of w uniform(-k, k),
// k = 1/sqrt(hidden), in order.
template <typename Mat> void initUniformHidden(std::vector<Mat> &w, Eigen::Index hidden, Rng &rng)
{
    const double k = 1.0 / std::sqrt(static_cast<double>(hidden));
    for (Mat &m : w)
        for (Eigen::Index i = 0; i < m.size(); ++i)
            m.data()[i] = static_cast<typename Mat::Scalar>(rng.uniform(-k, k));
}

// The cell of that kind; throws Error for a value not in the table.
template <typename Scalar> const RecurrentCell<Scalar> &recurrentCell(CellKind kind);

} // namespace embedlab
