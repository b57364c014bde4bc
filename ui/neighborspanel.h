#pragma once
// Nearest neighbours, analogies with several positive and negative words (3CosAdd or 3CosMul),
// the similarity of two words and the odd one out, over the current table (the live model's
// embedding or imported vectors), optionally among the N most frequent words; a word not in the
// vocabulary gets "did you mean" links. Queries run on a worker thread; a newer query or table
// replaces a pending one, and the shown query is re-run whenever the table changes (live during
// training).
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
    QString tableSource() const { return m_source; }

    void query(const QString &word);
    // b - a + c: queryWords({b, c}, {a}).
    void queryAnalogy(const QString &a, const QString &b, const QString &c);
    // gensim's most_similar(positive, negative) (or most_similar_cosmul with the 3CosMul method).
    void queryWords(const QStringList &positive, const QStringList &negative);
    // The cosine similarity of two words, shown in the status line.
    void querySimilarity(const QString &a, const QString &b);
    // gensim's doesnt_match: the words ranked by similarity to their mean, the odd one last.
    void queryDoesntMatch(const QStringList &words);
    // 3CosAdd or 3CosMul for queryWords and queryAnalogy.
    void setMethod(AnalogyMethod method);
    // Search only the n most frequent words (0: all).
    void setRestrict(int n);
    QString currentWord() const;
    // The words and scores shown, best first.
    QList<QPair<QString, double>> results() const;
    // The status line (what was asked, or the error) and the words offered by "did you mean".
    QString statusText() const;
    QStringList suggestions() const;
    // The similarity of the last querySimilarity, NaN before one is answered.
    double similarityShown() const { return m_similarity; }

signals:
    void resultsChanged();
    void tableChanged(); // setTable or clear
    void wordActivated(const QString &word);
    // The answer to a word the user asked for (not one the panel picked to start with) is shown:
    // its neighbours, or that it is not in the table. `word` as answered (in the table's case).
    void wordAnswered(const QString &word);

private:
    struct Request
    {
        enum Kind { None, Word, Words, Similarity, DoesntMatch } kind = None;
        QString word; // Word
        QStringList positive, negative; // Words; DoesntMatch: positive; Similarity: two words
        bool operator==(const Request &o) const
        {
            return kind == o.kind && word == o.word && positive == o.positive
                && negative == o.negative;
        }
    };
    struct Answer;
    void run();
    void showResults(const Answer &answer, const QString &error);
    void replaceWord(const QString &unknown, const QString &suggestion);
    void updateCompleter();

    QLineEdit *m_query;
    QSpinBox *m_k;
    QComboBox *m_metric;
    QLineEdit *m_positive, *m_negative;
    QComboBox *m_method;
    QSpinBox *m_restrict;
    QLineEdit *m_simA, *m_simB, *m_oddWords;
    QTableWidget *m_results;
    QLabel *m_status;
    QLabel *m_suggest; // "Did you mean" links
    QString m_unknown; // the word the links would replace
    QStringList m_suggestions;
    double m_similarity;
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
