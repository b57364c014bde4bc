#include "ui/trainingcontroller.h"

#include "ui/backgroundtask.h"

namespace embedlab {

TrainingController::TrainingController(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<LossPoint>();
    qRegisterMetaType<QVector<LossPoint>>();
    qRegisterMetaType<EpochPoint>();
    qRegisterMetaType<TrainingStatus>();
    qRegisterMetaType<EmbeddingSnapshot>();
    qRegisterMetaType<TrainingSummary>();
    m_worker = new TrainingWorker;
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connectWorker();
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

std::shared_ptr<const TrainState<float>> TrainingController::pausedState() const
{
    if (!isPauseReached())
        return nullptr;
    return std::make_shared<const TrainState<float>>(m_trainer->state());
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
    postToThreadOf(this, std::move(f));
}

void TrainingController::connectWorker()
{
    // The worker emits on the training thread: each signal is handed over through deliver(), in
    // order, and goes out again from this object's thread.
    const auto onWorkerThread = Qt::DirectConnection;
    connect(
        m_worker, &TrainingWorker::progressAvailable, this,
        [this](const QVector<LossPoint> &points, const TrainingStatus &status) {
            deliver([this, points, status] { emit progressAvailable(points, status); });
        },
        onWorkerThread);
    connect(
        m_worker, &TrainingWorker::epochFinished, this,
        [this](const EpochPoint &epoch) { deliver([this, epoch] { emit epochFinished(epoch); }); },
        onWorkerThread);
    connect(
        m_worker, &TrainingWorker::embeddingAvailable, this,
        [this](const EmbeddingSnapshot &snapshot) {
            deliver([this, snapshot] { emit embeddingAvailable(snapshot); });
        },
        onWorkerThread);
    connect(
        m_worker, &TrainingWorker::pauseReached, this,
        [this] { deliver([this] { emit pauseReached(); }); }, onWorkerThread);
    connect(
        m_worker, &TrainingWorker::autosaved, this,
        [this](const QString &path, qint64 step) {
            deliver([this, path, step] { emit autosaved(path, step); });
        },
        onWorkerThread);
    connect(
        m_worker, &TrainingWorker::autosaveFailed, this,
        [this](
            const QString &message) { deliver([this, message] { emit autosaveFailed(message); }); },
        onWorkerThread);
    connect(
        m_worker, &TrainingWorker::snapshotRecorded, this,
        [this](const QString &dir, qint64 step) {
            deliver([this, dir, step] { emit snapshotRecorded(dir, step); });
        },
        onWorkerThread);
    connect(
        m_worker, &TrainingWorker::recordingFailed, this,
        [this](const QString &message) {
            deliver([this, message] { emit recordingFailed(message); });
        },
        onWorkerThread);
    connect(
        m_worker, &TrainingWorker::finished, this,
        [this](const TrainingSummary &summary) {
            deliver([this, summary] {
                m_running = false;
                m_trainer.reset();
                emit finished(summary);
            });
        },
        onWorkerThread);
    connect(
        m_worker, &TrainingWorker::failed, this,
        [this](const QString &error) {
            deliver([this, error] {
                m_running = false;
                m_trainer.reset();
                emit failed(error);
            });
        },
        onWorkerThread);
}

void TrainingController::start(std::shared_ptr<const Corpus> corpus,
    std::shared_ptr<LanguageModel<float>> model, const TrainConfig &config,
    std::shared_ptr<const TrainState<float>> state, const RunRecording &recording)
{
    if (m_running)
        return;
    std::shared_ptr<Trainer<float>> trainer;
    try {
        trainer = std::make_shared<Trainer<float>>(*model, config);
        if (state)
            trainer->resumeFrom(*state);
    } catch (const std::exception &e) {
        emit failed(QString::fromStdString(e.what()));
        return;
    }
    m_trainer = trainer;
    m_running = true;
    emit started();

    const Autosave autosave = m_autosave;
    postToThreadOf(
        m_worker, [worker = m_worker, corpus, model, trainer, config, autosave, recording] {
            // On the training thread; the worker's reports come back through connectWorker().
            worker->run(corpus, model, trainer, config, autosave, recording);
        });
}

} // namespace embedlab
