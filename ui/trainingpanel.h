#pragma once
// Model and training settings with Start / Pause / Stop / Reset. Settings that cannot change
// during a run are disabled while one runs.
#include <QWidget>

#include "core/model.h"
#include "core/trainer.h"
#include "ui/settingdefaults.h"

class QCheckBox;
class QSettings;
class QComboBox;
class QDoubleSpinBox;
class QPushButton;
class QSpinBox;

namespace embedlab {

class TrainingPanel : public QWidget
{
    Q_OBJECT
public:
    enum class State { Idle, Running, Paused };

    explicit TrainingPanel(QWidget *parent = nullptr);

    // The architecture for a vocabulary of vocabSize words.
    ModelConfig modelConfig(int vocabSize) const;
    TrainConfig trainConfig() const;
    // Minutes between checkpoints written while training; 0 when autosave is off.
    int autosaveMinutes() const;
    void setAutosaveMinutes(int minutes);
    void setModelConfig(const ModelConfig &config); // e.g. after opening a model
    // The settings a model was trained with (all but the epochs), so that Start continues it.
    void setTrainConfig(const TrainConfig &config);
    void setFrozenEmbedding(bool frozen);
    void setEpochs(int epochs);
    void saveSettings(QSettings &settings) const;
    void restoreSettings(const QSettings &settings);
    // What a first start shows: word_language_model's architecture, 10 epochs, autosave every
    // 10 minutes.
    static ModelConfig defaultModelConfig();
    static TrainConfig defaultTrainConfig();
    static constexpr int DefaultAutosaveMinutes = 10;
    // Sets every setting to its default.
    void restoreDefaults();
    // The settings that differ from their defaults, whose labels are bold with the default in
    // their tooltip.
    QList<SettingChange> changedSettings() const { return m_defaults.changes(); }
    // The embedding size shown was adopted from the vectors file `source` (imported to initialise
    // the embedding): said beside it, and kept with it in the settings, until it is changed.
    void setEmbeddingSource(const QString &source);
    QString embeddingSource() const { return m_embeddingSource; }
    QPushButton *restoreDefaultsButton() const { return m_restoreDefaults; }
    void setState(State state);
    State state() const { return m_state; }
    void setStartEnabled(bool enabled);

    QPushButton *startButton() const { return m_start; }
    QPushButton *pauseButton() const { return m_pause; }
    QPushButton *stopButton() const { return m_stop; }
    QPushButton *resetButton() const { return m_reset; }

signals:
    void startRequested();
    void pauseRequested();
    void resumeRequested();
    void stopRequested();
    void resetRequested();
    void settingsChanged();
    void restoreDefaultsRequested();

private:
    void updateEnabled();

    State m_state = State::Idle;
    bool m_startEnabled = true;
    QSpinBox *m_embeddingDim, *m_hidden, *m_layers, *m_batch, *m_bptt, *m_epochs, *m_seed,
        *m_autosave;
    QDoubleSpinBox *m_dropout, *m_lr, *m_clip;
    QCheckBox *m_tied, *m_frozen;
    QComboBox *m_cell, *m_optimizer;
    QPushButton *m_start, *m_pause, *m_stop, *m_reset, *m_restoreDefaults;
    SettingDefaults m_defaults;
    QString m_embeddingSource; // see setEmbeddingSource
    int m_adoptedDim = 0;
    void updateMarks();
    QList<QWidget *> m_runLocked; // disabled while a run is active
};

} // namespace embedlab
