#include "ui/trainingworker.h"

#include "core/checkpoint.h"
#include "core/pretrained.h"

#include <chrono>
#include <cmath>

namespace embedlab {

void TrainingWorker::run(std::shared_ptr<const Corpus> corpus,
    std::shared_ptr<LanguageModel<float>> model, std::shared_ptr<Trainer<float>> trainer,
    const TrainConfig &config, const AutosaveSettings &autosave)
{
    using Clock = std::chrono::steady_clock;
    const auto minInterval = std::chrono::milliseconds(1000 / MaxUpdatesPerSecond);
    const auto embeddingInterval = std::chrono::milliseconds(1000 / MaxEmbeddingCopiesPerSecond);
    Clock::time_point lastEmit, lastEmbedding;
    bool first = true;
    QVector<LossPoint> pending;
    TrainingStatus status;
    status.epochs = config.epochs;
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
            saveCheckpoint(autosave.path.toStdString(), *model, corpus->vocab, autosave.tokenizer,
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
            status.totalSteps = config.maxSteps > 0
                ? std::min<qint64>(config.maxSteps, e.windowsPerEpoch * config.epochs)
                : e.windowsPerEpoch * config.epochs;
            status.etaSeconds = e.step > 0
                ? e.seconds / e.step * static_cast<double>(status.totalSteps - e.step)
                : 0;
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
        summary = { r.trainLoss, r.validLoss, r.validPerplexity, r.tokensPerSec, r.seconds, r.steps,
            r.epochsCompleted, r.stopped, r.diverged, QString::fromStdString(r.message) };
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
