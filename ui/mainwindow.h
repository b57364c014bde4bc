#pragma once
// The main window: opens a corpus on a worker thread and shows what the engine made of it.
#include <QFutureWatcher>
#include <QMainWindow>

#include <memory>

#include "core/corpus.h"

class QLabel;
class QTableWidget;

namespace embedlab {

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    void openCorpus(const QString &path);
    void openSampleCorpus();
    // The corpus shown, or nullptr before the first one has loaded.
    const Corpus *corpus() const { return m_corpus.get(); }

signals:
    void corpusLoaded();
    void corpusFailed(const QString &message);

private:
    void startLoad(const QString &displayName, std::function<Corpus()> load);
    void onLoadFinished();
    void showCorpus();
    void chooseCorpus();
    void showAbout();

    QLabel *m_summary = nullptr;
    QTableWidget *m_words = nullptr;
    std::shared_ptr<Corpus> m_corpus;
    // The worker never throws across the thread boundary: it hands back a corpus or a message.
    struct LoadResult {
        std::shared_ptr<Corpus> corpus;
        QString error;
    };
    QFutureWatcher<LoadResult> m_watcher;
    QString m_loadingName;
};

} // namespace embedlab
