#include "ui/trainingworker.h"

#include "core/checkpoint.h"
#include "core/pretrained.h"
#include "core/safetensors.h"
#include "core/trainstate.h"

#include <QFile>

#include <chrono>
#include <cmath>

namespace embedlab {

void TrainingWorker::run(std::shared_ptr<const Corpus> corpus,
    std::shared_ptr<LanguageModel<float>> model, std::shared_ptr<Trainer<float>> trainer,
    const TrainConfig &config, const AutosaveSettings &autosave, const RunRecording &recording)
{
    using Clock = std::chrono::steady_clock;
    const auto minInterval = std::chrono::milliseconds(1000 / MaxUpdatesPerSecond);
    const auto embeddingInterval = std::chrono::milliseconds(1000 / MaxEmbeddingCopiesPerSecond);
    Clock::time_point lastEmit, lastEmbedding;
    bool first = true;
    QVector<LossPoint> pending;
    TrainingStatus status;
    status.epochs = trainer->state().epoch + config.epochs - 1;
    status.firstStep = trainer->state().step;
    status.step = status.firstStep;
    const double firstSeconds = trainer->state().seconds;
    qint64 embeddingStep = -1;
    auto sendEmbedding = [&](qint64 step) {
        embeddingStep = step;
        auto table
            = std::make_shared<const WordVectors>(embeddingTable(*model, corpus->vocab, false));
        emit embeddingAvailable(EmbeddingSnapshot { step, std::move(table) });
        lastEmbedding = Clock::now();
    };
    Clock::time_point lastAutosave = Clock::now();
    auto writeAutosave = [&](qint64 step) {
        lastAutosave = Clock::now();
        try {
            saveTrainingCheckpoint(autosave.path.toStdString(), *model, corpus->vocab,
                autosave.tokenizer, trainer->state(), config,
                { { "corpus", jsonQuote(autosave.corpusName.toStdString()) } },
                { { "embedlab.autosave_step", std::to_string(step) } });
            emit autosaved(autosave.path, step);
        } catch (const std::exception &e) {
            emit autosaveFailed(QString::fromStdString(e.what()));
        }
    };
    auto flush = [&] {
        emit progressAvailable(pending, status);
        pending.clear();
        lastEmit = Clock::now();
        first = false;
    };
    std::unique_ptr<RunRecorder> recorder;
    if (!recording.dir.isEmpty()) {
        try {
            recorder = std::make_unique<RunRecorder>(
                QFile::encodeName(recording.dir).toStdString(), recording.settings, corpus->vocab);
            // Where it starts: the initialisation, or where a continued run stood.
            recorder->recordSnapshot(trainer->state().step, *model);
            emit snapshotRecorded(recording.dir, trainer->state().step);
        } catch (const std::exception &e) {
            recorder.reset();
            emit recordingFailed(QString::fromStdString(e.what()));
        }
    }
    QString recordError; // reported once
    auto checkRecorder = [&] {
        if (recorder && recordError.isEmpty() && !recorder->error().empty()) {
            recordError = QString::fromStdString(recorder->error());
            emit recordingFailed(recordError);
        }
    };
    sendEmbedding(0);
    // A pause takes effect after the window in flight: its point and the table as it now
    // stands go out before the trainer blocks, not on Resume.
    trainer->setPauseHook([&] {
        if (!pending.empty())
            flush();
        if (embeddingStep != status.step)
            sendEmbedding(status.step);
        emit pauseReached();
    });
    TrainingSummary summary;
    QString error;
    try {
        const TrainResult r = trainer->run(corpus->train, corpus->valid, [&](const TrainEvent &e) {
            status.epoch = e.epoch;
            status.step = e.step;
            status.tokensPerSec = e.tokensPerSec;
            status.lr = e.lr;
            status.epochs = e.lastEpoch;
            status.totalSteps = e.plannedSteps;
            const qint64 done = e.step - status.firstStep;
            status.etaSeconds = done > 0 ? (e.seconds - firstSeconds) / static_cast<double>(done)
                    * static_cast<double>(status.totalSteps - e.step)
                                         : 0;
            if (recorder) {
                if (e.kind == TrainEvent::Kind::Window) {
                    recorder->recordWindow(e);
                    if (recorder->snapshotDue(e.step)) {
                        recorder->recordSnapshot(e, *model);
                        emit snapshotRecorded(recording.dir, e.step);
                        checkRecorder();
                    }
                } else {
                    recorder->recordEpoch(e);
                }
            }
            if (e.kind == TrainEvent::Kind::Window) {
                pending.push_back({ e.step, static_cast<double>(e.tokens), e.seconds, e.loss, e.lr,
                    e.gradNorm, e.epoch });
                const auto now = Clock::now();
                if (first || now - lastEmit >= minInterval)
                    flush();
                if (now - lastEmbedding >= embeddingInterval)
                    sendEmbedding(e.step);
                if (autosave.intervalSeconds > 0 && !autosave.path.isEmpty()
                    && now - lastAutosave
                        >= std::chrono::duration<double>(autosave.intervalSeconds))
                    writeAutosave(e.step);
            } else {
                flush();
                emit epochFinished(EpochPoint { e.epoch, e.step, static_cast<double>(e.tokens),
                    e.seconds, e.trainLoss, e.validLoss, e.validPerplexity, e.lr, e.lrCut });
            }
        });
        if (recorder) {
            try {
                recorder->recordSnapshot(r.steps, *model);
                recorder->writeCheckpoint(*model, corpus->vocab, trainer->state(), config);
                recorder->finish(r.diverged ? "diverged"
                        : r.stopped         ? "stopped"
                                            : "finished",
                    r.steps);
                emit snapshotRecorded(recording.dir, r.steps);
            } catch (const std::exception &e) {
                if (recordError.isEmpty()) {
                    recordError = QString::fromStdString(e.what());
                    emit recordingFailed(recordError);
                }
            }
            checkRecorder();
        }
        summary = { r.trainLoss, r.validLoss, r.validPerplexity, r.tokensPerSec, r.seconds, r.steps,
            r.epochsCompleted, r.stopped, r.diverged, QString::fromStdString(r.message),
            QString::fromStdString(r.notice),
            std::make_shared<const TrainState<float>>(trainer->takeState()) };
        flush(); // the last points always arrive
        sendEmbedding(r.steps);
    } catch (const std::bad_alloc &) {
        error = tr("Not enough memory to train this model.");
    } catch (const std::exception &e) {
        error = QString::fromStdString(e.what());
    }
    if (error.isEmpty())
        emit finished(summary);
    else
        emit failed(error);
}

} // namespace embedlab
