#pragma once
// The embedding map: a 2D projection of the current table (the live model's embedding or imported
// vectors) in QCustomPlot, by one of the methods of core/projection.h (PCA today). The most
// frequent words are labelled, the rest are points coloured by frequency; hover shows the word, a
// click selects it and draws lines to its nearest neighbours in the full space. Projections run on
// a worker thread, the newest request wins, and during training each frame is aligned to the
// previous one (Procrustes) so the map moves smoothly instead of flipping.
//
// A recorded run's history: the map projects every recorded step once, on a worker thread, the
// step asked for first and then the others outward from the steps already projected, each frame
// aligned to its nearest projected neighbour, so that scrubbing only redraws. Chosen words leave
// trails: their places over the projected steps.
#include <QColor>
#include <QMap>
#include <QStringList>
#include <QVector>
#include <QWidget>

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "core/wordvectors.h"
#include "ui/backgroundtask.h"

class QCPCurve;
class QCPGraph;
class QCPItemText;
class QComboBox;
class QCompleter;
class QCustomPlot;
class QLabel;
class QLineEdit;
class QMouseEvent;
class QSpinBox;
class QStringListModel;
class QToolButton;

namespace embedlab {

class EmbeddingMap : public QWidget
{
    Q_OBJECT
public:
    static constexpr int Components = 4; // PC1..PC4 are computed; two are shown

    explicit EmbeddingMap(QWidget *parent = nullptr);
    ~EmbeddingMap() override;

    // Projects `table` (its first maxPoints() rows). `live` aligns the new frame to the last one.
    void setTable(std::shared_ptr<const WordVectors> table, const QString &source, bool live);
    void clear();

    int maxPoints() const { return m_maxPoints; }
    void setMaxPoints(int n);
    int labelCount() const;
    void setLabelCount(int n);
    // Which components are on the axes (0-based), e.g. (0, 1) for PC1/PC2.
    void setAxes(int x, int y);

    void selectWord(const QString &word); // centres it and draws its neighbour lines
    QString selectedWord() const { return m_selected; }
    int pointCount() const { return m_coords.rows(); }
    // Labels drawn at the current zoom (a label that would overlap a more important one is hidden).
    int visibleLabelCount() const;
    // Plot coordinates of a word in the current frame (NaN when not shown).
    QPointF position(const QString &word) const;
    QString wordAt(const QPointF &pixel) const; // nearest point within a few pixels, or ""
    QCustomPlot *plot() const { return m_plot; }

    // The recorded steps of a run (ascending) and how to read the table of one on a worker
    // thread. Another id forgets the frames projected for the one before; the same id keeps
    // them and adds the new steps (a live run).
    using StepLoader = std::function<WordVectors(qint64 step)>;
    void setHistory(const QString &id, const QVector<qint64> &steps, StepLoader loader);
    void clearHistory();
    QString historyId() const { return m_history.id; }
    // Shows the recorded `step`: at once when it is projected already, else as soon as it is
    // (it goes before the others). historyTableAvailable follows with its table.
    void showHistoryStep(qint64 step, const QString &source);
    qint64 historyStep() const { return m_history.wanted; } // -1 when not showing one
    bool isHistoryFrameReady(qint64 step) const;
    int historyFramesReady() const { return static_cast<int>(m_history.frames.size()); }

    // Trails: a word's path over the projected steps, up to the step shown.
    void setTrail(const QString &word, bool shown);
    QStringList trailWords() const { return m_trails.keys(); }
    // Plot coordinates of the word at each projected step, in step order.
    QVector<QPointF> trail(const QString &word) const;

    bool exportImage(const QString &path); // .png or .pdf by suffix
    bool exportCoordinates(const QString &path); // TSV: word, frequency rank, PC1..PC4

signals:
    void projectionUpdated();
    void wordSelected(const QString &word);
    void busyChanged(bool busy);
    // The table of the recorded step shown (showHistoryStep), for views that need it too.
    void historyTableAvailable(qint64 step, std::shared_ptr<const WordVectors> table);
    // Projected frames of the history, of `total`.
    void historyProgress(int ready, int total);
    void trailsChanged();

protected:
    void changeEvent(QEvent *event) override;

private:
    // No table: the map says how to get one, its axes unlabelled.
    void showEmpty();
    struct Frame;
    void requestProjection();
    void showFrame(std::shared_ptr<Frame> frame);
    void redraw(bool keepView);
    void layoutLabels();
    void updateNeighborLines();
    void applyPalette();
    void onMouseMove(QMouseEvent *event);
    void onMousePress(QMouseEvent *event);
    void showContextMenu(const QPoint &pos);
    void updateNeighborRows();
    void updateTrailButton();
    void scheduleHistory();
    void showHistoryFrame();
    void drawTrails();
    std::shared_ptr<Frame> makeHistoryFrame(qint64 step) const;

    QCustomPlot *m_plot;
    QComboBox *m_axes;
    QSpinBox *m_labels;
    QLineEdit *m_search;
    QStringListModel *m_words;
    QLabel *m_info;
    QToolButton *m_trailButton;
    QVector<QCPGraph *> m_bands; // points by frequency band
    QCPGraph *m_selectedGraph = nullptr;
    QVector<QCPItemText *> m_labelItems; // frequent words, most frequent first
    QVector<QCPItemText *> m_neighborItems; // the selected word and its neighbours

    std::shared_ptr<const WordVectors> m_table; // newest requested
    std::shared_ptr<Frame> m_frame; // shown
    QString m_source;
    bool m_live = false;
    LatestTask m_projection { this };
    std::string m_method = "pca"; // an id of projectionMethods()
    int m_maxPoints = 20000;
    int m_axisX = 0, m_axisY = 1;
    RowMatrixXf m_coords; // (n, Components) of the shown frame
    QString m_selected;
    QVector<int> m_neighborRows;
    bool m_fitted = false;
    bool m_followData = true; // refit the view to every new frame

    struct HistoryFrame
    {
        RowMatrixXf coords; // (n, Components)
        Eigen::VectorXf ratio;
        QString axisPrefix;
        std::shared_ptr<const WordVectors> table; // kept for the newest few frames shown
    };
    struct History
    {
        QString id;
        QVector<qint64> steps;
        StepLoader loader;
        std::map<qint64, HistoryFrame> frames;
        std::vector<int> order, rank; // as Frame's: the vocabulary is the run's throughout
        std::shared_ptr<const WordVectors> words; // a table of the run: its words and counts
        QVector<qint64> tablesKept; // steps whose table is kept, oldest first
        std::set<qint64> failed; // steps whose table could not be read
        qint64 wanted = -1;
        qint64 delivered = -1; // the step whose table historyTableAvailable gave last
        QString source;
        quint64 generation = 0;
        bool running = false;
        std::size_t rows = 0;
        std::string method;
    };
    History m_history;
    QMap<QString, QColor> m_trails;
    QVector<QCPCurve *> m_trailCurves;
};

} // namespace embedlab
