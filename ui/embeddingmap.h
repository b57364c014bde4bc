#pragma once
// The embedding map: a 2D or 3D projection of the current table (the live model's embedding or
// imported vectors) in QCustomPlot, by one of the methods of core/projection.h (PCA, t-SNE, UMAP
// or custom axes named by words). The most frequent words are labelled, the rest are points
// coloured by frequency; hover shows the word, a click selects it and draws lines to its nearest
// neighbours in the full space. A 3D map turns as the mouse drags it, the nearer points drawn
// larger and stronger. Projections run on a worker thread, the newest request wins; an iterative
// method shows its progress and its positions as it goes, and can be cancelled. During training
// each frame starts from (or, for PCA, is aligned to) the previous one, so the map moves smoothly
// instead of flipping. Under the map: how many of the table's words it shows (a limit the user
// sets, by frequency) and how well it keeps their nearest neighbours.
//
// A recorded run's history: the map projects every recorded step once, on a worker thread, the
// step asked for first and then the others outward from the steps already projected, each frame
// aligned to its nearest projected neighbour, so that scrubbing only redraws. Chosen words leave
// trails: their places over the projected steps.
#include <QColor>
#include <QMap>
#include <QRegularExpression>
#include <QStringList>
#include <QVector>
#include <QWidget>

#include <atomic>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/wordmetadata.h"
#include "core/wordvectors.h"

#include "ui/backgroundtask.h"
#include <Eigen/Dense>

class QCPCurve;
class QCPGraph;
class QCPItemText;
class QComboBox;
class QCompleter;
class QCustomPlot;
class QHBoxLayout;
namespace embedlab {
class FlowLayout;
}
class QLabel;
class QLineEdit;
class QMouseEvent;
class QProgressBar;
class QTimer;
class QSpinBox;
class QStringListModel;
class QToolButton;

namespace embedlab {

// WCAG 2's contrast ratio of two colours (1 to 21), and `c` darkened (on a light background) or
// lightened (on a dark one), keeping its hue, until text in it reaches 4.5:1.
double contrastRatio(const QColor &a, const QColor &b);
QColor readableOn(QColor c, const QColor &background);

class EmbeddingMap : public QWidget
{
    Q_OBJECT
public:
    static constexpr int Components = 4; // PC1..PC4 are computed; two are shown

    explicit EmbeddingMap(QWidget *parent = nullptr);
    ~EmbeddingMap() override;

    // Projects `table` (its first maxPoints() rows). `live` starts the new frame from the last one.
    void setTable(std::shared_ptr<const WordVectors> table, const QString &source, bool live);
    void clear();
    // The whole table shown (of a recorded step, when the map shows one), null before any.
    std::shared_ptr<const WordVectors> table() const { return m_table; }
    // Puts `widget` first on the map's top line, before the method (the window's "Showing" box).
    void addHeaderWidget(QWidget *widget);

    // The method, an id of projectionMethods(): "pca", "tsne", "umap" or "custom".
    void setMethod(const QString &id);
    QString method() const { return QString::fromStdString(m_method); }
    void setDimensions(int dims); // 2 or 3
    int dimensions() const { return m_dims; }
    // Custom axes: a direction in words per axis ("man - woman"), across, up and (3D) depth.
    void setCustomAxes(const QStringList &axes);
    QStringList customAxes() const { return m_customAxes; }
    // How many of the table's first (most frequent) rows the map shows, 0 for all of them. Each
    // method keeps its own: PCA shows all by default, t-SNE and UMAP 10,000.
    int maxPoints() const { return m_maxPoints; }
    void setMaxPoints(int n);
    // 3D: turns the view by these angles (radians) about the screen's vertical axis (yaw) and its
    // horizontal one (pitch), as a drag does.
    void rotate(double yaw, double pitch);
    // Depth of a word in the 3D view, larger nearer the viewer (NaN when not shown or in 2D).
    double depth(const QString &word) const;
    bool isProjecting() const;
    void cancelProjection(); // an iterative method stops; the map keeps its positions so far
    // The share of the 10 nearest neighbours in the full space that stay among the 10 nearest on
    // the map, over a sample of the words shown; NaN until measured for the frame shown.
    double neighborPreservation() const { return m_preservation; }
    int labelCount() const;
    void setLabelCount(int n);
    // Which components are on the axes (0-based), e.g. (0, 1) for PC1/PC2.
    void setAxes(int x, int y);

    void selectWord(const QString &word); // centres it and draws its neighbour lines
    // Empties the search box (another model or table: the word typed was of the one before).
    void clearSearch();
    QString searchText() const;
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

    // Colours the words by class instead of frequency: rowClass[i] is the class of the table's
    // row i, -1 for none (drawn grey and faint), names the classes'. Classes from MaxClassColours
    // on are drawn as none. Empty names: by frequency again.
    static constexpr int MaxClassColours = 9;
    void setWordClasses(const QStringList &names, std::vector<int> rowClass);
    QStringList wordsOutsideView() const; // of the fitted view, most frequent first
    bool fitsAllWords() const { return m_fitAll; }
    QStringList wordClassNames() const { return m_classNames; }
    int wordClass(const QString &word) const; // -1: none, or not on the map
    static QColor classColour(int c, bool dark);

    // Isolation: the map projects only some of the table's words, fitted to them, until showAll().
    // A neighbourhood is a word and its k nearest neighbours by cosine in the whole table (the
    // same words while training goes on); a filter is the words a regular expression finds
    // (case-insensitive, anywhere in the word), of each table shown. Both are refitted.
    static constexpr int DefaultIsolateNeighbours = 100;
    void isolateNeighbourhood(const QString &word, int k = DefaultIsolateNeighbours);
    // False (the map unchanged) when the pattern is not a valid expression; an empty one shows all.
    bool setFilter(const QString &pattern);
    void showAll();
    bool isIsolated() const { return !m_subset.centre.isEmpty() || !m_subset.pattern.isEmpty(); }
    QString isolatedCentre() const { return m_subset.centre; }
    int isolatedNeighbours() const { return m_subset.k; }
    QString filterPattern() const { return m_subset.pattern; }
    // Words of the table the isolation keeps (the map draws the most frequent maxPoints() of them).
    int isolatedCount() const;

    // Metadata (core/wordmetadata.h): the words are coloured by one column (a category each of
    // its most common values, or for numbers bands of equal counts from low to high) and labelled
    // by another. Rows are matched to words by the key column. Null: none.
    void setMetadata(std::shared_ptr<const WordMetadata> meta);
    std::shared_ptr<const WordMetadata> metadata() const { return m_meta; }
    std::size_t metadataKeyColumn() const { return m_metaKey; }
    void setColourColumn(int column); // -1: by frequency
    void setLabelColumn(int column); // -1: the word itself
    int colourColumn() const { return m_colourColumn; }
    int labelColumn() const { return m_labelColumn; }
    // The text of a word's label (its metadata value when labelling by a column).
    QString labelOf(const QString &word) const;

    bool exportImage(const QString &path); // .png or .pdf by suffix
    bool exportCoordinates(const QString &path); // TSV: word, frequency rank, PC1..PC4

    // A view of the map to come back to (the window's bookmarks): the projection, the zoom and
    // the selection, as plain values.
    struct ViewState
    {
        QString method = QStringLiteral("pca");
        int dimensions = 2;
        QStringList customAxes;
        int axisX = 0, axisY = 1; // PCA's components on the axes
        int maxPoints = 0; // 0: all the words
        int labelCount = 0;
        // The plot's ranges; NaN when none were recorded (the view is fitted).
        double xLower = std::numeric_limits<double>::quiet_NaN();
        double xUpper = std::numeric_limits<double>::quiet_NaN();
        double yLower = std::numeric_limits<double>::quiet_NaN();
        double yUpper = std::numeric_limits<double>::quiet_NaN();
        Eigen::Matrix3d rotation = Eigen::Matrix3d::Identity(); // the 3D view's turn
        bool fitAll = false; // the fit takes in every word, not only the bulk
        bool followData = true; // the view is fitted again to every new frame
        QString selectedWord;
        // The words isolated: a neighbourhood (its word and size) or a filter's expression.
        QString isolatedWord;
        int isolatedNeighbours = 0;
        QString filter;
    };
    ViewState viewState() const;
    // Sets the projection at once; the zoom and the selection follow when its frame is shown
    // (viewStateRestored), at once if the frame shown is of these settings already. Projections
    // are asynchronous: a zoom applied before its frame would be fitted away.
    void restoreViewState(const ViewState &state);
    bool isRestoringViewState() const { return m_pendingView.has_value(); }

signals:
    void projectionUpdated();
    void wordSelected(const QString &word);
    void busyChanged(bool busy);
    // An iterative projection's progress (iterations or epochs); total 0 when it ends.
    void projectionProgress(int done, int total);
    void preservationMeasured(double share);
    // The table of the recorded step shown (showHistoryStep), for views that need it too.
    void historyTableAvailable(qint64 step, std::shared_ptr<const WordVectors> table);
    // Projected frames of the history, of `total`.
    void historyProgress(int ready, int total);
    void trailsChanged();
    // The words isolated or shown again (isIsolated()).
    void isolationChanged();
    // Asks the window to choose and load a metadata file (the map's context menu).
    void metadataRequested();
    void viewStateRestored();

protected:
    void changeEvent(QEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    // No table: the map says how to get one, its axes unlabelled.
    void showEmpty();
    struct Frame;
    struct Progress;
    void requestProjection();
    void stopProjection(); // the task in flight stops and delivers nothing
    void pollProgress();
    void requestPreservation();
    void updateControls();
    void resetHistoryFrames();
    int componentsFor(const WordVectors &table) const;
    std::size_t rowsFor(const WordVectors &table) const;
    // The search's completions: the words the map shows of `table` (none without one).
    void updateWordList(const WordVectors *table);
    QStringList axisNames(const std::string &method, int k) const;
    // The frame's coordinates as drawn: x, y and depth (3D) of each row.
    void updateView();
    QPointF viewPoint(const RowMatrixXf &coords, Eigen::Index row, double *depth = nullptr) const;
    void showFrame(std::shared_ptr<Frame> frame);
    void redraw(bool keepView);
    void layoutLabels();
    void fitView(); // the axes' ranges for the frame shown (the bulk, or all with m_fitAll)
    void fitAgain(); // a double-click
    QString outsideNoteText() const;
    void updateNeighborLines();
    void applyPalette();
    void onMouseMove(QMouseEvent *event);
    void onMousePress(QMouseEvent *event);
    void onMouseRelease(QMouseEvent *event);
    void showContextMenu(const QPoint &pos);
    void updateNeighborRows();
    void updateTrailButton();
    void scheduleHistory();
    void showHistoryFrame();
    void drawTrails();
    std::shared_ptr<Frame> makeHistoryFrame(qint64 step) const;

    QCustomPlot *m_plot;
    QComboBox *m_axes;
    FlowLayout *m_header; // the top line: method, dimensions, axes, words
    QSpinBox *m_labels;
    QLineEdit *m_search;
    QStringListModel *m_words;
    QLabel *m_info;
    QToolButton *m_trailButton;
    QComboBox *m_methodBox;
    QComboBox *m_dimsBox;
    QSpinBox *m_limit;
    QWidget *m_customRow;
    QVector<QLineEdit *> m_axisEdits; // across, up, depth
    QWidget *m_progressRow;
    QProgressBar *m_progressBar;
    QToolButton *m_cancelButton;
    QLabel *m_quality;
    QTimer *m_progressTimer;
    QVector<QCPGraph *> m_bands; // points by depth layer (far first), then by frequency band
    QCPGraph *m_selectedGraph = nullptr;
    QVector<QCPItemText *> m_labelItems; // frequent words, most frequent first
    QVector<QCPItemText *> m_neighborItems; // the selected word and its neighbours
    QCPItemText *m_outsideNote = nullptr; // names the words a fit leaves out
    QVector<int> m_outsideRows; // rows outside the fitted view, most frequent first
    bool m_fitAll = false; // the fit takes in every word, not only the bulk
    bool m_hasOutliers = false; // the bulk's fit leaves words out

    int classOfRow(int row) const; // of the frame shown, -1 for none
    int frequencyRank(int row) const; // of a row of the frame shown, among the whole table's
    int classBandOf(int row) const;
    int graphOfBand(int band) const; // the graph of a point band, and back
    QColor classColourOf(int c, bool dark) const; // sequential for a numeric column
    // Isolation (embeddingmap_tools.cpp).
    struct Subset
    {
        QString centre; // a neighbourhood's word
        int k = 0;
        std::set<std::string> words; // the neighbourhood
        QString pattern; // a filter's expression
        QRegularExpression regex;
    };
    // The rows of `table` a subset keeps, in table order.
    static std::vector<int> subsetRows(const WordVectors &table, const Subset &subset);
    // m_drawTable (and m_drawRows) from m_table and the subset.
    void applySubset();
    void followSubset(); // the subset for a table of other words
    static std::set<std::string> neighbourhood(const WordVectors &table, int row, int k);
    void changeSubset(Subset subset);
    QString subsetKey() const;
    void createToolRows();
    void updateSubsetRow();
    void updateMetadataControls();
    void updateFrameClasses(); // m_frameClass for the frame shown, from the metadata
    void updateLegend();
    Subset m_subset;
    QString m_tableNote; // said under the map until another table: an isolation let go
    std::shared_ptr<const WordVectors> m_drawTable; // m_table, or its isolated rows
    std::vector<int> m_drawRows; // the m_table row of each m_drawTable row; empty: the same
    QWidget *m_subsetRow = nullptr;
    QLabel *m_subsetLabel = nullptr;
    QSpinBox *m_subsetK = nullptr;
    QLineEdit *m_filter = nullptr;
    QComboBox *m_colourBox = nullptr;
    QComboBox *m_labelBox = nullptr;
    QLabel *m_legend = nullptr;
    std::shared_ptr<const WordMetadata> m_meta;
    std::size_t m_metaKey = 0;
    int m_colourColumn = -1, m_labelColumn = -1;
    bool m_sequential = false; // the classes are bands of a numeric column
    int m_otherValues = 0; // values of the colour column past the colours
    std::unordered_map<std::string, int> m_metaClass; // word -> class of the colour column
    std::unordered_map<std::string, QString> m_metaLabel; // word -> label
    std::vector<int> m_frameClass; // class of each row of the frame shown, by the metadata
    const WordVectors *m_frameClassTable = nullptr;
    QStringList m_classNames;
    std::vector<int> m_rowClass;

    std::shared_ptr<const WordVectors> m_table; // newest requested
    std::shared_ptr<Frame> m_frame; // shown
    QString m_source;
    bool m_live = false;
    LatestTask m_projection { this };
    LatestTask m_preservationTask { this };
    std::shared_ptr<Progress> m_progress; // of the projection in flight
    std::string m_method = "pca"; // an id of projectionMethods()
    std::map<std::string, int> m_limits; // maxPoints per method
    int m_maxPoints = 0;
    int m_dims = 2;
    QStringList m_customAxes;
    int m_axisX = 0, m_axisY = 1;
    RowMatrixXf m_coords; // (n, Components) of the shown frame
    RowMatrixXf m_view; // (n, 3): x, y and depth as drawn
    Eigen::Vector3d m_centre = Eigen::Vector3d::Zero(); // what the 3D view turns about
    Eigen::Matrix3d m_rotation = Eigen::Matrix3d::Identity();
    QPointF m_dragFrom, m_pressAt;
    bool m_rotating = false;
    QString m_note; // said before the rest under the map: a stopped or failed projection
    double m_preservation = std::numeric_limits<double>::quiet_NaN();
    QString m_selected;
    QVector<int> m_neighborRows;
    bool m_fitted = false;
    bool m_followData = true; // refit the view to every new frame

    struct HistoryFrame
    {
        RowMatrixXf coords; // (n, Components)
        Eigen::VectorXf ratio;
        QStringList axisNames;
        std::shared_ptr<const WordVectors> table; // kept for the newest few frames shown
        std::shared_ptr<const WordVectors> full; // the step's whole table when words are isolated
    };
    struct History
    {
        QString id;
        QVector<qint64> steps;
        StepLoader loader;
        std::map<qint64, HistoryFrame> frames;
        std::vector<int> order, rank; // as Frame's: the vocabulary is the run's throughout
        std::vector<int> fullRows; // as Frame's, when words are isolated
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
        int dims = 2;
        QStringList axes;
        QString subset; // subsetKey() of the isolation the frames are of
        std::shared_ptr<std::atomic<bool>> stop; // set when the frames are dropped
    };
    History m_history;
    QMap<QString, QColor> m_trails;
    QVector<QCPCurve *> m_trailCurves;

    // restoreViewState: the zoom and selection waiting for the frame of their projection.
    bool showsCurrentSettings() const;
    void applyPendingView();
    std::optional<ViewState> m_pendingView;
};

} // namespace embedlab
