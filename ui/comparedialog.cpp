#include "ui/comparedialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include "core/vectors/vectors.h"
#include "ui/filedialogs.h"
#include "ui/importvectorsdialog.h"

namespace embedlab {

namespace {

QString fileName(const std::string &path)
{
    return QFileInfo(QFile::decodeName(path.c_str())).fileName();
}

QString cellLabel(CellKind kind)
{
    switch (kind) {
    case CellKind::Lstm:
        return CompareDialog::tr("LSTM");
    case CellKind::Gru:
        return CompareDialog::tr("GRU");
    case CellKind::RnnTanh:
        return CompareDialog::tr("RNN (tanh)");
    case CellKind::RnnRelu:
        return CompareDialog::tr("RNN (ReLU)");
    }
    return {};
}

} // namespace

QString describeChange(const RunChange &change, const QString &formatLabel)
{
    switch (change.kind) {
    case RunChange::Kind::Initialisation:
        if (change.vectors.isEmpty())
            return CompareDialog::tr("random initialisation");
        return CompareDialog::tr("%1 initialisation (%2)")
            .arg(formatLabel.isEmpty() ? CompareDialog::tr("pre-trained") : formatLabel,
                QFileInfo(change.vectors).fileName());
    case RunChange::Kind::Frozen:
        return change.frozen ? CompareDialog::tr("frozen embedding")
                             : CompareDialog::tr("trainable embedding");
    case RunChange::Kind::EmbeddingSize:
        return CompareDialog::tr("embedding size %1").arg(change.embeddingDim);
    case RunChange::Kind::Cell:
        return CompareDialog::tr("%1 cell").arg(cellLabel(change.cell));
    }
    return {};
}

CompareDialog::CompareDialog(const RunSettings &base, QWidget *parent)
    : QDialog(parent)
    , m_base(base)
{
    setWindowTitle(tr("Compare with a Sibling Run"));
    const bool fromVectors = m_base.init == "vectors";
    const bool frozen = m_base.train.freezeEmbedding;
    const int dim = m_base.model.embeddingDim;

    auto *baseBox = new QGroupBox(tr("Base run"), this);
    auto *baseForm = new QFormLayout(baseBox);
    auto addRow = [&](const QString &label, const QString &value, const char *name) {
        auto *l = new QLabel(value, baseBox);
        l->setObjectName(QLatin1String(name));
        l->setTextInteractionFlags(Qt::TextSelectableByMouse);
        baseForm->addRow(label, l);
    };
    addRow(tr("Name:"), QString::fromStdString(m_base.name), "baseName");
    addRow(tr("Corpus:"),
        QString::fromStdString(
            m_base.corpus.name.empty() ? m_base.corpus.path : m_base.corpus.name),
        "baseCorpus");
    addRow(tr("Initialisation:"),
        fromVectors ? tr("pre-trained, from %1").arg(fileName(m_base.vectors)) : tr("random"),
        "baseInit");
    addRow(tr("Embedding size:"), QString::number(dim), "baseEmbeddingDim");
    addRow(tr("Embedding:"), frozen ? tr("frozen") : tr("trainable"), "baseFrozen");
    addRow(tr("Cell:"), cellLabel(m_base.model.cell), "baseCell");
    addRow(tr("Seed:"), QString::number(m_base.train.seed), "baseSeed");

    auto *changeBox = new QGroupBox(tr("The sibling differs in one setting"), this);
    auto *changeLayout = new QVBoxLayout(changeBox);
    m_init = new QRadioButton(fromVectors ? tr("&Random initialisation")
                                          : tr("&Pre-trained initialisation from word vectors"),
        changeBox);
    m_init->setObjectName(QStringLiteral("initChoice"));
    m_vectors = new QLineEdit(changeBox);
    m_vectors->setObjectName(QStringLiteral("vectorsPath"));
    m_vectors->setPlaceholderText(
        tr("GloVe, word2vec, fastText .vec, Projector TSV or .safetensors"));
    auto *browseButton = new QPushButton(tr("&Browse..."), changeBox);
    browseButton->setObjectName(QStringLiteral("browseVectors"));
    m_vectorsNote = new QLabel(changeBox);
    m_vectorsNote->setObjectName(QStringLiteral("vectorsNote"));
    m_vectorsNote->setWordWrap(true);
    // What a choice needs sits under it, indented.
    const int indent = 24;
    auto *vectorsRow = new QHBoxLayout;
    vectorsRow->addWidget(m_vectors, 1);
    vectorsRow->addWidget(browseButton);
    auto *vectorsBlock = new QVBoxLayout;
    vectorsBlock->setContentsMargins(indent, 0, 0, 0);
    vectorsBlock->addLayout(vectorsRow);
    vectorsBlock->addWidget(m_vectorsNote);

    m_frozen = new QRadioButton(
        frozen ? tr("&Trainable embedding") : tr("&Frozen embedding"), changeBox);
    m_frozen->setObjectName(QStringLiteral("frozenChoice"));
    m_size = new QRadioButton(tr("Another embedding &size:"), changeBox);
    m_size->setObjectName(QStringLiteral("sizeChoice"));
    m_dim = new QSpinBox(changeBox);
    m_dim->setObjectName(QStringLiteral("embeddingDim"));
    m_dim->setRange(1, 4096); // as the Training panel's
    m_dim->setValue(dim >= 32 ? dim / 2 : dim * 2);
    m_sizeNote = new QLabel(changeBox);
    m_sizeNote->setObjectName(QStringLiteral("sizeNote"));
    m_sizeNote->setWordWrap(true);
    auto *sizeRow = new QHBoxLayout;
    sizeRow->addWidget(m_size);
    sizeRow->addWidget(m_dim);
    sizeRow->addStretch(1);
    m_cellChoice = new QRadioButton(tr("Another &cell:"), changeBox);
    m_cellChoice->setObjectName(QStringLiteral("cellChoice"));
    m_cell = new QComboBox(changeBox);
    m_cell->setObjectName(QStringLiteral("cell"));
    for (CellKind kind : cellKinds())
        if (kind != m_base.model.cell)
            m_cell->addItem(cellLabel(kind), static_cast<int>(kind));
    auto *cellRow = new QHBoxLayout;
    cellRow->addWidget(m_cellChoice);
    cellRow->addWidget(m_cell);
    cellRow->addStretch(1);

    changeLayout->addWidget(m_init);
    if (!fromVectors) {
        changeLayout->addLayout(vectorsBlock);
    } else {
        // Random initialisation needs no file.
        delete vectorsBlock; // its widgets stay children of the box
        m_vectors->hide();
        browseButton->hide();
        m_vectorsNote->hide();
    }
    changeLayout->addWidget(m_frozen);
    changeLayout->addLayout(sizeRow);
    auto *sizeBlock = new QVBoxLayout;
    sizeBlock->setContentsMargins(indent, 0, 0, 0);
    sizeBlock->addWidget(m_sizeNote);
    changeLayout->addLayout(sizeBlock);
    changeLayout->addLayout(cellRow);

    // Choices the base rules out stay visible, disabled, with the reason.
    if (m_base.model.tied && !frozen) {
        m_frozen->setEnabled(false);
        m_frozen->setToolTip(tr("The base run ties the decoder to the embedding, which must then "
                                "learn: a tied embedding cannot be frozen"));
    }
    if (fromVectors) {
        m_size->setEnabled(false);
        m_dim->setEnabled(false);
        const QString why = tr("The embedding size of a run initialised from vectors is the "
                               "vectors' dimension (%1)")
                                .arg(dim);
        m_size->setToolTip(why);
        m_dim->setToolTip(why);
    }

    auto *same = new QLabel(tr("Everything else is the base run's: the corpus and its tokenizer, "
                               "the seed, the model and the training settings, and the sibling "
                               "trains as many windows as the base did."),
        this);
    same->setWordWrap(true);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Start Sibling"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(baseBox);
    layout->addWidget(changeBox);
    layout->addWidget(same);
    layout->addWidget(m_buttons);
    setMinimumWidth(480);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(browseButton, &QPushButton::clicked, this, &CompareDialog::browse);
    for (QRadioButton *r : { m_init, m_frozen, m_size, m_cellChoice })
        connect(r, &QRadioButton::toggled, this, &CompareDialog::updateState);
    connect(m_cell, &QComboBox::activated, this, [this] {
        m_cellChoice->setChecked(true);
        updateState();
    });
    connect(m_vectors, &QLineEdit::textChanged, this, [this] {
        if (!m_vectors->text().isEmpty())
            m_init->setChecked(true);
        updateState();
    });
    connect(m_dim, &QSpinBox::valueChanged, this, [this] {
        m_size->setChecked(m_size->isEnabled());
        updateState();
    });
    // Preselected: the first choice offered that needs nothing more.
    for (QRadioButton *r : { m_frozen, m_size, m_init })
        if (r->isEnabled()) {
            r->setChecked(true);
            break;
        }
    updateState();
}

QList<RunChange::Kind> CompareDialog::offered() const
{
    QList<RunChange::Kind> kinds;
    if (m_init->isEnabled())
        kinds << RunChange::Kind::Initialisation;
    if (m_frozen->isEnabled())
        kinds << RunChange::Kind::Frozen;
    if (m_size->isEnabled())
        kinds << RunChange::Kind::EmbeddingSize;
    if (m_cellChoice->isEnabled())
        kinds << RunChange::Kind::Cell;
    return kinds;
}

RunChange CompareDialog::change() const
{
    RunChange c;
    if (m_init->isChecked()) {
        c.kind = RunChange::Kind::Initialisation;
        if (m_base.init != "vectors")
            c.vectors = QFileInfo(m_vectors->text().trimmed()).absoluteFilePath();
    } else if (m_size->isChecked()) {
        c.kind = RunChange::Kind::EmbeddingSize;
        c.embeddingDim = m_dim->value();
    } else if (m_cellChoice->isChecked()) {
        c.kind = RunChange::Kind::Cell;
        c.cell = static_cast<CellKind>(m_cell->currentData().toInt());
    } else {
        c.kind = RunChange::Kind::Frozen;
        c.frozen = !m_base.train.freezeEmbedding;
    }
    return c;
}

void CompareDialog::choose(RunChange::Kind kind)
{
    QRadioButton *r = kind == RunChange::Kind::Initialisation ? m_init
        : kind == RunChange::Kind::Frozen                     ? m_frozen
        : kind == RunChange::Kind::Cell                       ? m_cellChoice
                                                              : m_size;
    if (r->isEnabled())
        r->setChecked(true);
}

void CompareDialog::setVectorsPath(const QString &path)
{
    m_vectors->setText(path);
}

void CompareDialog::setEmbeddingDim(int dim)
{
    m_dim->setValue(dim);
}

void CompareDialog::setCell(CellKind cell)
{
    const int i = m_cell->findData(static_cast<int>(cell));
    if (i >= 0) {
        m_cell->setCurrentIndex(i);
        m_cellChoice->setChecked(true);
    }
}

bool CompareDialog::isComplete() const
{
    if (m_init->isChecked())
        return m_base.init == "vectors" || QFileInfo(m_vectors->text().trimmed()).isFile();
    if (m_size->isChecked())
        return m_size->isEnabled() && m_dim->value() != m_base.model.embeddingDim;
    if (m_cellChoice->isChecked())
        return m_cell->count() > 0;
    return m_frozen->isChecked() && m_frozen->isEnabled();
}

void CompareDialog::browse()
{
    const QString typed = m_vectors->text().trimmed();
    const QString file
        = rememberDialogPath(QFileDialog::getOpenFileName(this, tr("Initialise from Word Vectors"),
            typed.isEmpty() ? lastDialogFolder() : QFileInfo(typed).absolutePath(),
            vectorImportFilters()));
    if (!file.isEmpty())
        m_vectors->setText(file);
}

QString CompareDialog::vectorsNote() const
{
    const int dim = m_base.model.embeddingDim;
    const QString follows = m_base.model.tied
        ? tr("The embedding size follows the vectors' dimension, and so does the hidden size, "
             "which is tied to it: vectors of another dimension than %1 change the model's size "
             "too.")
              .arg(dim)
        : tr("The embedding size follows the vectors' dimension: vectors of another dimension "
             "than %1 change the embedding size too.")
              .arg(dim);
    const QString path = m_vectors->text().trimmed();
    if (path.isEmpty())
        return follows;
    if (!QFileInfo(path).isFile())
        return tr("%1 is not a file.").arg(QDir::toNativeSeparators(path));
    try {
        // The first lines only; the whole file is read once the sibling starts.
        const MemoryEstimate e = estimateVectorMemory(QFile::encodeName(path).toStdString());
        if (e.dim <= 0)
            return follows;
        if (e.dim == dim)
            return tr("%1: %2 dimensions, the base's embedding size.")
                .arg(QFileInfo(path).fileName())
                .arg(e.dim);
        return tr("%1: %2 dimensions, so the sibling's embedding size becomes %2 (the base's is "
                  "%3)%4.")
            .arg(QFileInfo(path).fileName())
            .arg(e.dim)
            .arg(dim)
            .arg(m_base.model.tied ? tr(", and its hidden size too") : QString());
    } catch (const std::exception &e) {
        return QString::fromStdString(e.what());
    }
}

void CompareDialog::updateState()
{
    if (m_base.init != "vectors")
        m_vectorsNote->setText(vectorsNote());
    const int dim = m_base.model.embeddingDim;
    if (m_size->isEnabled()) {
        QString note = m_dim->value() == dim
            ? tr("%1 is the base's embedding size; choose another.").arg(dim)
            : QString();
        if (m_base.model.tied)
            note += (note.isEmpty() ? QString() : QStringLiteral(" "))
                + tr("The decoder is tied to the embedding, so the hidden size follows it.");
        m_sizeNote->setText(note);
        m_sizeNote->setVisible(!note.isEmpty());
    } else {
        m_sizeNote->setText(m_size->toolTip() + QLatin1Char('.'));
    }
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(isComplete());
}

} // namespace embedlab
