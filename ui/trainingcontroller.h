#pragma once
// Owns the training thread. Start hands a corpus and settings to a TrainingWorker on its own
// QThread; pause, resume and stop are set directly on the trainer (thread-safe flags), so they work
// while the worker is busy. Progress comes back as throttled value snapshots.
#include <QElapsedTimer>
#include <QObject>
#include <QThread>

#include <atomic>
#include <functional>
#include <memory>

#include "core/corpus.h"
#include "core/model.h"
#include "core/tokenizer.h"
#include "core/trainer.h"
#include "core/vocabulary.h"
#include "ui/snapshots.h"
#include "ui/trainingworker.h"

namespace embedlab {

class TrainingController : public QObject
{
    Q_OBJECT
public:
    // Emissions per second at most; the first and last updates always go out.
    static constexpr int MaxUpdatesPerSecond = TrainingWorker::MaxUpdatesPerSecond;
    // Embedding copies per second at most, for the map and the neighbours.
    static constexpr int MaxEmbeddingCopiesPerSecond = TrainingWorker::MaxEmbeddingCopiesPerSecond;

    explicit TrainingController(QObject *parent = nullptr);
    ~TrainingController() override; // stops a run and waits for the thread

    bool isRunning() const { return m_running; }
    bool isPaused() const;
    // Paused and the training thread is held (after pauseReached): the model may be read, e.g.
    // copied to be saved, until Resume or Stop.
    bool isPauseReached() const;

    // Trains `model` (created and initialised by the caller) on the corpus, continuing the run
    // in `state` when given (finished() hands back the state to continue from next). The model is
    // owned by the worker until finished() or failed(); do not touch it meanwhile.
    void start(std::shared_ptr<const Corpus> corpus, std::shared_ptr<LanguageModel<float>> model,
        const TrainConfig &config, std::shared_ptr<const TrainState<float>> state = {},
        const RunRecording &recording = {});
    // A copy of the run's state while the pause holds the training thread (isPauseReached()),
    // for saving the model as it is; nullptr otherwise.
    std::shared_ptr<const TrainState<float>> pausedState() const;

    // Checkpoints written by the training thread between windows, atomically, every
    // `intervalSeconds` (0: off). Applies to runs started afterwards.
    using Autosave = AutosaveSettings;
    void setAutosave(const Autosave &autosave) { m_autosave = autosave; }
    void pause();
    void resume();
    void stop();

signals:
    void started();
    void progressAvailable(
        const QVector<embedlab::LossPoint> &points, const embedlab::TrainingStatus &status);
    void epochFinished(const embedlab::EpochPoint &epoch);
    void embeddingAvailable(const embedlab::EmbeddingSnapshot &snapshot);
    void pausedChanged(bool paused);
    // The pause holds the training thread now: the model stays as it is until Resume or Stop.
    void pauseReached();
    void finished(const embedlab::TrainingSummary &summary);
    void failed(const QString &message);
    // An autosave was written (the file holds the model after `step`), or could not be; a
    // failed autosave leaves the previous one intact and training goes on.
    void autosaved(const QString &path, qint64 step);
    void autosaveFailed(const QString &message);
    // Recording into the run folder (TrainingWorker): a snapshot at `step` is on its way to
    // disk; or the folder could not be written and training goes on unrecorded.
    void snapshotRecorded(const QString &dir, qint64 step);
    void recordingFailed(const QString &message);

private:
    // From the training thread: runs f on this object's thread, in order, so that every signal
    // is emitted there (safe for direct connections too, such as QSignalSpy's).
    void deliver(std::function<void()> f);
    // Relays the worker's signals through deliver().
    void connectWorker();

    Autosave m_autosave;

    QThread m_thread;
    TrainingWorker *m_worker = nullptr; // lives in m_thread
    std::shared_ptr<Trainer<float>> m_trainer;
    bool m_running = false;
};

} // namespace embedlab
