#pragma once
// The training thread's side of TrainingController: runs one training run at a time and reports
// it as throttled value snapshots. It lives on the controller's QThread; its signals are emitted
// on that thread, and the controller hands them over to its own.
#include <QObject>
#include <QString>
#include <QVector>

#include <memory>

#include "core/corpus.h"
#include "core/model.h"
#include "core/runlog.h"
#include "core/tokenizer.h"
#include "core/trainer.h"
#include "ui/snapshots.h"

namespace embedlab {

// Checkpoints written by the training thread between windows, atomically, every
// `intervalSeconds` (0: off).
struct AutosaveSettings
{
    QString path;
    double intervalSeconds = 0;
    TokenizerOptions tokenizer;
    QString corpusName; // recorded in the checkpoint's embedlab.training
};

// Where the training thread records the run (core/runlog.h); no recording when dir is empty.
struct RunRecording
{
    QString dir;
    RunSettings settings;
};

class TrainingWorker : public QObject
{
    Q_OBJECT
public:
    // Emissions per second at most; the first and last updates always go out.
    static constexpr int MaxUpdatesPerSecond = 25;
    // Embedding copies per second at most, for the map and the neighbours.
    static constexpr int MaxEmbeddingCopiesPerSecond = 4;

    using QObject::QObject;

    // Trains `model` with `trainer` (made for it, and given the state a continued run goes on
    // from) on the corpus until the run ends, is stopped or fails; ends with finished() or
    // failed(). Call on the worker's thread.
    void run(std::shared_ptr<const Corpus> corpus, std::shared_ptr<LanguageModel<float>> model,
        std::shared_ptr<Trainer<float>> trainer, const TrainConfig &config,
        const AutosaveSettings &autosave, const RunRecording &recording = {});

signals:
    void progressAvailable(
        const QVector<embedlab::LossPoint> &points, const embedlab::TrainingStatus &status);
    void epochFinished(const embedlab::EpochPoint &epoch);
    void embeddingAvailable(const embedlab::EmbeddingSnapshot &snapshot);
    void pauseReached();
    void autosaved(const QString &path, qint64 step);
    void autosaveFailed(const QString &message);
    // The embedding at `step` is being written to the run folder.
    void snapshotRecorded(const QString &dir, qint64 step);
    // The run folder could not be created or written; training goes on unrecorded from there.
    void recordingFailed(const QString &message);
    void finished(const embedlab::TrainingSummary &summary);
    void failed(const QString &message);
};

} // namespace embedlab
