#pragma once
// Model and training settings with Start / Pause / Stop / Reset. Settings that cannot change
// during a run are disabled while one runs.
#include <QWidget>

#include "core/model.h"
#include "core/trainer.h"

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

private:
    void updateEnabled();

    State m_state = State::Idle;
    bool m_startEnabled = true;
    QSpinBox *m_embeddingDim, *m_hidden, *m_layers, *m_batch, *m_bptt, *m_epochs, *m_seed,
        *m_autosave;
    QDoubleSpinBox *m_dropout, *m_lr, *m_clip;
    QCheckBox *m_tied, *m_frozen;
    QComboBox *m_cell, *m_optimizer;
    QPushButton *m_start, *m_pause, *m_stop, *m_reset;
    QList<QWidget *> m_runLocked; // disabled while a run is active
};

} // namespace embedlab
