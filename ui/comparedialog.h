#pragma once
// Compare: the user picks the one setting a sibling of a recorded run changes (the
// initialisation, whether the embedding trains, its size, or the recurrent cell); the window
// then trains the sibling
// on the same corpus with the same seed and every other setting of the base run.
#include <QDialog>
#include <QList>
#include <QString>

#include "core/cell.h"
#include "core/runlog.h"

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QRadioButton;
class QSpinBox;

namespace embedlab {

// What a sibling changes.
struct RunChange
{
    enum class Kind {
        Initialisation, // random instead of pre-trained vectors, or the other way round
        Frozen, // the embedding frozen instead of trainable, or the other way round
        EmbeddingSize,
        Cell, // another recurrent cell (LSTM, GRU, RNN with tanh or ReLU)
    };
    Kind kind = Kind::Frozen;
    QString vectors; // Initialisation: the file to start from; empty: random
    bool frozen = false; // Frozen: the sibling's embedding is frozen
    int embeddingDim = 0; // EmbeddingSize: the sibling's
    CellKind cell = CellKind::Lstm; // Cell: the sibling's
};

// The change for the user and the run's "difference": "frozen embedding", "trainable embedding",
// "random initialisation", "embedding size 64", "GRU cell",
// "GloVe text initialisation (glove.6B.100d.txt)".
// formatLabel: the vectors' format as the dialogs call it, once read (empty: "pre-trained").
QString describeChange(const RunChange &change, const QString &formatLabel = QString());

class CompareDialog : public QDialog
{
    Q_OBJECT
public:
    explicit CompareDialog(const RunSettings &base, QWidget *parent = nullptr);

    // The choices the dialog offers (those that would leave the base's value are not).
    QList<RunChange::Kind> offered() const;
    // The change picked; valid once OK is enabled.
    RunChange change() const;
    void choose(RunChange::Kind kind);
    void setVectorsPath(const QString &path);
    void setEmbeddingDim(int dim);
    void setCell(CellKind cell);
    // OK may be pressed: a choice with what it needs (an existing file, another size).
    bool isComplete() const;

private:
    void browse();
    void updateState();
    QString vectorsNote() const;

    RunSettings m_base;
    QRadioButton *m_init, *m_frozen, *m_size, *m_cellChoice;
    QComboBox *m_cell;
    QLineEdit *m_vectors;
    QSpinBox *m_dim;
    QLabel *m_vectorsNote, *m_sizeNote;
    QDialogButtonBox *m_buttons;
};

} // namespace embedlab
