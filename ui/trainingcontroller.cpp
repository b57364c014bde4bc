#include "ui/trainingcontroller.h"

#include "core/checkpoint.h"
#include "core/pretrained.h"

#include <QMetaObject>

#include <chrono>
#include <cmath>
#include <mutex>

namespace embedlab {

namespace {
// Held while a call is queued to the other thread, and taken by that call before it reads
// anything. Qt's event queue already orders the two, but through locks ThreadSanitizer cannot
// see; this makes the hand-over (the model, the corpus, the snapshots) visible to it. Not a
// member: the queued call would have to read its captured `this` before taking it.
std::mutex g_handoff;
} // namespace

TrainingController::TrainingController(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<LossPoint>();
    qRegisterMetaType<QVector<LossPoint>>();
    qRegisterMetaType<EpochPoint>();
    qRegisterMetaType<TrainingStatus>();
    qRegisterMetaType<EmbeddingSnapshot>();
    qRegisterMetaType<TrainingSummary>();
    m_worker = new QObject;
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.setObjectName(QStringLiteral("training"));
    m_thread.start();
}

TrainingController::~TrainingController()
{
    stop();
    m_thread.quit();
    m_thread.wait();
}

bool TrainingController::isPaused() const
{
    return m_trainer && m_trainer->isPaused();
}

bool TrainingController::isPauseReached() const
{
    return m_running && m_trainer && m_trainer->isHeldByPause();
}

void TrainingController::pause()
{
    if (m_running && m_trainer && !m_trainer->isPaused()) {
        m_trainer->setPaused(true);
        emit pausedChanged(true);
    }
}

void TrainingController::resume()
{
    if (m_running && m_trainer && m_trainer->isPaused()) {
        m_trainer->setPaused(false);
        emit pausedChanged(false);
    }
}

void TrainingController::stop()
{
    if (m_trainer)
        m_trainer->requestStop(); // also wakes a paused run
}

void TrainingController::deliver(std::function<void()> f)
{
    std::lock_guard<std::mutex> handoff(g_handoff);
    QMetaObject::invokeMethod(
        this,
        [this, f = std::move(f)] {
            {
                std::lock_guard<std::mutex> handedOver(g_handoff);
            }
            f();
        },
        Qt::QueuedConnection);
}

void TrainingController::start(std::shared_ptr<const Corpus> corpus,
    std::shared_ptr<LanguageModel<float>> model, const TrainConfig &config)
{
    if (m_running)
        return;
    std::shared_ptr<Trainer<float>> trainer;
    try {
        trainer = std::make_shared<Trainer<float>>(*model, config);
    } catch (const std::exception &e) {
        emit failed(QString::fromStdString(e.what()));
        return;
    }
    m_trainer = trainer;
    m_running = true;
    emit started();

    const Autosave autosave = m_autosave;
    std::lock_guard<std::mutex> handoff(g_handoff);
    QMetaObject::invokeMethod(
        m_worker,
        [this, corpus, model, trainer, config, autosave] {
            // Runs on the training thread; what it reports goes back through deliver().
            {
                std::lock_guard<std::mutex> handedOver(g_handoff);
            }
            using Clock = std::chrono::steady_clock;
            const auto minInterval = std::chrono::milliseconds(1000 / MaxUpdatesPerSecond);
            const auto embeddingInterval
                = std::chrono::milliseconds(1000 / MaxEmbeddingCopiesPerSecond);
            Clock::time_point lastEmit, lastEmbedding;
            bool first = true;
            QVector<LossPoint> pending;
            TrainingStatus status;
            status.epochs = config.epochs;
            qint64 embeddingStep = -1;
            auto sendEmbedding = [&](qint64 step) {
                embeddingStep = step;
                auto table = std::make_shared<const WordVectors>(
                    embeddingTable(*model, corpus->vocab, false));
                deliver([this, snapshot = EmbeddingSnapshot { step, std::move(table) }] {
                    emit embeddingAvailable(snapshot);
                });
                lastEmbedding = Clock::now();
            };
            Clock::time_point lastAutosave = Clock::now();
            auto writeAutosave = [&](qint64 step) {
                lastAutosave = Clock::now();
                try {
                    saveCheckpoint(autosave.path.toStdString(), *model, corpus->vocab,
                        autosave.tokenizer, { { "embedlab.autosave_step", std::to_string(step) } });
                    deliver([this, path = autosave.path, step] { emit autosaved(path, step); });
                } catch (const std::exception &e) {
                    deliver([this, message = QString::fromStdString(e.what())] {
                        emit autosaveFailed(message);
                    });
                }
            };
            auto flush = [&] {
                deliver(
                    [this, points = pending, status] { emit progressAvailable(points, status); });
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
                deliver([this] { emit pauseReached(); });
            });
            TrainingSummary summary;
            QString error;
            try {
                const TrainResult r
                    = trainer->run(corpus->train, corpus->valid, [&](const TrainEvent &e) {
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
                              pending.push_back({ e.step, static_cast<double>(e.tokens), e.seconds,
                                  e.loss, e.lr, e.gradNorm, e.epoch });
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
                              deliver([this,
                                          epoch = EpochPoint { e.epoch, e.step,
                                              static_cast<double>(e.tokens), e.seconds, e.trainLoss,
                                              e.validLoss, e.validPerplexity, e.lr, e.lrCut }] {
                                  emit epochFinished(epoch);
                              });
                          }
                      });
                summary = { r.trainLoss, r.validLoss, r.validPerplexity, r.tokensPerSec, r.seconds,
                    r.steps, r.epochsCompleted, r.stopped, r.diverged,
                    QString::fromStdString(r.message) };
                flush(); // the last points always arrive
                sendEmbedding(r.steps);
            } catch (const std::bad_alloc &) {
                error = tr("Not enough memory to train this model.");
            } catch (const std::exception &e) {
                error = QString::fromStdString(e.what());
            }
            deliver([this, summary, error] {
                m_running = false;
                m_trainer.reset();
                if (error.isEmpty())
                    emit finished(summary);
                else
                    emit failed(error);
            });
        },
        Qt::QueuedConnection);
}

} // namespace embedlab
