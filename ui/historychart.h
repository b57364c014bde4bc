#pragma once
// The history chart: how a run's embedding settled, one point per recorded snapshot against the
// step: the neighbourhood overlap with the snapshot before (left axis) and the analogy accuracy
// (right axis), both 0..1, drawn with QCustomPlot. The figures come from core/runhistory.h.
#include <QString>
#include <QWidget>

#include "core/runhistory.h"

class QCPGraph;
class QCustomPlot;
class QLabel;
class QPushButton;
class QStackedWidget;

namespace embedlab {

class HistoryChart : public QWidget
{
    Q_OBJECT
public:
    explicit HistoryChart(QWidget *parent = nullptr);

    // The figures of the run named `run` (in the title); replaces what was shown. The accuracy
    // curve and its axis show when the history was evaluated with an analogy file.
    void setHistory(const QString &run, const RunHistory &history);
    // Nothing to show: the empty state, which says what the chart shows and how to get it.
    void clear();
    // A line under the chart: what is being computed, or why it could not be.
    void setStatus(const QString &text);
    QString status() const;

    const RunHistory &history() const { return m_history; }
    bool isEmpty() const;
    int overlapPointCount() const;
    int accuracyPointCount() const;
    // The accuracy curve's legend entry: the file and how many questions it is of.
    QString accuracyName() const;

signals:
    // The "Analogy file…" button: the window asks for a questions file.
    void analogiesRequested();

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyPalette();
    void updateTitle();

    RunHistory m_history;
    QString m_run;
    QStackedWidget *m_stack = nullptr;
    QLabel *m_empty = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_analogiesButton = nullptr;
    QCustomPlot *m_plot = nullptr;
    QCPGraph *m_overlapGraph = nullptr;
    QCPGraph *m_accuracyGraph = nullptr;
};

} // namespace embedlab
