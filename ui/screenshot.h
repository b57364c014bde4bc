#pragma once
// Renders the main window to a PNG without a display (`embedlab --screenshot FILE.png`): once
// the corpus has loaded and, if asked, after N training steps, with the run paused so the
// picture shows it mid-training.
#include <QPalette>
#include <QString>
#include <QStringList>

#include <functional>

namespace embedlab {

class MainWindow;

struct ScreenshotOptions
{
    QString path;
    qint64 trainSteps = 0; // 0: the window as it opens
    // A run folder to show instead (the window as the timeline leaves it at `step`; -1: the
    // last recorded step). A step the run did not record is an error naming the nearest ones.
    QString runDir;
    qint64 step = -1;
    // With runDir: words whose trails over the recorded steps the map draws.
    QStringList trails;
    // Word vectors to explore on the map instead of the corpus' table.
    QString vectors;
    // The map's method (an id of core/projection.h), dimensions (2 or 3) and word limit (0: the
    // method's default); the picture waits for the projection to end.
    QString mapMethod;
    int mapDimensions = 2;
    int mapWords = 0;
    int timeoutMs = 600000;
};

// Drives `window` from the event loop and calls `done` once, with an error message on failure
// (an empty message means the PNG was written).
void takeScreenshot(MainWindow *window, const ScreenshotOptions &options,
    std::function<void(const QString &error)> done);

class ClassifierWindow;

struct ClassifierScreenshotOptions
{
    QString path;
    int epochs = 0; // 0: the window as it opens
    QString predictText; // typed into the prediction box
    QString tab; // "chart" (default) or "map"
    int timeoutMs = 600000;
};

// The text classification window (`embedlab --classify FILE --screenshot PNG`): once the corpus
// has loaded and, if asked, after training `epochs` epochs and the map is coloured.
void takeClassifierScreenshot(ClassifierWindow *window, const ClassifierScreenshotOptions &options,
    std::function<void(const QString &error)> done);

// A dark Fusion palette, for trying the app (and its charts) in dark mode anywhere.
QPalette darkPalette();

} // namespace embedlab
