#include "ui/runtimeline.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QSignalBlocker>
#include <QSlider>
#include <QStyle>
#include <QTimer>
#include <QToolButton>

#include <algorithm>

namespace embedlab {

RunTimeline::RunTimeline(QWidget *parent)
    : QWidget(parent)
    , m_slider(new QSlider(Qt::Horizontal, this))
    , m_play(new QToolButton(this))
    , m_label(new QLabel(this))
    , m_timer(new QTimer(this))
{
    setObjectName(QStringLiteral("runTimeline"));
    m_slider->setObjectName(QStringLiteral("timelineSlider"));
    m_play->setObjectName(QStringLiteral("timelinePlay"));
    m_play->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    m_play->setToolTip(tr("Play the recorded steps"));
    m_play->setCheckable(true);
    m_slider->setToolTip(tr("Drag to see the embedding at a recorded step"));
    m_slider->setPageStep(1);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 2, 6, 2);
    layout->addWidget(m_play);
    layout->addWidget(m_slider, 1);
    layout->addWidget(m_label);
    m_timer->setInterval(1000 / PlayFps);
    connect(m_slider, &QSlider::valueChanged, this, [this](int index) {
        updateLabel();
        if (index >= 0 && index < m_steps.size())
            emit stepChosen(m_steps[index], index == m_steps.size() - 1);
    });
    connect(m_play, &QToolButton::toggled, this, &RunTimeline::setPlaying);
    connect(m_timer, &QTimer::timeout, this, [this] {
        if (m_slider->value() >= m_slider->maximum()) {
            setPlaying(false);
            return;
        }
        m_slider->setValue(m_slider->value() + 1);
    });
    setSteps({});
}

void RunTimeline::setSteps(const QVector<qint64> &steps)
{
    const bool follow = m_steps.isEmpty() || isAtLatest();
    const qint64 was = currentStep();
    m_steps = steps;
    const QSignalBlocker blocker(m_slider);
    m_slider->setRange(0, std::max(0, static_cast<int>(m_steps.size()) - 1));
    int index = static_cast<int>(m_steps.size()) - 1;
    if (!follow) {
        const auto it = std::lower_bound(m_steps.begin(), m_steps.end(), was);
        index = std::min<int>(static_cast<int>(it - m_steps.begin()), index);
    }
    m_slider->setValue(std::max(0, index));
    m_slider->setEnabled(m_steps.size() > 1);
    m_play->setEnabled(m_steps.size() > 1);
    updateLabel();
}

void RunTimeline::addStep(qint64 step)
{
    if (!m_steps.isEmpty() && step <= m_steps.back())
        return;
    QVector<qint64> steps = m_steps;
    steps.push_back(step);
    setSteps(steps);
}

qint64 RunTimeline::currentStep() const
{
    const int i = m_slider->value();
    return i >= 0 && i < m_steps.size() ? m_steps[i] : -1;
}

bool RunTimeline::isAtLatest() const
{
    return m_slider->value() >= static_cast<int>(m_steps.size()) - 1;
}

void RunTimeline::setCurrentStep(qint64 step)
{
    if (m_steps.isEmpty())
        return;
    int best = 0;
    for (int i = 1; i < m_steps.size(); ++i)
        if (std::llabs(m_steps[i] - step) < std::llabs(m_steps[best] - step))
            best = i;
    if (best == m_slider->value())
        emit stepChosen(m_steps[best], best == m_steps.size() - 1);
    else
        m_slider->setValue(best);
}

bool RunTimeline::isPlaying() const
{
    return m_timer->isActive();
}

void RunTimeline::setPlaying(bool playing)
{
    if (playing && m_slider->value() >= m_slider->maximum())
        m_slider->setValue(0); // from the start again
    playing ? m_timer->start() : m_timer->stop();
    const QSignalBlocker blocker(m_play);
    m_play->setChecked(playing);
    m_play->setIcon(style()->standardIcon(playing ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
    m_play->setToolTip(playing ? tr("Pause") : tr("Play the recorded steps"));
}

void RunTimeline::setLive(bool live)
{
    m_live = live;
    updateLabel();
}

QString RunTimeline::labelText() const
{
    return m_label->text();
}

void RunTimeline::updateLabel()
{
    const QLocale loc;
    if (m_live && (m_steps.isEmpty() || isAtLatest())) {
        m_label->setText(
            m_steps.isEmpty() ? tr("Live") : tr("Live · steps recorded: %1").arg(m_steps.size()));
        return;
    }
    if (m_steps.isEmpty()) {
        m_label->setText(tr("No recorded steps"));
        return;
    }
    m_label->setText(tr("Step %1 · %2 of %3")
                         .arg(loc.toString(currentStep()))
                         .arg(m_slider->value() + 1)
                         .arg(m_steps.size()));
}

} // namespace embedlab
