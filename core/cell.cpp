#include "core/cell.h"

#include "core/error.h"
#include "core/lstm.h"

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

template <typename Scalar> const RecurrentCell<Scalar> &recurrentCell(CellKind kind)
{
    switch (kind) {
    case CellKind::Lstm: {
        static const LstmCell<Scalar> lstm;
        return lstm;
    }
    }
    throw Error("unknown recurrent cell " + std::to_string(static_cast<int>(kind)));
}

template const RecurrentCell<float> &recurrentCell<float>(CellKind);
template const RecurrentCell<double> &recurrentCell<double>(CellKind);

} // namespace embedlab
