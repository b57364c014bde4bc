#pragma once
// Nearest neighbours and analogies over the current table (the live model's embedding or
// imported vectors). Queries run on a worker thread; a newer query or table replaces a pending
// one, and the shown query is re-run whenever the table changes (live during training).
#include <QWidget>

#include <memory>

#include "core/neighbors.h"
#include "core/wordvectors.h"
#include "ui/backgroundtask.h"

class QComboBox;
class QCompleter;
class QLabel;
class QLineEdit;
class QSpinBox;
class QStringListModel;
class QTableWidget;

namespace embedlab {

class NeighborsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit NeighborsPanel(QWidget *parent = nullptr);
    ~NeighborsPanel() override;

    // The table to query; `source` names it for the user ("model, step 1200", "glove.txt").
    void setTable(std::shared_ptr<const WordVectors> table, const QString &source);
    // No table: the results and the status go back to how the panel starts.
    void clear();
    std::shared_ptr<const WordVectors> table() const { return m_table; }

    void query(const QString &word);
    void queryAnalogy(const QString &a, const QString &b, const QString &c);
    QString currentWord() const;
    // The words and scores shown, best first.
    QList<QPair<QString, double>> results() const;

signals:
    void resultsChanged();
    void wordActivated(const QString &word);

private:
    struct Request
    {
        enum Kind { None, Word, Analogy } kind = None;
        QString word, a, b, c;
        bool operator==(const Request &o) const
        {
            return kind == o.kind && word == o.word && a == o.a && b == o.b && c == o.c;
        }
    };
    void run();
    void showResults(const std::vector<Neighbor> &neighbors, const QString &error);
    void updateCompleter();

    QLineEdit *m_query;
    QSpinBox *m_k;
    QComboBox *m_metric;
    QLineEdit *m_plusB, *m_minusA, *m_plusC;
    QTableWidget *m_results;
    QLabel *m_status;
    QCompleter *m_completer;
    QStringListModel *m_words;

    std::shared_ptr<const WordVectors> m_table;
    QString m_source;
    Request m_request;
    bool m_autoQuery = false; // m_request was picked for the user, not asked for
    LatestTask m_queries { this };
    Request m_asked; // the query in flight
    std::shared_ptr<const WordVectors> m_askedTable; // and its table
    // The index built for m_table (kept together: the index refers to the table).
    struct Indexed;
    std::shared_ptr<Indexed> m_indexed;
};

} // namespace embedlab
