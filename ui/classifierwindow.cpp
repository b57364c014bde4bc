#include "ui/classifierwindow.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QCloseEvent>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QTableWidget>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

#include "core/classifiercheckpoint.h"
#include "core/corpus.h"
#include "core/fileio.h"
#include "core/pretrained.h"
#include "ui/embeddingmap.h"
#include "ui/filedialogs.h"
#include "ui/importvectorsdialog.h"

namespace embedlab {

std::vector<ClassFigures> classFigures(const std::vector<std::vector<std::int64_t>> &confusion)
{
    const std::size_t C = confusion.size();
    std::vector<ClassFigures> out(C);
    for (std::size_t c = 0; c < C; ++c) {
        std::int64_t predicted = 0, actual = 0;
        for (std::size_t k = 0; k < C; ++k) {
            predicted += confusion[k][c];
            actual += confusion[c][k];
        }
        const auto tp = static_cast<double>(confusion[c][c]);
        ClassFigures &f = out[c];
        f.support = actual;
        f.precision = predicted > 0 ? tp / static_cast<double>(predicted) : 0;
        f.recall = actual > 0 ? tp / static_cast<double>(actual) : 0;
        f.f1 = f.precision + f.recall > 0 ? 2 * f.precision * f.recall / (f.precision + f.recall)
                                          : 0;
    }
    return out;
}

namespace {

const char *SampleResource = ":/sample/austen-or-shakespeare.tsv";

QSpinBox *spin(int lo, int hi, int value, QWidget *parent, const char *name)
{
    auto *s = new QSpinBox(parent);
    s->setRange(lo, hi);
    s->setValue(value);
    s->setAccelerated(true);
    s->setObjectName(QLatin1String(name));
    return s;
}

QDoubleSpinBox *dspin(double lo, double hi, double value, int decimals, double step,
    QWidget *parent, const char *name)
{
    auto *s = new QDoubleSpinBox(parent);
    s->setRange(lo, hi);
    s->setDecimals(decimals);
    s->setSingleStep(step);
    s->setValue(value);
    s->setObjectName(QLatin1String(name));
    return s;
}

QComboBox *combo(QWidget *parent, const char *name)
{
    auto *c = new QComboBox(parent);
    c->setObjectName(QLatin1String(name));
    return c;
}

QString percent(double share)
{
    return std::isfinite(share) ? QStringLiteral("%1%").arg(100 * share, 0, 'f', 1)
                                : QStringLiteral("–");
}

// A line format's first example decides between fastText and tab-separated; CSV is told by
// the file name, as a user would.
bool looksLikeCsv(const QString &path)
{
    return path.endsWith(QLatin1String(".csv"), Qt::CaseInsensitive);
}

} // namespace

struct ClassifierWindow::CorpusRequest
{
    QString path; // "" for bytes
    QString name;
    QByteArray bytes;
    LabelledOptions options;
};

ClassifierWindow::ClassifierWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_controller(new ClassifierController(this))
    , m_pullTask(std::make_unique<LatestTask>(this))
{
    setObjectName(QStringLiteral("classifierWindow"));
    setAttribute(Qt::WA_DeleteOnClose, false);
    createChart();

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("classifierTabs"));
    m_tabs->addTab(m_chart, tr("Loss and accuracy"));
    m_tabs->addTab(createMapTab(), tr("Map"));

    auto *right = new QSplitter(Qt::Vertical, this);
    right->addWidget(createResults());
    right->addWidget(createPredict());
    right->setStretchFactor(0, 3);
    right->setStretchFactor(1, 2);

    auto *scroll = new QScrollArea(this);
    scroll->setWidget(createSettings());
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setMinimumWidth(
        scroll->widget()->sizeHint().width() + scroll->verticalScrollBar()->sizeHint().width());

    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(scroll);
    split->addWidget(m_tabs);
    split->addWidget(right);
    split->setStretchFactor(0, 0);
    split->setStretchFactor(1, 3);
    split->setStretchFactor(2, 2);
    split->setChildrenCollapsible(false);
    split->setSizes({ scroll->minimumWidth(), 660, 400 });
    setCentralWidget(split);

    createActions();

    m_statusLabel = new QLabel(this);
    m_statusLabel->setObjectName(QStringLiteral("statusMessage"));
    m_progress = new QProgressBar(this);
    m_progress->setMaximumWidth(220);
    m_progress->setVisible(false);
    statusBar()->addWidget(m_statusLabel, 1);
    statusBar()->addPermanentWidget(m_progress);

    connect(m_controller, &ClassifierController::progressAvailable, this,
        &ClassifierWindow::onProgress);
    connect(m_controller, &ClassifierController::epochFinished, this, &ClassifierWindow::onEpoch);
    connect(m_controller, &ClassifierController::modelAvailable, this,
        [this](std::shared_ptr<const TextClassifier<float>> model) { showModel(model, true); });
    connect(m_controller, &ClassifierController::finished, this, &ClassifierWindow::onFinished);
    connect(m_controller, &ClassifierController::failed, this, [this](const QString &message) {
        m_progress->setVisible(false);
        updateActions();
        showError(tr("Training failed"), message);
        emit trainingFailed(message);
    });
    connect(m_controller, &ClassifierController::pausedChanged, this, [this](bool paused) {
        m_statusLabel->setText(paused ? tr("Paused.") : tr("Training..."));
        updateActions();
    });

    resize(1400, 860);
    updateActions();
    updateTitle();
    m_statusLabel->setText(tr("Open a labelled corpus (File > Open Labelled Corpus) or the "
                              "sample to begin."));
}

ClassifierWindow::~ClassifierWindow() = default;

void ClassifierWindow::createChart()
{
    m_chart = new QCustomPlot(this);
    m_chart->setObjectName(QStringLiteral("classifierChart"));
    m_chart->setMinimumSize(360, 240);
    m_chart->xAxis->setLabel(tr("Epoch"));
    m_chart->yAxis->setLabel(tr("Loss (cross-entropy)"));
    m_chart->yAxis2->setVisible(true);
    m_chart->yAxis2->setLabel(tr("Accuracy"));
    m_chart->yAxis2->setRange(0, 1);
    QSharedPointer<QCPAxisTickerFixed> ticker(new QCPAxisTickerFixed);
    ticker->setTickStep(1);
    ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    m_chart->xAxis->setTicker(ticker);
    QSharedPointer<QCPAxisTickerText> accTicker(new QCPAxisTickerText);
    for (int p = 0; p <= 100; p += 20)
        accTicker->addTick(p / 100.0, QStringLiteral("%1%").arg(p));
    m_chart->yAxis2->setTicker(accTicker);

    const auto graph = [this](QCPAxis *y, const QColor &colour, Qt::PenStyle style, double width,
                           const QString &name, bool markers) {
        QCPGraph *g = m_chart->addGraph(m_chart->xAxis, y);
        QPen pen(colour, width, style);
        g->setPen(pen);
        g->setName(name);
        if (markers)
            g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, colour, colour, 6));
        return g;
    };
    m_batchLoss = graph(
        m_chart->yAxis, QColor(0x29, 0x80, 0xb9, 70), Qt::SolidLine, 1, tr("Batch loss"), false);
    m_trainLoss = graph(
        m_chart->yAxis, QColor(0x29, 0x80, 0xb9), Qt::SolidLine, 2, tr("Training loss"), true);
    m_validLoss = graph(
        m_chart->yAxis, QColor(0xd3, 0x54, 0x00), Qt::SolidLine, 2, tr("Validation loss"), true);
    m_trainAccuracy = graph(
        m_chart->yAxis2, QColor(0x29, 0x80, 0xb9), Qt::DashLine, 2, tr("Training accuracy"), true);
    m_validAccuracy = graph(m_chart->yAxis2, QColor(0xd3, 0x54, 0x00), Qt::DashLine, 2,
        tr("Validation accuracy"), true);
    // The legend under the plot, three to a row, so it never covers a curve (the wrap first:
    // setting the fill order lays out the items already in the legend).
    m_chart->legend->setVisible(true);
    m_chart->legend->setWrap(3);
    m_chart->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    m_chart->legend->setBorderPen(Qt::NoPen);
    m_chart->plotLayout()->addElement(1, 0, m_chart->legend);
    m_chart->plotLayout()->setRowStretchFactor(1, 0.001);
    clearChart();
}

void ClassifierWindow::clearChart()
{
    for (QCPGraph *g : { m_batchLoss, m_trainLoss, m_validLoss, m_trainAccuracy, m_validAccuracy })
        g->data()->clear();
    m_chart->xAxis->setRange(0, 3.15);
    m_chart->yAxis->setRange(0, 1);
    m_chart->replot(QCustomPlot::rpQueuedReplot);
}

QWidget *ClassifierWindow::createSettings()
{
    auto *panel = new QWidget(this);
    auto *layout = new QVBoxLayout(panel);

    auto *dataBox = new QGroupBox(tr("Labelled corpus"), panel);
    auto *dataForm = new QFormLayout(dataBox);
    m_corpusLabel = new QLabel(tr("(none)"), dataBox);
    m_corpusLabel->setObjectName(QStringLiteral("corpusName"));
    m_corpusLabel->setWordWrap(true);
    m_corpusLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *browse = new QPushButton(tr("Open..."), dataBox);
    browse->setObjectName(QStringLiteral("openCorpusButton"));
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString path
            = QFileDialog::getOpenFileName(this, tr("Open Labelled Corpus"), dialogFolder(),
                tr("Labelled text (*.tsv *.txt *.csv *.ft *.train *.valid);;All files (*)"));
        if (!path.isEmpty())
            openCorpus(path);
    });
    dataForm->addRow(m_corpusLabel);
    dataForm->addRow(browse);
    m_format = combo(dataBox, "format");
    m_format->addItem(tr("Detect (tab or fastText)"), QStringLiteral("auto"));
    m_format->addItem(tr("label<TAB>text"), QStringLiteral("tab"));
    m_format->addItem(tr("fastText (__label__name text)"), QStringLiteral("fasttext"));
    m_format->addItem(tr("CSV with a header"), QStringLiteral("csv"));
    m_format->setToolTip(tr("How the file holds its examples: one a line as label, a tab and "
                            "the text; fastText's __label__ prefixes; or CSV whose header names "
                            "the columns"));
    dataForm->addRow(tr("Format:"), m_format);
    m_labelColumn = combo(dataBox, "labelColumn");
    m_textColumn = combo(dataBox, "textColumn");
    m_labelColumn->setToolTip(tr("CSV: the column that holds each example's label"));
    m_textColumn->setToolTip(tr("CSV: the column that holds each example's text"));
    dataForm->addRow(tr("Label column:"), m_labelColumn);
    dataForm->addRow(tr("Text column:"), m_textColumn);
    m_validShare = dspin(0, 90, 10, 1, 5, dataBox, "validShare");
    m_validShare->setSuffix(QStringLiteral(" %"));
    m_validShare->setToolTip(tr("The last examples of the file, held out to measure the model"));
    dataForm->addRow(tr("Validation:"), m_validShare);
    m_summary = new QLabel(dataBox);
    m_summary->setObjectName(QStringLiteral("corpusSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::PlainText);
    dataForm->addRow(m_summary);

    auto *textBox = new QGroupBox(tr("Text"), panel);
    auto *textForm = new QFormLayout(textBox);
    m_tokenizerMode = combo(textBox, "tokenizer");
    m_tokenizerMode->addItem(tr("Words"), QStringLiteral("word"));
    m_tokenizerMode->addItem(tr("Characters"), QStringLiteral("char"));
    m_lowercase = new QCheckBox(tr("Lowercase"), textBox);
    m_lowercase->setObjectName(QStringLiteral("lowercase"));
    m_lowercase->setChecked(true);
    m_maxVocab = spin(0, 10000000, 10000, textBox, "maxVocab");
    m_maxVocab->setSpecialValueText(tr("unlimited"));
    m_maxVocab->setSingleStep(1000);
    m_maxVocab->setToolTip(tr("The most frequent words kept, the three special tokens included; "
                              "the rest read as <unk>"));
    m_minCount = spin(1, 1000000, 1, textBox, "minCount");
    textForm->addRow(tr("Tokens:"), m_tokenizerMode);
    textForm->addRow(QString(), m_lowercase);
    textForm->addRow(tr("Vocabulary:"), m_maxVocab);
    textForm->addRow(tr("Min count:"), m_minCount);

    auto *modelBox = new QGroupBox(tr("Model"), panel);
    auto *modelForm = new QFormLayout(modelBox);
    m_cell = combo(modelBox, "cell");
    for (CellKind kind : cellKinds()) {
        const QString label = kind == CellKind::Lstm ? tr("LSTM")
            : kind == CellKind::Gru                  ? tr("GRU")
            : kind == CellKind::RnnTanh              ? tr("RNN (tanh)")
                                                     : tr("RNN (ReLU)");
        m_cell->addItem(label, QString::fromLatin1(cellName(kind)));
    }
    m_pooling = combo(modelBox, "pooling");
    m_pooling->addItem(tr("Last real token"), QStringLiteral("last"));
    m_pooling->addItem(tr("Mean over the text"), QStringLiteral("mean"));
    m_pooling->addItem(tr("Maximum over the text"), QStringLiteral("max"));
    m_pooling->setToolTip(tr("What the head reads: the hidden state at the last real token, or "
                             "the mean or maximum of the outputs over the real tokens (pads are "
                             "masked)"));
    m_embeddingDim = spin(1, 4096, 64, modelBox, "embeddingDim");
    m_hidden = spin(1, 4096, 64, modelBox, "hidden");
    m_layers = spin(1, 8, 1, modelBox, "layers");
    m_vectorsLabel = new QLabel(tr("random"), modelBox);
    m_vectorsLabel->setObjectName(QStringLiteral("vectorsLabel"));
    m_vectorsLabel->setWordWrap(true);
    m_vectorsLabel->setTextFormat(Qt::PlainText);
    m_vectorsButton = new QPushButton(tr("Pre-trained Vectors..."), modelBox);
    m_vectorsButton->setObjectName(QStringLiteral("vectorsButton"));
    m_vectorsButton->setToolTip(tr("Start the embedding from GloVe, word2vec or fastText vectors "
                                   "(Keras' weights=[matrix])"));
    m_clearVectorsButton = new QPushButton(tr("Random"), modelBox);
    m_clearVectorsButton->setObjectName(QStringLiteral("clearVectorsButton"));
    m_clearVectorsButton->setToolTip(tr("Start the embedding from random rows instead"));
    connect(m_vectorsButton, &QPushButton::clicked, this, [this] { chooseVectors(); });
    connect(m_clearVectorsButton, &QPushButton::clicked, this, &ClassifierWindow::clearVectors);
    auto *vectorsButtons = new QHBoxLayout;
    vectorsButtons->addWidget(m_vectorsButton);
    vectorsButtons->addWidget(m_clearVectorsButton);
    vectorsButtons->addStretch(1);
    m_freeze = new QCheckBox(tr("Frozen (trainable=False)"), modelBox);
    m_freeze->setObjectName(QStringLiteral("freezeEmbedding"));
    m_freeze->setToolTip(tr("The embedding keeps its weights while the rest trains; it can be "
                            "changed between runs"));
    modelForm->addRow(tr("Cell:"), m_cell);
    modelForm->addRow(tr("Read out:"), m_pooling);
    modelForm->addRow(tr("Embedding dim:"), m_embeddingDim);
    modelForm->addRow(tr("Embedding:"), m_vectorsLabel);
    modelForm->addRow(QString(), vectorsButtons);
    modelForm->addRow(QString(), m_freeze);
    modelForm->addRow(tr("Hidden size:"), m_hidden);
    modelForm->addRow(tr("Layers:"), m_layers);

    auto *padBox = new QGroupBox(tr("Padding"), panel);
    auto *padForm = new QFormLayout(padBox);
    m_maxLength = spin(0, 100000, 60, padBox, "maxLength");
    m_maxLength->setSpecialValueText(tr("longest text"));
    m_maxLength->setSuffix(tr(" tokens"));
    m_maxLength->setToolTip(tr("Every text is padded with <pad> (id 0) or cut to this length, "
                               "as Keras' pad_sequences does; pads are masked"));
    m_padding = combo(padBox, "padding");
    m_truncating = combo(padBox, "truncating");
    for (QComboBox *box : { m_padding, m_truncating }) {
        box->addItem(tr("before (pre)"), QStringLiteral("pre"));
        box->addItem(tr("after (post)"), QStringLiteral("post"));
    }
    m_padding->setToolTip(tr("Where the pads go in a short text"));
    m_truncating->setToolTip(tr("Where a long text is cut: pre keeps its end, post its start"));
    padForm->addRow(tr("Length:"), m_maxLength);
    padForm->addRow(tr("Pad:"), m_padding);
    padForm->addRow(tr("Cut:"), m_truncating);

    auto *trainBox = new QGroupBox(tr("Training"), panel);
    auto *trainForm = new QFormLayout(trainBox);
    m_optimizer = combo(trainBox, "optimizer");
    m_optimizer->addItem(tr("Adam"), QStringLiteral("adam"));
    m_optimizer->addItem(tr("SGD"), QStringLiteral("sgd"));
    m_lr = dspin(1e-6, 1e6, 0.002, 6, 0.001, trainBox, "lr");
    m_clip = dspin(0, 1000, 0, 3, 0.25, trainBox, "clip");
    m_clip->setSpecialValueText(tr("off"));
    m_batch = spin(1, 4096, 32, trainBox, "batch");
    m_epochs = spin(1, 10000, 3, trainBox, "epochs");
    m_seed = spin(0, 1 << 30, 1, trainBox, "seed");
    m_seed->setToolTip(tr("Seeds the initial weights and the order of the batches"));
    trainForm->addRow(tr("Optimizer:"), m_optimizer);
    trainForm->addRow(tr("Learning rate:"), m_lr);
    trainForm->addRow(tr("Gradient clip:"), m_clip);
    trainForm->addRow(tr("Batch size:"), m_batch);
    trainForm->addRow(tr("Epochs:"), m_epochs);
    trainForm->addRow(tr("Seed:"), m_seed);

    m_startButton
        = new QPushButton(style()->standardIcon(QStyle::SP_MediaPlay), tr("&Start"), panel);
    m_startButton->setObjectName(QStringLiteral("startButton"));
    m_pauseButton
        = new QPushButton(style()->standardIcon(QStyle::SP_MediaPause), tr("&Pause"), panel);
    m_pauseButton->setObjectName(QStringLiteral("pauseButton"));
    m_stopButton = new QPushButton(style()->standardIcon(QStyle::SP_MediaStop), tr("St&op"), panel);
    m_stopButton->setObjectName(QStringLiteral("stopButton"));
    m_newButton = new QPushButton(tr("&New Model"), panel);
    m_newButton->setObjectName(QStringLiteral("newModelButton"));
    m_newButton->setToolTip(tr("Discard the model, so the text and shape settings apply again"));
    connect(m_startButton, &QPushButton::clicked, this, &ClassifierWindow::startTraining);
    connect(m_pauseButton, &QPushButton::clicked, this, [this] {
        if (m_controller->isPaused())
            resumeTraining();
        else
            pauseTraining();
    });
    connect(m_stopButton, &QPushButton::clicked, this, &ClassifierWindow::stopTraining);
    connect(m_newButton, &QPushButton::clicked, this, &ClassifierWindow::newModel);
    auto *buttons = new QGridLayout;
    buttons->addWidget(m_startButton, 0, 0);
    buttons->addWidget(m_pauseButton, 0, 1);
    buttons->addWidget(m_stopButton, 1, 0);
    buttons->addWidget(m_newButton, 1, 1);

    layout->addWidget(dataBox);
    layout->addWidget(textBox);
    layout->addWidget(modelBox);
    layout->addWidget(padBox);
    layout->addWidget(trainBox);
    layout->addLayout(buttons);
    layout->addStretch(1);

    m_modelOwned = { m_tokenizerMode, m_lowercase, m_maxVocab, m_minCount, m_cell, m_pooling,
        m_embeddingDim, m_hidden, m_layers, m_maxLength, m_padding, m_truncating, m_vectorsButton,
        m_clearVectorsButton };
    for (QWidget *w : std::as_const(m_modelOwned))
        w->setProperty("freeToolTip", w->toolTip());

    // A setting the corpus is read with reads it again.
    const auto reload = [this] { reloadCorpus(); };
    connect(m_format, qOverload<int>(&QComboBox::activated), this, reload);
    connect(m_labelColumn, qOverload<int>(&QComboBox::activated), this, reload);
    connect(m_textColumn, qOverload<int>(&QComboBox::activated), this, reload);
    connect(m_tokenizerMode, qOverload<int>(&QComboBox::activated), this, reload);
    connect(m_lowercase, &QCheckBox::toggled, this, reload);
    connect(m_maxVocab, &QSpinBox::editingFinished, this, reload);
    connect(m_minCount, &QSpinBox::editingFinished, this, reload);
    connect(m_validShare, &QDoubleSpinBox::editingFinished, this, reload);
    return panel;
}

QWidget *ClassifierWindow::createResults()
{
    auto *box = new QGroupBox(tr("Validation results"), this);
    auto *layout = new QVBoxLayout(box);
    m_resultsCaption
        = new QLabel(tr("Train a model to see how it does on the held-out examples."), box);
    m_resultsCaption->setObjectName(QStringLiteral("resultsCaption"));
    m_resultsCaption->setWordWrap(true);
    m_confusion = new QTableWidget(box);
    m_confusion->setObjectName(QStringLiteral("confusionMatrix"));
    m_confusion->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_confusion->setToolTip(tr("Rows: the true label; columns: the label predicted. The shade is "
                               "the share of the row."));
    m_confusion->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_confusion->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
    m_confusion->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Maximum);
    m_figures = new QTableWidget(box);
    m_figures->setObjectName(QStringLiteral("classFigures"));
    m_figures->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_figures->setColumnCount(4);
    m_figures->setHorizontalHeaderLabels(
        { tr("Precision"), tr("Recall"), tr("F1"), tr("Support") });
    m_figures->horizontalHeaderItem(3)->setToolTip(tr("The number of examples of the class"));
    m_figures->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_figures->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_figures->horizontalHeader()->setStretchLastSection(true);
    m_figures->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
    m_figures->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Maximum);
    auto *confusionTitle = new QLabel(tr("Confusion matrix (true label by row, predicted by "
                                         "column)"),
        box);
    confusionTitle->setWordWrap(true);
    layout->addWidget(m_resultsCaption);
    layout->addWidget(confusionTitle);
    layout->addWidget(m_confusion);
    layout->addWidget(new QLabel(tr("Per class"), box));
    layout->addWidget(m_figures);
    layout->addStretch(1);
    box->setMinimumWidth(340);
    return box;
}

QWidget *ClassifierWindow::createPredict()
{
    auto *box = new QGroupBox(tr("Try a text"), this);
    auto *layout = new QVBoxLayout(box);
    m_predictText = new QPlainTextEdit(box);
    m_predictText->setObjectName(QStringLiteral("predictText"));
    m_predictText->setPlaceholderText(tr("Type or paste a text; the model's prediction follows."));
    m_predictText->setMaximumHeight(110);
    m_predicted = new QLabel(box);
    m_predicted->setObjectName(QStringLiteral("predictedLabel"));
    m_predicted->setWordWrap(true);
    QFont bold = m_predicted->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.15);
    m_predicted->setFont(bold);
    m_unknown = new QLabel(box);
    m_unknown->setObjectName(QStringLiteral("unknownWords"));
    m_unknown->setWordWrap(true);
    m_predictions = new QTableWidget(box);
    m_predictions->setObjectName(QStringLiteral("predictions"));
    m_predictions->setColumnCount(2);
    m_predictions->setHorizontalHeaderLabels({ tr("Label"), tr("Probability") });
    m_predictions->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_predictions->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_predictions->verticalHeader()->setVisible(false);
    m_predictions->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_predictions->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
    m_predictions->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Maximum);
    layout->addWidget(m_predictText);
    layout->addWidget(m_predicted);
    layout->addWidget(m_predictions);
    layout->addWidget(m_unknown);
    layout->addStretch(1);
    m_predictTimer = new QTimer(this);
    m_predictTimer->setSingleShot(true);
    m_predictTimer->setInterval(120);
    connect(m_predictTimer, &QTimer::timeout, this, &ClassifierWindow::updatePrediction);
    connect(
        m_predictText, &QPlainTextEdit::textChanged, m_predictTimer, qOverload<>(&QTimer::start));
    return box;
}

QWidget *ClassifierWindow::createMapTab()
{
    auto *tab = new QWidget(this);
    auto *layout = new QVBoxLayout(tab);
    layout->setContentsMargins(4, 4, 4, 4);
    auto *row = new QHBoxLayout;
    m_legend = new QLabel(tab);
    m_legend->setObjectName(QStringLiteral("classLegend"));
    m_legend->setWordWrap(true);
    m_legend->setTextFormat(Qt::RichText);
    m_pullThreshold = dspin(0, 1, 0.1, 2, 0.05, tab, "pullThreshold");
    m_pullThreshold->setToolTip(
        tr("A word is coloured by the class whose probability it raises most when read alone "
           "(against the empty text), if it raises it by at least this much; otherwise grey"));
    auto *thresholdLabel = new QLabel(tr("Colour a word from a pull of"), tab);
    row->addWidget(m_legend, 1);
    row->addWidget(thresholdLabel);
    row->addWidget(m_pullThreshold);
    m_map = new EmbeddingMap(tab);
    m_map->setObjectName(QStringLiteral("classifierMap"));
    layout->addLayout(row);
    layout->addWidget(m_map, 1);
    connect(m_pullThreshold, qOverload<double>(&QDoubleSpinBox::valueChanged), this, [this] {
        if (!m_pull.cls.empty())
            recolourMap();
    });
    return tab;
}

void ClassifierWindow::createActions()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    m_openAct = file->addAction(style()->standardIcon(QStyle::SP_DialogOpenButton),
        tr("&Open Labelled Corpus..."), this, [this] {
            const QString path
                = QFileDialog::getOpenFileName(this, tr("Open Labelled Corpus"), dialogFolder(),
                    tr("Labelled text (*.tsv *.txt *.csv *.ft *.train *.valid);;All files (*)"));
            if (!path.isEmpty())
                openCorpus(path);
        });
    m_openAct->setShortcut(QKeySequence::Open);
    m_sampleAct = file->addAction(
        tr("Open S&ample: Austen or Shakespeare?"), this, &ClassifierWindow::openSampleCorpus);
    file->addSeparator();
    m_openModelAct = file->addAction(tr("Open &Classifier..."), this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open Classifier"),
            dialogFolder(), tr("Classifier (*.safetensors);;All files (*)"));
        if (!path.isEmpty())
            openModel(path);
    });
    m_openModelAct->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    const auto saveAs = [this] {
        const QString suggested
            = QDir(dialogFolder())
                  .filePath(m_modelPath.isEmpty() ? suggestedModelName()
                                                  : QFileInfo(m_modelPath).fileName());
        QString path = QFileDialog::getSaveFileName(
            this, tr("Save Classifier"), suggested, tr("Classifier (*.safetensors)"));
        if (path.isEmpty())
            return false;
        if (!path.endsWith(QLatin1String(".safetensors")))
            path += QLatin1String(".safetensors");
        return saveModel(path);
    };
    m_saveAct = file->addAction(style()->standardIcon(QStyle::SP_DialogSaveButton),
        tr("&Save Classifier"), this, [this, saveAs] {
            if (m_modelPath.isEmpty())
                saveAs();
            else
                saveModel(m_modelPath);
        });
    m_saveAct->setShortcut(QKeySequence::Save);
    m_saveAsAct = file->addAction(tr("Save Classifier &As..."), this, saveAs);
    m_saveAsAct->setShortcut(QKeySequence::SaveAs);
    file->addSeparator();
    file->addAction(tr("&Close"), this, &QWidget::close)->setShortcut(QKeySequence::Close);

    QMenu *train = menuBar()->addMenu(tr("&Training"));
    m_startAct = train->addAction(style()->standardIcon(QStyle::SP_MediaPlay), tr("&Start"), this,
        &ClassifierWindow::startTraining);
    m_startAct->setShortcut(Qt::Key_F5);
    m_pauseAct = train->addAction(
        style()->standardIcon(QStyle::SP_MediaPause), tr("&Pause"), this, [this] {
            if (m_controller->isPaused())
                resumeTraining();
            else
                pauseTraining();
        });
    m_pauseAct->setShortcut(Qt::Key_F6);
    m_stopAct = train->addAction(style()->standardIcon(QStyle::SP_MediaStop), tr("St&op"), this,
        &ClassifierWindow::stopTraining);
    m_stopAct->setShortcut(Qt::SHIFT | Qt::Key_F5);
    train->addSeparator();
    m_newAct = train->addAction(tr("&New Model"), this, &ClassifierWindow::newModel);

    auto *bar = addToolBar(tr("Main Toolbar"));
    bar->setObjectName(QStringLiteral("classifierToolBar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->addAction(m_openAct);
    bar->addAction(m_saveAct);
    bar->addSeparator();
    bar->addAction(m_startAct);
    bar->addAction(m_pauseAct);
    bar->addAction(m_stopAct);
}

QString ClassifierWindow::dialogFolder() const
{
    return lastDialogFolder();
}

QString ClassifierWindow::suggestedModelName() const
{
    // From the labelled corpus ("spam.tsv" -> "spam_classifier.safetensors").
    const QString stem = fileNameStem(m_corpusName, QString());
    return (stem.isEmpty() ? QString() : stem + QLatin1Char('_'))
        + QStringLiteral("classifier.safetensors");
}

void ClassifierWindow::showError(const QString &title, const QString &message)
{
    m_statusLabel->setText(message);
    if (QApplication::platformName() == QLatin1String("offscreen"))
        return; // tests read the status and the signals
    QMessageBox::warning(this, title, message);
}

ClassifierWindow::CorpusRequest ClassifierWindow::currentRequest() const
{
    CorpusRequest r;
    r.path = m_corpusPath;
    r.name = m_corpusName;
    r.bytes = m_corpusBytes;
    LabelledOptions &o = r.options;
    const QString format = m_format->currentData().toString();
    o.format = format == QLatin1String("tab") ? LabelledFormat::Tab
        : format == QLatin1String("fasttext") ? LabelledFormat::FastText
        : format == QLatin1String("csv")      ? LabelledFormat::Csv
                                              : LabelledFormat::Auto;
    o.labelColumn = m_labelColumn->currentText().toStdString();
    o.textColumn = m_textColumn->currentText().toStdString();
    o.validFraction = m_validShare->value() / 100.0;
    if (m_model) {
        o.tokenizer = m_tokenizer;
        o.fixedVocab = m_vocab;
        o.fixedLabels = m_labels;
    } else {
        o.tokenizer.mode = m_tokenizerMode->currentData().toString() == QLatin1String("char")
            ? TokenizerMode::Char
            : TokenizerMode::Word;
        o.tokenizer.lowercase = m_lowercase->isChecked();
        o.maxVocab = static_cast<std::size_t>(m_maxVocab->value());
        o.minCount = static_cast<std::uint64_t>(m_minCount->value());
    }
    return r;
}

void ClassifierWindow::fillColumns(const QStringList &columns)
{
    const auto pick = [&columns](QComboBox *box, const QStringList &preferred, int fallback) {
        const QString was = box->currentText();
        box->clear();
        box->addItems(columns);
        int at = columns.indexOf(was);
        for (const QString &name : preferred)
            if (at < 0)
                at = static_cast<int>(columns.indexOf(name));
        if (at < 0)
            at = std::clamp(fallback, 0, static_cast<int>(columns.size()) - 1);
        box->setCurrentIndex(at);
    };
    pick(m_labelColumn,
        { QStringLiteral("label"), QStringLiteral("class"), QStringLiteral("category"),
            QStringLiteral("sentiment"), QStringLiteral("target") },
        0);
    pick(m_textColumn,
        { QStringLiteral("text"), QStringLiteral("sentence"), QStringLiteral("review"),
            QStringLiteral("message"), QStringLiteral("body") },
        static_cast<int>(columns.size()) - 1);
}

void ClassifierWindow::openCorpus(const QString &path)
{
    if (path.isEmpty())
        return;
    rememberDialogPath(path);
    CorpusRequest r = currentRequest();
    r.path = path;
    r.name = QFileInfo(path).fileName();
    r.bytes.clear();
    if (looksLikeCsv(path))
        r.options.format = LabelledFormat::Csv;
    else if (r.options.format == LabelledFormat::Csv && !looksLikeCsv(m_corpusPath))
        r.options.format = LabelledFormat::Auto;
    if (r.options.format == LabelledFormat::Csv) {
        // The header first, so the columns can be picked (and guessed now).
        try {
            const std::string text = readTextFile(path.toStdString());
            QStringList columns;
            for (const std::string &c : readCsvHeader(text, path.toStdString()))
                columns << QString::fromStdString(c);
            m_format->setCurrentIndex(m_format->findData(QStringLiteral("csv")));
            fillColumns(columns);
            r.options.labelColumn = m_labelColumn->currentText().toStdString();
            r.options.textColumn = m_textColumn->currentText().toStdString();
        } catch (const std::exception &e) {
            const QString message = QString::fromStdString(e.what());
            showError(tr("Could not open the corpus"), message);
            emit corpusFailed(message);
            return;
        }
    }
    loadCorpus(r);
}

void ClassifierWindow::openSampleCorpus()
{
    QFile f(QString::fromLatin1(SampleResource));
    if (!f.open(QIODevice::ReadOnly)) {
        showError(tr("Could not open the sample corpus"), f.errorString());
        return;
    }
    CorpusRequest r = currentRequest();
    r.path.clear();
    r.name = tr("Austen or Shakespeare? (sample)");
    r.bytes = f.readAll();
    if (r.options.format == LabelledFormat::Csv)
        r.options.format = LabelledFormat::Auto;
    m_format->setCurrentIndex(m_format->findData(QStringLiteral("auto")));
    loadCorpus(r);
}

void ClassifierWindow::reloadCorpus()
{
    if (m_corpusPath.isEmpty() && m_corpusBytes.isEmpty())
        return;
    const bool csv = m_format->currentData().toString() == QLatin1String("csv");
    if (csv && m_labelColumn->count() == 0 && !m_corpusPath.isEmpty()) {
        openCorpus(m_corpusPath); // the header gives the columns
        return;
    }
    loadCorpus(currentRequest());
}

void ClassifierWindow::loadCorpus(const CorpusRequest &request)
{
    const quint64 generation = ++m_corpusGeneration;
    m_statusLabel->setText(tr("Reading %1...").arg(request.name));
    m_labelColumn->setEnabled(request.options.format == LabelledFormat::Csv);
    m_textColumn->setEnabled(request.options.format == LabelledFormat::Csv);
    runInBackground<LabelledCorpus>(
        this,
        [request]() {
            if (request.path.isEmpty())
                return buildLabelledCorpus(std::string_view(request.bytes.constData(),
                                               static_cast<std::size_t>(request.bytes.size())),
                    request.options, request.name.toStdString());
            return loadLabelledCorpus(request.path.toStdString(), request.options);
        },
        [this, request, generation](std::shared_ptr<LabelledCorpus> corpus, QString error) {
            if (generation != m_corpusGeneration)
                return; // a newer request replaced this one
            if (!corpus) {
                // The corpus shown stays; the settings go back to what it was read with.
                showError(tr("Could not open the corpus"), error);
                emit corpusFailed(error);
                return;
            }
            if (!m_model && corpus->labels.size() < 2) {
                const QString message
                    = tr("%1: every example has the label '%2'; a classifier "
                         "needs at least two.")
                          .arg(request.name, QString::fromStdString(corpus->labels.front()));
                showError(tr("Could not open the corpus"), message);
                emit corpusFailed(message);
                return;
            }
            m_corpus = std::move(corpus);
            m_corpusPath = request.path;
            m_corpusName = request.name;
            m_corpusBytes = request.bytes;
            m_corpusTokenizer = request.options.tokenizer;
            if (!m_model) {
                m_labels = m_corpus->labels;
                m_map->clear();
                m_mapNeedsTable = true;
            }
            m_statusLabel->setText(m_model
                    ? tr("Read %1 with the model's vocabulary.").arg(request.name)
                    : tr("Read %1. Start trains a new model with these settings.")
                          .arg(request.name));
            showCorpusSummary();
            showVectorsChoice();
            updateTitle();
            updateActions();
            if (m_model)
                evaluateShown();
            emit corpusLoaded();
        });
}

void ClassifierWindow::showCorpusSummary()
{
    if (!m_corpus) {
        m_summary->clear();
        return;
    }
    const LabelledCorpus &c = *m_corpus;
    std::vector<std::int64_t> perLabel(c.labels.size(), 0);
    for (const auto &e : c.train)
        ++perLabel[static_cast<std::size_t>(e.label)];
    for (const auto &e : c.valid)
        ++perLabel[static_cast<std::size_t>(e.label)];
    QStringList counts;
    for (std::size_t k = 0; k < c.labels.size(); ++k)
        counts << QStringLiteral("%1 %2")
                      .arg(QString::fromStdString(c.labels[k]))
                      .arg(QLocale().toString(static_cast<qlonglong>(perLabel[k])));
    const double unkShare = c.trainTokens > 0
        ? static_cast<double>(c.trainUnk) / static_cast<double>(c.trainTokens)
        : 0;
    QString text = tr("%1 training and %2 validation examples; %n classes: %3.", "",
        static_cast<int>(c.labels.size()))
                       .arg(QLocale().toString(static_cast<qlonglong>(c.train.size())),
                           QLocale().toString(static_cast<qlonglong>(c.valid.size())),
                           counts.join(QStringLiteral(", ")));
    text += QLatin1Char(' ')
        + tr("Vocabulary %1 words; %2 of the training tokens read as <unk>.")
              .arg(QLocale().toString(c.vocab.size()), percent(unkShare));
    if (m_model)
        text += QLatin1Char(' ') + tr("Read with the model's vocabulary.");
    m_summary->setText(text);
    m_corpusLabel->setText(m_corpusName);
    m_corpusLabel->setToolTip(m_corpusPath);
}

void ClassifierWindow::chooseVectors(const QString &path)
{
    if (m_model || m_controller->isRunning())
        return;
    std::shared_ptr<const Vocabulary> vocab;
    if (m_corpus)
        vocab = std::shared_ptr<const Vocabulary>(m_corpus, &m_corpus->vocab);
    ImportVectorsDialog dialog(vocab, m_embeddingDim->value(), this);
    dialog.setInitialiseOnly(tr("random, like the layer's default (normal 0, 1)"));
    if (!path.isEmpty()) {
        dialog.setPath(path);
        dialog.startImport();
    }
    if (dialog.exec() != QDialog::Accepted || !dialog.vectors())
        return;
    const auto vectors = dialog.vectors();
    if (vectors->dim() != m_embeddingDim->value()) {
        if (!dialog.adoptDimension()) {
            showError(tr("Dimensions differ"),
                tr("The vectors have %1 dimensions but the model's embedding has %2. "
                   "Change the embedding size or let the model adopt the file's dimension.")
                    .arg(vectors->dim())
                    .arg(m_embeddingDim->value()));
            return;
        }
        m_embeddingDim->setValue(vectors->dim());
    }
    m_initVectors = vectors;
    m_initVectorsPath = dialog.path();
    m_uncovered = dialog.uncoveredInit();
    m_freeze->setChecked(dialog.frozen());
    showVectorsChoice();
    updateActions();
}

void ClassifierWindow::clearVectors()
{
    m_initVectors.reset();
    m_initVectorsPath.clear();
    m_uncovered = UncoveredInit::Random;
    m_freeze->setChecked(false);
    showVectorsChoice();
    updateActions();
}

void ClassifierWindow::showVectorsChoice()
{
    if (!m_initVectors) {
        m_vectorsLabel->setText(tr("random"));
        m_vectorsLabel->setToolTip(QString());
        return;
    }
    const QString name = QFileInfo(m_initVectorsPath).fileName();
    const QString words = QLocale().toString(static_cast<qulonglong>(m_initVectors->size()));
    const QString dim = QString::number(m_initVectors->dim());
    if (m_corpus) {
        const Coverage c = computeCoverage(m_corpus->vocab, *m_initVectors);
        m_vectorsLabel->setText(
            tr("%1 (%2 words, %3 dimensions) covers %4 of the vocabulary "
               "and %5 of the training tokens")
                .arg(name, words, dim, percent(c.wordShare()), percent(c.tokenShare())));
    } else {
        m_vectorsLabel->setText(tr("%1 (%2 words, %3 dimensions)").arg(name, words, dim));
    }
    m_vectorsLabel->setToolTip(m_initVectorsPath);
}

ClassifierConfig ClassifierWindow::configFromSettings() const
{
    ClassifierConfig c;
    parseCell(m_cell->currentData().toString().toStdString(), c.cell);
    parsePooling(m_pooling->currentData().toString().toStdString(), c.pooling);
    c.embeddingDim = m_embeddingDim->value();
    c.hiddenSize = m_hidden->value();
    c.layers = m_layers->value();
    if (m_corpus) {
        c.vocabSize = m_corpus->vocab.size();
        c.classes = static_cast<int>(m_corpus->labels.size());
    }
    return c;
}

ClassifierTrainConfig ClassifierWindow::trainConfigFromSettings() const
{
    ClassifierTrainConfig t;
    t.batch = m_batch->value();
    t.epochs = m_epochs->value();
    t.optimizer = m_optimizer->currentData().toString() == QLatin1String("sgd")
        ? OptimizerKind::Sgd
        : OptimizerKind::Adam;
    t.lr = m_lr->value();
    t.clip = m_clip->value();
    t.freezeEmbedding = m_freeze->isChecked();
    // A new run of the same model gets a new order of batches.
    t.seed = static_cast<std::uint64_t>(m_seed->value()) + static_cast<std::uint64_t>(m_epochsDone);
    if (m_model && m_pad.maxLength > 0) {
        t.pad = m_pad;
    } else {
        t.pad.maxLength = m_maxLength->value();
        t.pad.padding = m_padding->currentData().toString() == QLatin1String("post") ? PadSide::Post
                                                                                     : PadSide::Pre;
        t.pad.truncating = m_truncating->currentData().toString() == QLatin1String("post")
            ? PadSide::Post
            : PadSide::Pre;
    }
    return t;
}

void ClassifierWindow::startTraining()
{
    if (m_controller->isRunning())
        return;
    if (!m_corpus) {
        showError(tr("Nothing to train on"),
            tr("Open a labelled corpus first (File > Open Labelled Corpus, or the sample)."));
        return;
    }
    if (m_corpus->train.empty()) {
        showError(tr("Nothing to train on"), tr("%1 has no training examples.").arg(m_corpusName));
        return;
    }
    if (!m_model) {
        try {
            ClassifierConfig config = configFromSettings();
            config.validate();
            auto model = std::make_shared<TextClassifier<float>>(config);
            model->initRandom(static_cast<std::uint64_t>(m_seed->value()));
            if (m_initVectors) {
                const Coverage c
                    = initEmbedding(*model, m_corpus->vocab, *m_initVectors, m_uncovered);
                statusBar()->showMessage(
                    tr("Embedding initialised from %1: %2 of %3 words covered")
                        .arg(QFileInfo(m_initVectorsPath).fileName(),
                            QLocale().toString(static_cast<qulonglong>(c.coveredWords)),
                            QLocale().toString(static_cast<qulonglong>(c.words))),
                    8000);
            }
            m_model = std::move(model);
        } catch (const std::exception &e) {
            showError(tr("Cannot train"), QString::fromStdString(e.what()));
            return;
        }
        m_vocab = std::make_shared<const Vocabulary>(m_corpus->vocab);
        m_labels = m_corpus->labels;
        m_tokenizer = m_corpusTokenizer;
        m_pad = PadOptions {};
        m_modelPath.clear();
        m_epochsDone = 0;
        m_stepsDone = 0;
        m_mapNeedsTable = true;
        clearChart();
        m_shown = std::make_shared<const TextClassifier<float>>(*m_model);
        showModel(m_shown, false);
    }
    ClassifierTrainConfig config = trainConfigFromSettings();
    try {
        config.validate();
    } catch (const std::exception &e) {
        showError(tr("Cannot train"), QString::fromStdString(e.what()));
        return;
    }
    m_dirty = true;
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_progress->setVisible(true);
    m_statusLabel->setText(tr("Training..."));
    m_controller->start(m_corpus, m_model, config);
    updateActions();
    updateTitle();
}

void ClassifierWindow::pauseTraining()
{
    m_controller->pause();
}

void ClassifierWindow::resumeTraining()
{
    m_controller->resume();
}

void ClassifierWindow::stopTraining()
{
    m_controller->stop();
}

void ClassifierWindow::onProgress(
    const QVector<ClassifierBatchPoint> &points, const ClassifierProgress &p)
{
    for (const ClassifierBatchPoint &b : points)
        m_batchLoss->addData(m_epochsDone + b.epoch, b.loss);
    if (p.maxLength > 0)
        m_runMaxLength = p.maxLength;
    if (p.batches > 0) {
        const double done = (p.epoch - 1 + static_cast<double>(p.batch) / p.batches) / p.epochs;
        m_progress->setValue(static_cast<int>(1000 * done));
        m_statusLabel->setText(tr("Epoch %1 of %2 · batch %3 of %4 · %5 examples/s")
                                   .arg(p.epoch)
                                   .arg(p.epochs)
                                   .arg(p.batch)
                                   .arg(p.batches)
                                   .arg(QLocale().toString(p.examplesPerSecond, 'f', 0)));
    }
    if (!points.isEmpty()) {
        bool found = false;
        const QCPRange keys = m_batchLoss->data()->keyRange(found);
        const QCPRange values = m_batchLoss->data()->valueRange(found);
        if (found) {
            // A margin on the right, so the last epoch's markers are not cut in half.
            const double right = std::max(keys.upper, m_epochsDone + 1.0);
            m_chart->xAxis->setRange(0, right + 0.05 * right);
            m_chart->yAxis->setRange(0, std::max(values.upper * 1.05, 0.1));
        }
        m_chart->replot(QCustomPlot::rpQueuedReplot);
    }
}

void ClassifierWindow::onEpoch(const ClassifierEpochSnapshot &e)
{
    const double x = m_epochsDone + e.epoch;
    m_trainLoss->addData(x, e.trainLoss);
    m_trainAccuracy->addData(x, e.trainAccuracy);
    if (std::isfinite(e.valid.loss)) {
        m_validLoss->addData(x, e.valid.loss);
        m_validAccuracy->addData(x, e.valid.accuracy);
    }
    m_chart->replot(QCustomPlot::rpQueuedReplot);
    showEvaluation(e.valid);
    m_resultsCaption->setText(
        tr("After epoch %1: validation accuracy %2, loss %3; training accuracy %4.")
            .arg(x)
            .arg(percent(e.valid.accuracy), QString::number(e.valid.loss, 'f', 4),
                percent(e.trainAccuracy)));
    showModel(e.model, true);
}

void ClassifierWindow::onFinished(const ClassifierRunSummary &summary)
{
    const ClassifierTrainResult &r = summary.result;
    m_epochsDone += r.epochsCompleted;
    m_stepsDone += r.steps;
    if (m_pad.maxLength == 0 && summary.maxLength > 0) {
        m_pad = trainConfigFromSettings().pad;
        m_pad.maxLength = summary.maxLength;
    }
    m_progress->setVisible(false);
    m_shown = summary.model;
    showModel(m_shown, true);
    updateActions();
    updateTitle();
    if (r.diverged) {
        // The weights are back to the start of the epoch that blew up; the chart keeps its
        // batches so the user sees where.
        showError(tr("Training diverged"), QString::fromStdString(r.message));
    } else if (r.stopped) {
        m_statusLabel->setText(tr("Stopped after %n epoch(s) of this run.", "", r.epochsCompleted));
    } else {
        m_statusLabel->setText(
            tr("Done: %n epoch(s) in %1 s; validation accuracy %2.", "", r.epochsCompleted)
                .arg(r.seconds, 0, 'f', 1)
                .arg(percent(r.valid.accuracy)));
    }
    emit trainingFinished();
}

void ClassifierWindow::showEvaluation(const ClassifierEvaluation &e)
{
    const int C = static_cast<int>(m_labels.size());
    QStringList names;
    for (const auto &l : m_labels)
        names << QString::fromStdString(l);
    m_confusion->clear();
    m_confusion->setRowCount(C);
    m_confusion->setColumnCount(C);
    m_confusion->setHorizontalHeaderLabels(names);
    m_confusion->setVerticalHeaderLabels(names);
    m_figures->setRowCount(0);
    if (e.confusion.size() != static_cast<std::size_t>(C))
        return;
    const QColor hl = palette().color(QPalette::Highlight);
    for (int t = 0; t < C; ++t) {
        std::int64_t row = 0;
        for (int p = 0; p < C; ++p)
            row += e.confusion[t][p];
        for (int p = 0; p < C; ++p) {
            const std::int64_t n = e.confusion[t][p];
            auto *item = new QTableWidgetItem(QLocale().toString(static_cast<qlonglong>(n)));
            item->setTextAlignment(Qt::AlignCenter);
            const double share = row > 0 ? static_cast<double>(n) / static_cast<double>(row) : 0;
            QColor shade = hl;
            shade.setAlphaF(0.08 + 0.6 * share);
            item->setBackground(shade);
            item->setToolTip(tr("%1 of the %2 examples labelled %3 were predicted %4")
                                 .arg(percent(share))
                                 .arg(row)
                                 .arg(names[t], names[p]));
            m_confusion->setItem(t, p, item);
        }
    }
    const std::vector<ClassFigures> figures = classFigures(e.confusion);
    m_figures->setRowCount(C + 2);
    QStringList rows = names;
    rows << tr("Macro average") << tr("Accuracy");
    m_figures->setVerticalHeaderLabels(rows);
    double mp = 0, mr = 0, mf = 0;
    std::int64_t total = 0;
    const auto set = [this](int r, int c, const QString &text) {
        auto *item = new QTableWidgetItem(text);
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_figures->setItem(r, c, item);
    };
    for (int c = 0; c < C; ++c) {
        const ClassFigures &f = figures[static_cast<std::size_t>(c)];
        set(c, 0, QString::number(f.precision, 'f', 3));
        set(c, 1, QString::number(f.recall, 'f', 3));
        set(c, 2, QString::number(f.f1, 'f', 3));
        set(c, 3, QLocale().toString(static_cast<qlonglong>(f.support)));
        mp += f.precision / C;
        mr += f.recall / C;
        mf += f.f1 / C;
        total += f.support;
    }
    set(C, 0, QString::number(mp, 'f', 3));
    set(C, 1, QString::number(mr, 'f', 3));
    set(C, 2, QString::number(mf, 'f', 3));
    set(C, 3, QLocale().toString(static_cast<qlonglong>(total)));
    set(C + 1, 2, QString::number(e.accuracy, 'f', 3));
    set(C + 1, 3, QLocale().toString(static_cast<qlonglong>(total)));
}

void ClassifierWindow::evaluateShown()
{
    if (!m_shown || !m_corpus || m_corpus->valid.empty() || m_controller->isRunning())
        return;
    auto model = m_shown;
    auto corpus = m_corpus;
    const PadOptions pad = m_pad;
    runInBackground<ClassifierEvaluation>(
        this, [model, corpus, pad] { return evaluateClassifier(*model, corpus->valid, pad); },
        [this, model](std::shared_ptr<ClassifierEvaluation> e, QString error) {
            if (!e || model != m_shown) {
                if (!error.isEmpty())
                    m_statusLabel->setText(error);
                return;
            }
            showEvaluation(*e);
            m_resultsCaption->setText(
                tr("This model on the %1 held-out examples: accuracy %2, "
                   "loss %3.")
                    .arg(e->examples)
                    .arg(percent(e->accuracy), QString::number(e->loss, 'f', 4)));
        });
}

void ClassifierWindow::showModel(std::shared_ptr<const TextClassifier<float>> model, bool live)
{
    if (!model || !m_vocab)
        return;
    m_shown = std::move(model);
    updatePrediction();
    auto table
        = std::make_shared<const WordVectors>(embeddingTable(m_shown->encoder(), *m_vocab, false));
    m_map->setTable(table, tr("the classifier's embedding"), live && !m_mapNeedsTable);
    m_mapNeedsTable = false;
    auto shown = m_shown;
    m_pullTask->request<WordPull>([shown] { return [shown] { return wordPull(*shown); }; },
        [this, shown](std::shared_ptr<WordPull> pull, QString error) {
            if (!pull) {
                m_statusLabel->setText(error);
                return;
            }
            if (shown != m_shown)
                return; // a newer model is on its way
            m_pull = std::move(*pull);
            recolourMap();
        });
}

void ClassifierWindow::recolourMap()
{
    // The map's table skips <pad>: its row i is vocabulary id i + 1.
    const float threshold = static_cast<float>(m_pullThreshold->value());
    std::vector<int> rowClass;
    std::vector<int> counted(m_labels.size(), 0);
    if (!m_pull.cls.empty()) {
        rowClass.resize(m_pull.cls.size() - 1);
        for (std::size_t id = 1; id < m_pull.cls.size(); ++id) {
            const int c
                = m_pull.strength[id] >= threshold && m_pull.strength[id] > 0 ? m_pull.cls[id] : -1;
            rowClass[id - 1] = c;
            if (c >= 0)
                ++counted[static_cast<std::size_t>(c)];
        }
    }
    QStringList names;
    for (const auto &l : m_labels)
        names << QString::fromStdString(l);
    m_map->setWordClasses(names, std::move(rowClass));
    const bool dark = palette().color(QPalette::Base).lightness() < 128;
    QStringList parts;
    for (int c = 0; c < names.size(); ++c) {
        const QColor colour = c < EmbeddingMap::MaxClassColours ? EmbeddingMap::classColour(c, dark)
                                                                : QColor(0x95, 0xa5, 0xa6);
        parts << QStringLiteral("<span style=\"color:%1\">&#9679;</span>&nbsp;%2 (%3)")
                     .arg(colour.name(), names[c].toHtmlEscaped(),
                         QLocale().toString(counted[static_cast<std::size_t>(c)]));
    }
    parts << QStringLiteral("<span style=\"color:#95a5a6\">&#9679;</span>&nbsp;%1")
                 .arg(tr("neutral").toHtmlEscaped());
    m_legend->setText(tr("Words by the class they pull towards: %1")
                          .arg(parts.join(QStringLiteral("&nbsp;&nbsp; "))));
    emit mapColoured();
}

void ClassifierWindow::updatePrediction()
{
    m_lastProbabilities.clear();
    m_predictions->setRowCount(0);
    const QString text = m_predictText->toPlainText();
    if (!m_shown || !m_vocab) {
        m_predicted->setText(text.trimmed().isEmpty() ? QString() : tr("(no model yet)"));
        m_unknown->clear();
        emit predictionUpdated();
        return;
    }
    std::vector<std::int32_t> ids;
    QStringList unknown;
    const std::string utf8 = text.toStdString();
    std::string_view rest(utf8);
    std::string_view token;
    while (true) {
        const std::size_t nl = rest.find('\n');
        LineTokenizer tok(rest.substr(0, nl), m_tokenizer);
        while (tok.next(token)) {
            const int id = m_vocab->find(token);
            ids.push_back(id >= 0 ? id : Vocabulary::Unk);
            if (id < 0 && unknown.size() < 12)
                unknown << QString::fromUtf8(token.data(), static_cast<int>(token.size()));
        }
        if (nl == std::string_view::npos)
            break;
        rest = rest.substr(nl + 1);
    }
    PadOptions pad = m_pad;
    if (pad.maxLength == 0)
        pad.maxLength = std::max<int>(1, static_cast<int>(ids.size()));
    const Eigen::MatrixXf probs = classifyExamples(*m_shown, { ids }, pad);
    const int C = static_cast<int>(probs.rows());
    std::vector<int> order(static_cast<std::size_t>(C));
    for (int c = 0; c < C; ++c) {
        order[static_cast<std::size_t>(c)] = c;
        m_lastProbabilities.push_back(probs(c, 0));
    }
    std::stable_sort(
        order.begin(), order.end(), [&](int a, int b) { return probs(a, 0) > probs(b, 0); });
    m_predictions->setRowCount(C);
    for (int r = 0; r < C; ++r) {
        const int c = order[static_cast<std::size_t>(r)];
        m_predictions->setItem(r, 0,
            new QTableWidgetItem(QString::fromStdString(m_labels[static_cast<std::size_t>(c)])));
        auto *bar = new QProgressBar(m_predictions);
        bar->setRange(0, 1000);
        bar->setValue(static_cast<int>(std::lround(1000 * probs(c, 0))));
        bar->setFormat(percent(probs(c, 0)));
        bar->setTextVisible(true);
        m_predictions->setCellWidget(r, 1, bar);
    }
    const int best = order.front();
    if (text.trimmed().isEmpty())
        m_predicted->setText(
            tr("With no text the model says %1 (%2): what it has learnt of the "
               "classes' shares.")
                .arg(QString::fromStdString(m_labels[static_cast<std::size_t>(best)]),
                    percent(probs(best, 0))));
    else
        m_predicted->setText(
            tr("Predicted: %1 (%2)")
                .arg(QString::fromStdString(m_labels[static_cast<std::size_t>(best)]),
                    percent(probs(best, 0))));
    const int cut = static_cast<int>(ids.size()) - pad.maxLength;
    QStringList notes;
    if (!unknown.isEmpty())
        notes << tr("Not in the vocabulary (read as <unk>): %1")
                     .arg(unknown.join(QStringLiteral(", ")));
    if (cut > 0)
        notes << tr("%n token(s) cut: the model reads %1 tokens.", "", cut).arg(pad.maxLength);
    m_unknown->setText(notes.join(QLatin1Char('\n')));
    emit predictionUpdated();
}

void ClassifierWindow::applyModelSettings(
    const ClassifierConfig &config, const PadOptions &pad, const TokenizerOptions &tokenizer)
{
    m_cell->setCurrentIndex(m_cell->findData(QString::fromLatin1(cellName(config.cell))));
    m_pooling->setCurrentIndex(
        m_pooling->findData(QString::fromLatin1(poolingName(config.pooling))));
    m_embeddingDim->setValue(config.embeddingDim);
    m_hidden->setValue(config.hiddenSize);
    m_layers->setValue(config.layers);
    m_maxLength->setValue(pad.maxLength);
    m_padding->setCurrentIndex(m_padding->findData(
        pad.padding == PadSide::Post ? QStringLiteral("post") : QStringLiteral("pre")));
    m_truncating->setCurrentIndex(m_truncating->findData(
        pad.truncating == PadSide::Post ? QStringLiteral("post") : QStringLiteral("pre")));
    const QSignalBlocker block(m_lowercase);
    m_lowercase->setChecked(tokenizer.lowercase);
    m_tokenizerMode->setCurrentIndex(m_tokenizerMode->findData(
        tokenizer.mode == TokenizerMode::Char ? QStringLiteral("char") : QStringLiteral("word")));
}

void ClassifierWindow::openModel(const QString &path)
{
    if (m_controller->isRunning()) {
        showError(tr("Could not open the classifier"), tr("Stop the training first."));
        return;
    }
    if (!mayDiscardModel(tr("Opening %1 replaces it.").arg(QFileInfo(path).fileName())))
        return;
    rememberDialogPath(path);
    m_statusLabel->setText(tr("Reading %1...").arg(QFileInfo(path).fileName()));
    runInBackground<LoadedClassifier<float>>(
        this, [path] { return loadClassifierCheckpoint<float>(path.toStdString()); },
        [this, path](std::shared_ptr<LoadedClassifier<float>> loaded, QString error) {
            if (!loaded) {
                showError(tr("Could not open the classifier"), error);
                emit modelFailed(error);
                return;
            }
            m_model = std::shared_ptr<TextClassifier<float>>(std::move(loaded->model));
            m_vocab = std::make_shared<const Vocabulary>(std::move(loaded->vocab));
            m_labels = loaded->labels;
            m_tokenizer = loaded->tokenizer;
            m_pad = loaded->pad;
            m_modelPath = path;
            m_dirty = false;
            m_epochsDone = 0;
            m_stepsDone = 0;
            m_mapNeedsTable = true;
            applyModelSettings(m_model->config(), m_pad, m_tokenizer);
            clearVectors(); // the file's embedding is the model's own
            clearChart();
            m_confusion->clear();
            m_confusion->setRowCount(0);
            m_figures->setRowCount(0);
            m_resultsCaption->setText(tr("Open a labelled corpus to measure this model."));
            m_shown = std::make_shared<const TextClassifier<float>>(*m_model);
            showModel(m_shown, false);
            m_statusLabel->setText(tr("Opened %1: %2 classes, vocabulary %3.")
                                       .arg(QFileInfo(path).fileName())
                                       .arg(m_labels.size())
                                       .arg(QLocale().toString(m_vocab->size())));
            updateActions();
            updateTitle();
            if (m_corpus)
                reloadCorpus(); // read again with the model's vocabulary, then measured
            emit modelLoaded();
        });
}

bool ClassifierWindow::saveModel(const QString &path)
{
    if (!m_model || !m_shown) {
        showError(tr("Could not save the classifier"), tr("There is no model to save."));
        return false;
    }
    // While a run holds the model, the copy the views show is saved: the model as of the last
    // epoch (or the last copy within one).
    const bool running = m_controller->isRunning();
    try {
        PadOptions pad = m_pad;
        if (pad.maxLength == 0) {
            pad = trainConfigFromSettings().pad;
            pad.maxLength = m_runMaxLength;
        }
        std::map<std::string, std::string> extra;
        if (!m_corpusPath.isEmpty())
            extra["corpus"] = "\"" + QFileInfo(m_corpusPath).fileName().toStdString() + "\"";
        TextClassifier<float> copy = running ? *m_shown : *m_model;
        saveClassifierCheckpoint(
            path.toStdString(), copy, *m_vocab, m_labels, m_tokenizer, pad, extra);
    } catch (const std::exception &e) {
        showError(tr("Could not save the classifier"), QString::fromStdString(e.what()));
        return false;
    }
    rememberDialogPath(path);
    m_modelPath = path;
    m_dirty = running; // the run goes on training
    m_statusLabel->setText(running ? tr("Saved the model as of its last copy to %1; training "
                                        "goes on.")
                                         .arg(QDir::toNativeSeparators(path))
                                   : tr("Saved %1.").arg(QDir::toNativeSeparators(path)));
    updateTitle();
    emit modelSaved(path);
    return true;
}

bool ClassifierWindow::mayDiscardModel(const QString &consequence)
{
    if (!m_model || !m_dirty)
        return true;
    QMessageBox box(QMessageBox::Warning, tr("Unsaved classifier"),
        tr("The classifier has training that is not saved.") + QLatin1Char(' ') + consequence,
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, this);
    box.setObjectName(QStringLiteral("discardPrompt"));
    box.setDefaultButton(QMessageBox::Save);
    const int answer = box.exec();
    if (answer == QMessageBox::Discard)
        return true;
    if (answer != QMessageBox::Save)
        return false;
    if (!m_modelPath.isEmpty())
        return saveModel(m_modelPath);
    QString path = QFileDialog::getSaveFileName(this, tr("Save Classifier"),
        QDir(dialogFolder()).filePath(suggestedModelName()), tr("Classifier (*.safetensors)"));
    if (path.isEmpty())
        return false;
    if (!path.endsWith(QLatin1String(".safetensors")))
        path += QLatin1String(".safetensors");
    return saveModel(path);
}

bool ClassifierWindow::newModel()
{
    if (m_controller->isRunning())
        return false;
    if (!mayDiscardModel(tr("A new model discards it.")))
        return false;
    m_model.reset();
    m_shown.reset();
    m_vocab.reset();
    m_modelPath.clear();
    m_dirty = false;
    m_epochsDone = 0;
    m_stepsDone = 0;
    m_pull = WordPull {};
    m_pad = PadOptions {};
    m_map->clear();
    m_mapNeedsTable = true;
    m_legend->clear();
    clearChart();
    m_confusion->clear();
    m_confusion->setRowCount(0);
    m_figures->setRowCount(0);
    m_resultsCaption->setText(tr("Train a model to see how it does on the held-out examples."));
    updatePrediction();
    updateActions();
    updateTitle();
    reloadCorpus(); // with its own vocabulary again
    return true;
}

void ClassifierWindow::updateActions()
{
    const bool running = m_controller->isRunning();
    const bool paused = running && m_controller->isPaused();
    for (QAction *a : { m_openAct, m_sampleAct, m_openModelAct })
        a->setEnabled(!running);
    m_saveAct->setEnabled(m_model != nullptr);
    m_saveAsAct->setEnabled(m_model != nullptr);
    m_startAct->setEnabled(m_corpus && !running);
    m_startButton->setEnabled(m_corpus && !running);
    m_startButton->setText(m_model ? tr("Continue") : tr("&Start"));
    m_startButton->setToolTip(m_model ? tr("Train the model further on this corpus")
                                      : tr("Train a new model with these settings"));
    m_pauseAct->setEnabled(running);
    m_pauseButton->setEnabled(running);
    m_pauseButton->setText(paused ? tr("&Resume") : tr("&Pause"));
    m_pauseAct->setText(paused ? tr("&Resume") : tr("&Pause"));
    m_stopAct->setEnabled(running);
    m_stopButton->setEnabled(running);
    m_newAct->setEnabled(m_model && !running);
    m_newButton->setEnabled(m_model && !running);
    const QString lockedTip = tr("This belongs to the model now; New Model discards it");
    for (QWidget *w : std::as_const(m_modelOwned)) {
        w->setEnabled(!m_model && !running);
        w->setToolTip(m_model ? lockedTip : w->property("freeToolTip").toString());
    }
    m_clearVectorsButton->setEnabled(!m_model && !running && m_initVectors);
    for (QWidget *w : { static_cast<QWidget *>(m_format), static_cast<QWidget *>(m_validShare),
             static_cast<QWidget *>(m_freeze) })
        w->setEnabled(!running);
    const bool csv = m_format->currentData().toString() == QLatin1String("csv");
    m_labelColumn->setEnabled(csv && !running);
    m_textColumn->setEnabled(csv && !running);
}

void ClassifierWindow::updateTitle()
{
    QString what = m_modelPath.isEmpty() ? (m_model ? tr("untitled classifier") : QString())
                                         : QFileInfo(m_modelPath).fileName();
    if (!what.isEmpty() && m_dirty)
        what += QLatin1Char('*');
    QStringList parts;
    if (!what.isEmpty())
        parts << what;
    if (!m_corpusName.isEmpty())
        parts << m_corpusName;
    parts << tr("Text Classification") << QStringLiteral("Embedding Lab");
    setWindowTitle(parts.join(QStringLiteral(" — ")));
}

void ClassifierWindow::closeEvent(QCloseEvent *event)
{
    const bool wasRunning = m_controller->isRunning();
    if (wasRunning)
        m_controller->pause();
    if (!mayDiscardModel(tr("Closing the window discards it."))) {
        if (wasRunning)
            m_controller->resume();
        event->ignore();
        return;
    }
    m_controller->stop();
    event->accept();
}

} // namespace embedlab
