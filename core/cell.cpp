#include "core/cell.h"

#include "core/error.h"
#include "core/gru.h"
#include "core/lstm.h"
#include "core/rnn.h"

namespace embedlab {

namespace {

struct CellRow
{
    CellKind kind;
    const char *name;
};

// Every cell the model can be built with; a new cell adds its row here and its case below.
constexpr CellRow Cells[] = {
    { CellKind::Lstm, "lstm" },
    { CellKind::Gru, "gru" },
    { CellKind::RnnTanh, "rnn_tanh" },
    { CellKind::RnnRelu, "rnn_relu" },
};

} // namespace

const char *cellName(CellKind kind)
{
    for (const CellRow &row : Cells)
        if (row.kind == kind)
            return row.name;
    return nullptr;
}

bool parseCell(const std::string &name, CellKind &out)
{
    for (const CellRow &row : Cells)
        if (name == row.name) {
            out = row.kind;
            return true;
        }
    return false;
}

std::vector<CellKind> cellKinds()
{
    std::vector<CellKind> kinds;
    for (const CellRow &row : Cells)
        kinds.push_back(row.kind);
    return kinds;
}

std::string cellChoices()
{
    std::string s;
    for (const CellRow &row : Cells)
        s += (s.empty() ? "" : "|") + std::string(row.name);
    return s;
}

template <typename Scalar> const RecurrentCell<Scalar> &recurrentCell(CellKind kind)
{
    switch (kind) {
    case CellKind::Lstm: {
        static const LstmCell<Scalar> lstm;
        return lstm;
    }
    case CellKind::Gru: {
        static const GruCell<Scalar> gru;
        return gru;
    }
    case CellKind::RnnTanh: {
        static const RnnCell<Scalar> rnn(RnnActivation::Tanh);
        return rnn;
    }
    case CellKind::RnnRelu: {
        static const RnnCell<Scalar> rnn(RnnActivation::Relu);
        return rnn;
    }
    }
    throw Error("unknown recurrent cell " + std::to_string(static_cast<int>(kind)));
}

template const RecurrentCell<float> &recurrentCell<float>(CellKind);
template const RecurrentCell<double> &recurrentCell<double>(CellKind);

} // namespace embedlab
