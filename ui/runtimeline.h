#pragma once
// The timeline under the map: a slider over the steps a run recorded its embedding at, with Play
// to step through them. It only shows positions and asks for steps; the window loads the tables.
#include <QVector>
#include <QWidget>

class QLabel;
class QSlider;
class QTimer;
class QToolButton;

namespace embedlab {

class RunTimeline : public QWidget
{
    Q_OBJECT
public:
    // Frames per second while playing.
    static constexpr int PlayFps = 6;

    explicit RunTimeline(QWidget *parent = nullptr);

    // The recorded steps (ascending). A timeline at its last step stays at the last one as steps
    // are added (it follows a live run); elsewhere it keeps its step.
    void setSteps(const QVector<qint64> &steps);
    void addStep(qint64 step);
    const QVector<qint64> &steps() const { return m_steps; }
    qint64 currentStep() const; // -1 without steps
    bool isAtLatest() const;
    // Moves to the recorded step nearest to `step` and asks for it (stepChosen).
    void setCurrentStep(qint64 step);
    // The run trains now: at its last step the timeline says the map follows training.
    void setLive(bool live);
    bool isLive() const { return m_live; }
    QString labelText() const;
    bool isPlaying() const;
    void setPlaying(bool playing);
    QSlider *slider() const { return m_slider; }

signals:
    // The user (or Play) moved to `step`; latest: it is the last recorded one.
    void stepChosen(qint64 step, bool latest);

private:
    void updateLabel();

    QVector<qint64> m_steps;
    bool m_live = false;
    QSlider *m_slider;
    QToolButton *m_play;
    QLabel *m_label;
    QTimer *m_timer;
};

} // namespace embedlab
