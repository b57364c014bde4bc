#pragma once
// Evaluate the table the map shows (the model's embedding, a recorded step, imported vectors) as
// gensim does: word-pair similarity (Pearson, Spearman, out-of-vocabulary ratio, as
// evaluate_word_pairs) and analogy questions (accuracy per section and in total, as
// evaluate_word_analogies, with 3CosAdd or 3CosMul). Work runs on a worker thread; analogies show
// progress and can be cancelled. Each result names the table it was computed on, since the model's
// table moves on while training.
#include <QDialog>

#include <atomic>
#include <memory>

#include "core/analogy.h"
#include "core/wordpairs.h"
#include "core/wordvectors.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTabWidget;
class QTableWidget;
class QTimer;

namespace embedlab {

class EvaluateDialog : public QDialog
{
    Q_OBJECT
public:
    explicit EvaluateDialog(QWidget *parent = nullptr);
    ~EvaluateDialog() override;

    // The table to evaluate; `source` names it ("model, step 1200", "glove.txt"). Null: none.
    void setTable(std::shared_ptr<const WordVectors> table, const QString &source);

    void setPairsFile(const QString &path);
    void setQuestionsFile(const QString &path);
    void setRestrict(int rows); // 0 = every row
    void setCaseInsensitive(bool on);
    void setMethod(AnalogyMethod method);
    void showPairs(); // the Word pairs tab
    void showAnalogies(); // the Analogies tab

    void evaluatePairs();
    void evaluateAnalogies();
    void cancel(); // stops the analogy evaluation at its next question

    bool isBusy() const { return m_busy; }
    // What the result area says: the figures, or why there are none.
    QString pairsResultText() const;
    QString analogyStatusText() const;
    // The per-section table: one row per section, then the total.
    QTableWidget *analogyTable() const { return m_sections; }

signals:
    void pairsEvaluated(bool ok);
    void analogiesEvaluated(bool ok);

private:
    void setBusy(bool busy);
    void showAnalogyResult(const AnalogyEvaluation &result, const QString &source);
    void browse(QLineEdit *edit, const QString &title, const QString &filter);

    std::shared_ptr<const WordVectors> m_table;
    QString m_source;
    quint64 m_generation = 0; // bumped when the table goes away: a result on its way is dropped
    bool m_busy = false;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    std::shared_ptr<std::atomic<int>> m_permille;

    QLabel *m_tableLabel;
    QTabWidget *m_tabs;
    QSpinBox *m_restrict;
    QCheckBox *m_caseInsensitive;
    QLineEdit *m_pairsFile;
    QPushButton *m_pairsButton;
    QLabel *m_pairsResult;
    QLineEdit *m_questionsFile;
    QComboBox *m_method;
    QPushButton *m_analogyButton;
    QPushButton *m_cancelButton;
    QProgressBar *m_progress;
    QLabel *m_analogyStatus;
    QTableWidget *m_sections;
    QTimer *m_progressTimer;
};

} // namespace embedlab
