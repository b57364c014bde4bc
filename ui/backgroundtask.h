#pragma once
// The one way the window runs work off the GUI thread: a worker computes a value, the GUI
// thread receives it (or what went wrong), and a receiver destroyed meanwhile receives nothing.
#include <QFutureWatcher>
#include <QMetaObject>
#include <QObject>
#include <QString>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <new>
#include <utility>

namespace embedlab {

// Qt's thread pool and QFuture are not built with ThreadSanitizer, so the order they give a task
// and the GUI thread is invisible to it, and so is everything the task hands on to the engine's
// own threads (core/parallel.cpp). Passing a std::mutex at each hand-over makes the order one it
// sees: the GUI thread releases it before the task starts, the task takes it first and releases
// it with its result, and the GUI thread takes it before reading the result.
inline void backgroundHandoff()
{
    static std::mutex handoff;
    const std::lock_guard<std::mutex> lock(handoff);
}

// Runs f on `receiver`'s thread, through its event queue and so in order. Qt's queue already
// orders the two threads, but through locks ThreadSanitizer cannot see: a mutex held while the
// call is queued and taken by the call before it runs f makes the hand-over (a model, a corpus,
// snapshots) visible to it.
inline void postToThreadOf(QObject *receiver, std::function<void()> f)
{
    static std::mutex handoff;
    const std::lock_guard<std::mutex> lock(handoff);
    QMetaObject::invokeMethod(
        receiver,
        [f = std::move(f)] {
            {
                const std::lock_guard<std::mutex> handedOver(handoff);
            }
            f();
        },
        Qt::QueuedConnection);
}

// Runs `work` on a worker thread and calls `done(result, error)` on `receiver`'s thread: the
// result, or null and the message of what `work` threw ("Not enough memory." for bad_alloc).
// Nothing is thrown across the thread boundary. The watcher is a child of `receiver`, so once
// `receiver` is destroyed `done` is never called (the work itself runs to its end).
template <typename T>
void runInBackground(QObject *receiver, std::function<T()> work,
    std::function<void(std::shared_ptr<T>, QString)> done)
{
    struct Result
    {
        std::shared_ptr<T> value;
        QString error;
    };
    auto *watcher = new QFutureWatcher<Result>(receiver);
    QObject::connect(watcher, &QFutureWatcher<Result>::finished, receiver, [watcher, done] {
        backgroundHandoff();
        const Result r = watcher->result();
        watcher->deleteLater();
        done(r.value, r.error);
    });
    backgroundHandoff();
    watcher->setFuture(QtConcurrent::run([work = std::move(work)]() -> Result {
        backgroundHandoff();
        Result r;
        try {
            r.value = std::make_shared<T>(work());
        } catch (const std::bad_alloc &) {
            r.error = QObject::tr("Not enough memory.");
        } catch (const std::exception &e) {
            r.error = QString::fromStdString(e.what());
        }
        backgroundHandoff();
        return r;
    }));
}

// One task at a time for one receiver, the newest request winning: a request made while a task
// runs waits, and a later request replaces it, so a burst of requests (a table per training
// window, a query per keystroke) runs the first and the last. The task that ends is delivered
// even when a newer request waits (the receiver judges whether it is stale: a map frame is still
// worth showing, an answer to a replaced question is not); cancel() drops it instead.
class LatestTask
{
public:
    explicit LatestTask(QObject *receiver)
        : m_receiver(receiver)
    { }

    // `prepare` runs on the GUI thread when the task starts (so it reads the receiver's state as
    // it is then) and returns the work for the worker; `deliver(result, error)` runs on the GUI
    // thread when the work ends, as runInBackground's `done`.
    template <typename T>
    void request(std::function<std::function<T()>()> prepare,
        std::function<void(std::shared_ptr<T>, QString)> deliver)
    {
        m_waiting = [this, prepare = std::move(prepare), deliver = std::move(deliver)] {
            const quint64 generation = ++m_generation;
            runInBackground<T>(m_receiver, prepare(),
                [this, generation, deliver](std::shared_ptr<T> r, QString e) {
                    m_running = false;
                    if (generation == m_generation)
                        deliver(std::move(r), std::move(e));
                    startWaiting();
                });
        };
        if (!m_running)
            startWaiting();
    }

    bool isRunning() const { return m_running; }
    bool hasWaiting() const { return static_cast<bool>(m_waiting); }
    // Forgets the waiting request, and the task in flight delivers nothing.
    void cancel()
    {
        m_waiting = nullptr;
        ++m_generation;
    }

private:
    void startWaiting()
    {
        if (!m_waiting)
            return;
        m_running = true;
        auto start = std::exchange(m_waiting, nullptr);
        start();
    }

    QObject *m_receiver;
    std::function<void()> m_waiting;
    bool m_running = false;
    quint64 m_generation = 0;
};

} // namespace embedlab
