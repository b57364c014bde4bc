#pragma once
// The embedding map: a 2D projection of the current table (the live model's embedding or imported
// vectors) in QCustomPlot, by one of the methods of core/projection.h (PCA today). The most
// frequent words are labelled, the rest are points coloured by frequency; hover shows the word, a
// click selects it and draws lines to its nearest neighbours in the full space. Projections run on
// a worker thread, the newest request wins, and during training each frame is aligned to the
// previous one (Procrustes) so the map moves smoothly instead of flipping.
#include <QVector>
#include <QWidget>

#include <memory>
#include <string>

#include "core/wordvectors.h"
#include "ui/backgroundtask.h"

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

    bool exportImage(const QString &path); // .png or .pdf by suffix
    bool exportCoordinates(const QString &path); // TSV: word, frequency rank, PC1..PC4

signals:
    void projectionUpdated();
    void wordSelected(const QString &word);
    void busyChanged(bool busy);

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

    QCustomPlot *m_plot;
    QComboBox *m_axes;
    QSpinBox *m_labels;
    QLineEdit *m_search;
    QStringListModel *m_words;
    QLabel *m_info;
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
};

} // namespace embedlab
