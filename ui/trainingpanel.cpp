#include "ui/trainingpanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>

#include <QStyle>
#include <QVBoxLayout>
#include <algorithm>
#include <climits>

namespace embedlab {

namespace {

QSpinBox *spin(int lo, int hi, int value, QWidget *parent)
{
    auto *s = new QSpinBox(parent);
    s->setRange(lo, hi);
    s->setValue(value);
    s->setAccelerated(true);
    return s;
}

QDoubleSpinBox *dspin(
    double lo, double hi, double value, int decimals, double step, QWidget *parent)
{
    auto *s = new QDoubleSpinBox(parent);
    s->setRange(lo, hi);
    s->setDecimals(decimals);
    s->setSingleStep(step);
    s->setValue(value);
    return s;
}

} // namespace

TrainingPanel::TrainingPanel(QWidget *parent)
    : QWidget(parent)
{
    auto *modelBox = new QGroupBox(tr("Model"), this);
    auto *modelForm = new QFormLayout(modelBox);
    m_cell = new QComboBox(modelBox);
    // The cells of core/cell.cpp's table, by their names in checkpoints and on the command line.
    for (CellKind kind : cellKinds()) {
        const QString name = QString::fromLatin1(cellName(kind));
        const QString label = kind == CellKind::Lstm ? tr("LSTM")
            : kind == CellKind::Gru                  ? tr("GRU")
            : kind == CellKind::RnnTanh              ? tr("RNN (tanh)")
            : kind == CellKind::RnnRelu              ? tr("RNN (ReLU)")
                                                     : name;
        m_cell->addItem(label, name);
    }
    m_cell->setToolTip(tr("The recurrent layers: PyTorch's nn.LSTM, nn.GRU or nn.RNN with tanh or "
                          "ReLU (word_language_model's LSTM, GRU, RNN_TANH, RNN_RELU)"));
    m_embeddingDim = spin(1, 4096, defaultModelConfig().embeddingDim, modelBox);
    m_hidden = spin(1, 4096, defaultModelConfig().hiddenSize, modelBox);
    m_layers = spin(1, 8, defaultModelConfig().layers, modelBox);
    m_dropout = dspin(0, 0.95, defaultModelConfig().dropout, 2, 0.05, modelBox);
    m_tied = new QCheckBox(tr("Tie decoder to embedding"), modelBox);
    m_frozen = new QCheckBox(tr("Freeze embedding"), modelBox);
    modelForm->addRow(tr("Cell:"), m_cell);
    modelForm->addRow(tr("Embedding dim:"), m_embeddingDim);
    modelForm->addRow(tr("Hidden size:"), m_hidden);
    modelForm->addRow(tr("Layers:"), m_layers);
    modelForm->addRow(tr("Dropout:"), m_dropout);
    modelForm->addRow(QString(), m_tied);
    modelForm->addRow(QString(), m_frozen);

    auto *trainBox = new QGroupBox(tr("Training"), this);
    auto *trainForm = new QFormLayout(trainBox);
    m_batch = spin(1, 4096, defaultTrainConfig().batch, trainBox);
    m_bptt = spin(1, 1000, defaultTrainConfig().bptt, trainBox);
    m_epochs = spin(1, 10000, defaultTrainConfig().epochs, trainBox);
    m_optimizer = new QComboBox(trainBox);
    m_optimizer->addItem(tr("SGD (lr ÷4 on plateau)"), QStringLiteral("sgd"));
    m_optimizer->addItem(tr("Adam"), QStringLiteral("adam"));
    m_lr = dspin(
        1e-6, 1e6, defaultTrainConfig().lr, 6, 0.1, trainBox); // up to where a run visibly diverges
    m_clip = dspin(0, 1000, defaultTrainConfig().clip, 3, 0.05, trainBox);
    m_clip->setSpecialValueText(tr("off"));
    m_seed = spin(0, 1 << 30, static_cast<int>(defaultTrainConfig().seed), trainBox);
    m_autosave = spin(0, 24 * 60, DefaultAutosaveMinutes, trainBox);
    m_autosave->setSuffix(tr(" min"));
    m_autosave->setSpecialValueText(tr("off"));
    m_autosave->setToolTip(tr("Write a checkpoint of the model this often while it trains "
                              "(beside the saved model, or in the application's data folder)"));
    trainForm->addRow(tr("Batch size:"), m_batch);
    trainForm->addRow(tr("BPTT length:"), m_bptt);
    trainForm->addRow(tr("Epochs:"), m_epochs);
    trainForm->addRow(tr("Optimizer:"), m_optimizer);
    trainForm->addRow(tr("Learning rate:"), m_lr);
    trainForm->addRow(tr("Gradient clip:"), m_clip);
    trainForm->addRow(tr("Seed:"), m_seed);
    trainForm->addRow(tr("Autosave every:"), m_autosave);

    m_start = new QPushButton(style()->standardIcon(QStyle::SP_MediaPlay), tr("&Start"), this);
    m_pause = new QPushButton(style()->standardIcon(QStyle::SP_MediaPause), tr("&Pause"), this);
    m_stop = new QPushButton(style()->standardIcon(QStyle::SP_MediaStop), tr("St&op"), this);
    m_reset = new QPushButton(tr("&Reset"), this);
    m_start->setToolTip(tr("Start training (continues the current model if its settings match)"));
    m_reset->setToolTip(tr("Discard the trained model and start again from random weights"));
    // Two by two: the panel stays narrow enough for a 1024-pixel screen.
    auto *buttons = new QGridLayout;
    buttons->addWidget(m_start, 0, 0);
    buttons->addWidget(m_pause, 0, 1);
    buttons->addWidget(m_stop, 1, 0);
    buttons->addWidget(m_reset, 1, 1);

    m_restoreDefaults = new QPushButton(tr("Restore Defaults"), this);
    m_restoreDefaults->setObjectName(QStringLiteral("restoreTrainingDefaults"));
    m_restoreDefaults->setToolTip(tr("Put every model and training setting back to its default"));
    connect(
        m_restoreDefaults, &QPushButton::clicked, this, &TrainingPanel::restoreDefaultsRequested);
    auto *defaultsRow = new QHBoxLayout;
    defaultsRow->addStretch(1);
    defaultsRow->addWidget(m_restoreDefaults);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(modelBox);
    layout->addWidget(trainBox);
    layout->addLayout(defaultsRow);
    layout->addLayout(buttons);
    layout->addStretch(1);

    const QList<QPair<QWidget *, const char *>> names = { { m_cell, "cell" },
        { m_embeddingDim, "embeddingDim" }, { m_hidden, "hidden" }, { m_layers, "layers" },
        { m_dropout, "dropout" }, { m_tied, "tied" }, { m_frozen, "frozen" }, { m_batch, "batch" },
        { m_bptt, "bptt" }, { m_epochs, "epochs" }, { m_optimizer, "optimizer" }, { m_lr, "lr" },
        { m_clip, "clip" }, { m_seed, "seed" }, { m_autosave, "autosaveMinutes" } };
    for (const auto &[w, name] : names)
        w->setObjectName(QLatin1String(name));
    m_runLocked
        = { m_cell, m_embeddingDim, m_hidden, m_layers, m_dropout, m_tied, m_frozen, m_batch,
              m_bptt, m_epochs, m_optimizer, m_lr, m_clip, m_seed, m_autosave, m_restoreDefaults };
    {
        // In the order restoreDefaults sets them: untied first (tying sets the hidden size), the
        // optimiser before the rate it resets.
        const ModelConfig m = defaultModelConfig();
        const TrainConfig t = defaultTrainConfig();
        m_defaults.add(m_tied, m.tied);
        m_defaults.add(
            m_cell, QString::fromLatin1(cellName(m.cell)), modelForm->labelForField(m_cell));
        m_defaults.add(m_embeddingDim, m.embeddingDim, modelForm->labelForField(m_embeddingDim));
        m_defaults.add(m_hidden, m.hiddenSize, modelForm->labelForField(m_hidden));
        m_defaults.add(m_layers, m.layers, modelForm->labelForField(m_layers));
        m_defaults.add(m_dropout, m.dropout, modelForm->labelForField(m_dropout));
        m_defaults.add(m_frozen, t.freezeEmbedding);
        m_defaults.add(m_batch, t.batch, trainForm->labelForField(m_batch));
        m_defaults.add(m_bptt, t.bptt, trainForm->labelForField(m_bptt));
        m_defaults.add(m_epochs, t.epochs, trainForm->labelForField(m_epochs));
        m_defaults.add(m_optimizer, QString::fromLatin1(optimizerName(t.optimizer)),
            trainForm->labelForField(m_optimizer));
        m_defaults.add(m_lr, t.lr, trainForm->labelForField(m_lr));
        m_defaults.add(m_clip, t.clip, trainForm->labelForField(m_clip));
        m_defaults.add(m_seed, static_cast<int>(t.seed), trainForm->labelForField(m_seed));
        m_defaults.add(m_autosave, DefaultAutosaveMinutes, trainForm->labelForField(m_autosave));
    }
    connect(m_optimizer, &QComboBox::currentIndexChanged, this, [this] {
        const bool adam = m_optimizer->currentData().toString() == QLatin1String("adam");
        m_lr->setValue(adam ? 0.001 : 20.0);
    });
    for (auto *s :
        { m_embeddingDim, m_hidden, m_layers, m_batch, m_bptt, m_epochs, m_seed, m_autosave })
        connect(s, &QSpinBox::valueChanged, this, &TrainingPanel::settingsChanged);
    for (auto *s : { m_dropout, m_lr, m_clip })
        connect(s, &QDoubleSpinBox::valueChanged, this, &TrainingPanel::settingsChanged);
    for (auto *c : { m_tied, m_frozen })
        connect(c, &QCheckBox::toggled, this, &TrainingPanel::settingsChanged);
    for (auto *c : { m_cell, m_optimizer })
        connect(c, &QComboBox::currentIndexChanged, this, &TrainingPanel::settingsChanged);
    connect(m_tied, &QCheckBox::toggled, this, [this](bool on) {
        if (on)
            m_hidden->setValue(m_embeddingDim->value());
        if (on)
            m_frozen->setChecked(false);
        updateEnabled();
    });
    connect(m_embeddingDim, &QSpinBox::valueChanged, this, [this](int v) {
        if (m_tied->isChecked())
            m_hidden->setValue(v);
    });
    connect(m_hidden, &QSpinBox::valueChanged, this, [this](int v) {
        if (m_tied->isChecked())
            m_embeddingDim->setValue(v);
    });

    connect(this, &TrainingPanel::settingsChanged, this, &TrainingPanel::updateMarks);
    connect(m_embeddingDim, &QSpinBox::valueChanged, this, [this](int v) {
        if (v != m_adoptedDim)
            setEmbeddingSource(QString());
    });
    connect(m_start, &QPushButton::clicked, this, &TrainingPanel::startRequested);
    connect(m_pause, &QPushButton::clicked, this, [this] {
        if (m_state == State::Paused)
            emit resumeRequested();
        else
            emit pauseRequested();
    });
    connect(m_stop, &QPushButton::clicked, this, &TrainingPanel::stopRequested);
    connect(m_reset, &QPushButton::clicked, this, &TrainingPanel::resetRequested);
    updateEnabled();
    updateMarks();
}

ModelConfig TrainingPanel::defaultModelConfig()
{
    return ModelConfig {};
}

TrainConfig TrainingPanel::defaultTrainConfig()
{
    TrainConfig t;
    t.epochs = 10;
    return t;
}

void TrainingPanel::restoreDefaults()
{
    m_defaults.restore();
    setEmbeddingSource(QString());
}

void TrainingPanel::setEmbeddingSource(const QString &source)
{
    m_embeddingSource = source;
    m_adoptedDim = source.isEmpty() ? 0 : m_embeddingDim->value();
    m_defaults.setNote(
        m_embeddingDim, source.isEmpty() ? QString() : tr("Adopted from %1").arg(source));
    updateMarks();
}

void TrainingPanel::updateMarks()
{
    m_defaults.updateMarks();
}

ModelConfig TrainingPanel::modelConfig(int vocabSize) const
{
    ModelConfig c;
    c.vocabSize = vocabSize;
    parseCell(m_cell->currentData().toString().toStdString(), c.cell);
    c.embeddingDim = m_embeddingDim->value();
    c.hiddenSize = m_hidden->value();
    c.layers = m_layers->value();
    c.dropout = m_dropout->value();
    c.tied = m_tied->isChecked();
    return c;
}

TrainConfig TrainingPanel::trainConfig() const
{
    TrainConfig t;
    t.batch = m_batch->value();
    t.bptt = m_bptt->value();
    t.epochs = m_epochs->value();
    parseOptimizer(m_optimizer->currentData().toString().toStdString(), t.optimizer);
    t.lr = m_lr->value();
    t.clip = m_clip->value();
    t.seed = static_cast<std::uint64_t>(m_seed->value());
    t.freezeEmbedding = m_frozen->isChecked();
    return t;
}

int TrainingPanel::autosaveMinutes() const
{
    return m_autosave->value();
}

void TrainingPanel::setAutosaveMinutes(int minutes)
{
    m_autosave->setValue(minutes);
}

void TrainingPanel::setModelConfig(const ModelConfig &config)
{
    m_tied->setChecked(false);
    if (const char *name = cellName(config.cell))
        m_cell->setCurrentIndex(m_cell->findData(QString::fromLatin1(name)));
    m_embeddingDim->setValue(config.embeddingDim);
    m_hidden->setValue(config.hiddenSize);
    m_layers->setValue(config.layers);
    m_dropout->setValue(config.dropout);
    m_tied->setChecked(config.tied);
}

void TrainingPanel::setTrainConfig(const TrainConfig &config)
{
    m_optimizer->setCurrentIndex(
        m_optimizer->findData(QString::fromLatin1(optimizerName(config.optimizer))));
    // After the optimiser, which sets its own default rate.
    m_lr->setValue(config.lr);
    m_batch->setValue(config.batch);
    m_bptt->setValue(config.bptt);
    m_clip->setValue(config.clip);
    m_seed->setValue(static_cast<int>(std::min<std::uint64_t>(config.seed, INT_MAX)));
    m_frozen->setChecked(config.freezeEmbedding);
}

void TrainingPanel::saveSettings(QSettings &settings) const
{
    settings.beginGroup(QStringLiteral("training"));
    for (auto *s :
        { m_embeddingDim, m_hidden, m_layers, m_batch, m_bptt, m_epochs, m_seed, m_autosave })
        settings.setValue(s->objectName(), s->value());
    for (auto *s : { m_dropout, m_lr, m_clip })
        settings.setValue(s->objectName(), s->value());
    settings.setValue(m_tied->objectName(), m_tied->isChecked());
    settings.setValue(m_frozen->objectName(), m_frozen->isChecked());
    settings.setValue(m_optimizer->objectName(), m_optimizer->currentIndex());
    settings.setValue(m_cell->objectName(), m_cell->currentData()); // by name: the table may grow
    if (m_embeddingSource.isEmpty())
        settings.remove(QStringLiteral("embeddingDimFrom"));
    else
        settings.setValue(QStringLiteral("embeddingDimFrom"), m_embeddingSource);
    settings.endGroup();
}

void TrainingPanel::restoreSettings(const QSettings &settings)
{
    const QString g = QStringLiteral("training/");
    auto has = [&](QObject *o) { return settings.contains(g + o->objectName()); };
    if (has(m_optimizer))
        m_optimizer->setCurrentIndex(settings.value(g + m_optimizer->objectName()).toInt());
    for (auto *s :
        { m_embeddingDim, m_hidden, m_layers, m_batch, m_bptt, m_epochs, m_seed, m_autosave })
        if (has(s))
            s->setValue(settings.value(g + s->objectName()).toInt());
    for (auto *s : { m_dropout, m_lr, m_clip })
        if (has(s))
            s->setValue(settings.value(g + s->objectName()).toDouble());
    if (has(m_tied))
        m_tied->setChecked(settings.value(g + m_tied->objectName()).toBool());
    if (has(m_frozen))
        m_frozen->setChecked(settings.value(g + m_frozen->objectName()).toBool());
    if (has(m_cell))
        if (const int i = m_cell->findData(settings.value(g + m_cell->objectName()).toString());
            i >= 0)
            m_cell->setCurrentIndex(i);
    setEmbeddingSource(settings.value(g + QStringLiteral("embeddingDimFrom")).toString());
}

void TrainingPanel::setFrozenEmbedding(bool frozen)
{
    if (frozen)
        m_tied->setChecked(false);
    m_frozen->setChecked(frozen);
}

void TrainingPanel::setEpochs(int epochs)
{
    m_epochs->setValue(epochs);
}

void TrainingPanel::setState(State state)
{
    m_state = state;
    updateEnabled();
}

void TrainingPanel::setStartEnabled(bool enabled)
{
    m_startEnabled = enabled;
    updateEnabled();
}

void TrainingPanel::updateEnabled()
{
    const bool idle = m_state == State::Idle;
    for (QWidget *w : std::as_const(m_runLocked))
        w->setEnabled(idle);
    m_frozen->setEnabled(idle && !m_tied->isChecked());
    m_start->setEnabled(idle && m_startEnabled);
    m_pause->setEnabled(!idle);
    m_pause->setText(m_state == State::Paused ? tr("&Resume") : tr("&Pause"));
    m_pause->setIcon(style()->standardIcon(
        m_state == State::Paused ? QStyle::SP_MediaPlay : QStyle::SP_MediaPause));
    m_stop->setEnabled(!idle);
    m_reset->setEnabled(idle);
}

} // namespace embedlab
