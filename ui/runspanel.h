#pragma once
// The Runs list, like TensorBoard's run selector: one row per recorded run with a show/hide box,
// a colour swatch, the name and a status line. It only shows values and emits requests; the
// window reads and writes the run folders and answers with setRuns() / updateRun().
#include <QColor>
#include <QString>
#include <QStringList>
#include <QVector>
#include <QWidget>

class QLabel;
class QLineEdit;
class QListWidget;
class QListWidgetItem;
class QPoint;
class QStackedWidget;
class QToolButton;

namespace embedlab {

struct RunEntry
{
    QString id; // the run folder's path
    QString name;
    QString status; // running, stopped, finished, diverged, failed
    qint64 steps = 0;
    QString created; // ISO 8601, shown in the tooltip
    QString detail; // e.g. "GloVe 100d, frozen" or the corpus name
    QColor colour;
    bool visible = true; // its curve is drawn on the chart
    bool live = false; // being trained now: it cannot be deleted
};

class RunsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit RunsPanel(QWidget *parent = nullptr);
    ~RunsPanel() override;

    // Replaces the list; the selection is kept when its run is still present.
    void setRuns(const QVector<RunEntry> &runs);
    // Updates the row with `run.id` in place (steps and status change while training) without
    // touching selection or scroll; an unknown id is appended.
    void updateRun(const RunEntry &run);
    QVector<RunEntry> runs() const { return m_runs; }

    // The current run, empty when none is selected.
    QString selectedId() const;
    void setSelectedId(const QString &id);
    // Ids of the runs whose box is checked, in list order (filtered-out rows included).
    QStringList visibleIds() const;

    // The filter matches a case-insensitive plain substring of the name or the detail.
    QString filterText() const;
    void setFilterText(const QString &text);

    // Whether Compare can start a sibling now; `reason` (why not) becomes its tooltip.
    void setCompareAvailable(bool available, const QString &reason = QString());
    bool isCompareAvailable() const { return m_compareAvailable; }

    // The i-th colour of matplotlib's tab10 palette (TensorBoard's order), cycling; each reads
    // on light and dark backgrounds.
    static QColor runColour(int index);

signals:
    // Emitted when the current run changes; empty when none is selected.
    void selectionChanged(const QString &id);
    void visibilityChanged(const QStringList &visibleIds);
    // The panel keeps the old name until the window answers with updateRun().
    void renameRequested(const QString &id, const QString &name);
    // The window asks for confirmation and deletes; the live run is never among `ids`.
    void deleteRequested(const QStringList &ids);
    void colourChangeRequested(const QString &id, const QColor &colour);
    // Start a sibling of `id` that differs in one setting (the window opens the dialog).
    void compareRequested(const QString &id);

private:
    enum Role { IdRole = Qt::UserRole + 1, SecondaryRole, LiveRole };

    void fillItem(QListWidgetItem *item, const RunEntry &run);
    int indexOf(const QString &id) const;
    QListWidgetItem *itemFor(const QString &id) const;
    QStringList deletableSelection() const;
    void applyFilter();
    void updateEmptyState();
    void updateButtons();
    void emitSelectionIfChanged();
    void onItemChanged(QListWidgetItem *item);
    void commitName(const QString &id, const QString &name);
    void chooseColour(const QString &id);
    void requestDelete();
    void requestCompare();
    void showAll();
    void hideOthers();
    void showContextMenu(const QPoint &pos);
    bool eventFilter(QObject *watched, QEvent *event) override;

    QVector<RunEntry> m_runs;
    QLineEdit *m_filter = nullptr;
    QStackedWidget *m_stack = nullptr;
    QListWidget *m_list = nullptr;
    QLabel *m_emptyHint = nullptr;
    QLabel *m_noMatchHint = nullptr;
    QToolButton *m_showAllButton = nullptr;
    QToolButton *m_hideOthersButton = nullptr;
    QToolButton *m_compareButton = nullptr;
    QString m_lastSelectedId;
    QString m_compareReason; // why Compare is not available
    bool m_compareAvailable = true;
    bool m_filling = false; // items are being filled from m_runs: not the user's edits
};

} // namespace embedlab
