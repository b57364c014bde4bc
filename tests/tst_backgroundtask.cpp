// The window's one helper for work off the GUI thread (ui/backgroundtask.h): results and errors
// arrive on the GUI thread, a destroyed receiver gets nothing, and the newest request wins.
#include <QtTest>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "ui/backgroundtask.h"

using namespace embedlab;

class TestBackgroundTask : public QObject
{
    Q_OBJECT

private slots:
    void resultArrivesOnTheGuiThread();
    void exceptionsBecomeMessages();
    void destroyedReceiverGetsNothing();
    void newestRequestWins();
    void cancelDropsTheTaskInFlight();
};

void TestBackgroundTask::resultArrivesOnTheGuiThread()
{
    QObject receiver;
    std::atomic<bool> onWorker { false };
    const auto gui = QThread::currentThread();
    bool delivered = false;
    runInBackground<int>(
        &receiver,
        [&] {
            onWorker = QThread::currentThread() != gui;
            return 42;
        },
        [&](std::shared_ptr<int> value, QString error) {
            QCOMPARE(QThread::currentThread(), gui);
            QVERIFY(value && error.isEmpty());
            QCOMPARE(*value, 42);
            delivered = true;
        });
    QTRY_VERIFY_WITH_TIMEOUT(delivered, 10000);
    QVERIFY(onWorker.load());
}

void TestBackgroundTask::exceptionsBecomeMessages()
{
    QObject receiver;
    QStringList errors;
    int nulls = 0;
    auto done = [&](std::shared_ptr<int> value, QString error) {
        nulls += value == nullptr;
        errors << error;
    };
    runInBackground<int>(
        &receiver, []() -> int { throw std::runtime_error("glove.txt line 3: bad"); }, done);
    QTRY_COMPARE_WITH_TIMEOUT(errors.size(), 1, 10000);
    runInBackground<int>(
        &receiver, []() -> int { throw std::bad_alloc(); }, done);
    QTRY_COMPARE_WITH_TIMEOUT(errors.size(), 2, 10000);
    QCOMPARE(errors, (QStringList { "glove.txt line 3: bad", "Not enough memory." }));
    QCOMPARE(nulls, 2);
}

void TestBackgroundTask::destroyedReceiverGetsNothing()
{
    std::atomic<bool> release { false }, finished { false };
    bool called = false;
    {
        QObject receiver;
        runInBackground<int>(
            &receiver,
            [&] {
                while (!release.load())
                    std::this_thread::sleep_for(std::chrono::milliseconds(1));
                finished = true;
                return 1;
            },
            [&](std::shared_ptr<int>, QString) { called = true; });
    } // the receiver goes while the work runs
    release = true;
    QTRY_VERIFY_WITH_TIMEOUT(finished.load(), 10000);
    QTest::qWait(100); // room for a (wrong) delivery
    QVERIFY(!called);
}

void TestBackgroundTask::newestRequestWins()
{
    QObject receiver;
    LatestTask task(&receiver);
    std::atomic<bool> release { false };
    QList<int> prepared, delivered;
    auto request = [&](int n) {
        task.request<int>(
            [&, n]() -> std::function<int()> {
                prepared << n; // on the GUI thread, when the task starts
                return [&, n] {
                    while (n == 0 && !release.load())
                        std::this_thread::sleep_for(std::chrono::milliseconds(1));
                    return n;
                };
            },
            [&](std::shared_ptr<int> v, QString) { delivered << *v; });
    };
    request(0);
    QVERIFY(task.isRunning());
    for (int n = 1; n <= 9; ++n)
        request(n); // each replaces the one waiting
    QVERIFY(task.hasWaiting());
    QCOMPARE(prepared, QList<int> { 0 });
    release = true;
    QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), 2, 10000);
    QCOMPARE(delivered, (QList<int> { 0, 9 }));
    QCOMPARE(prepared, (QList<int> { 0, 9 }));
    QTRY_VERIFY_WITH_TIMEOUT(!task.isRunning(), 10000);
    QVERIFY(!task.hasWaiting());
}

void TestBackgroundTask::cancelDropsTheTaskInFlight()
{
    QObject receiver;
    LatestTask task(&receiver);
    std::atomic<bool> release { false }, ran { false };
    int delivered = 0;
    task.request<int>(
        [&]() -> std::function<int()> {
            return [&] {
                while (!release.load())
                    std::this_thread::sleep_for(std::chrono::milliseconds(1));
                ran = true;
                return 1;
            };
        },
        [&](std::shared_ptr<int>, QString) { ++delivered; });
    task.request<int>([]() -> std::function<int()> { return [] { return 2; }; },
        [&](std::shared_ptr<int>, QString) { ++delivered; });
    task.cancel();
    QVERIFY(!task.hasWaiting());
    release = true;
    QTRY_VERIFY_WITH_TIMEOUT(ran.load(), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!task.isRunning(), 10000);
    QTest::qWait(50);
    QCOMPARE(delivered, 0);
    // A request after the cancel runs as usual.
    task.request<int>([]() -> std::function<int()> { return [] { return 3; }; },
        [&](std::shared_ptr<int> v, QString) { delivered = *v; });
    QTRY_COMPARE_WITH_TIMEOUT(delivered, 3, 10000);
}

QTEST_MAIN(TestBackgroundTask)
#include "tst_backgroundtask.moc"
