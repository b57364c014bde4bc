#include <QApplication>
#include <QCommandLineParser>
#include <QRegularExpression>
#include <QStyleFactory>

#include <csignal>
#include <cstdio>
#include <cstring>

#include "core/projection.h"
#include "ui/classifierwindow.h"
#include "ui/language.h"
#include "ui/mainwindow.h"
#include "ui/screenshot.h"

int main(int argc, char **argv)
{
    // A write past the file-size limit fails with EFBIG (reported like a full disk) instead of
    // killing the window and the run with it.
    std::signal(SIGXFSZ, SIG_IGN);
    // A screenshot needs no display: use the offscreen platform unless one was chosen.
    for (int i = 1; i < argc; ++i)
        if (std::strcmp(argv[i], "--screenshot") == 0
            && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");

    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("EmbeddingLab"));
    QApplication::setApplicationName(QStringLiteral("Embedding Lab"));
    QApplication::setApplicationVersion(QStringLiteral(EMBEDLAB_VERSION));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/embedlab.svg")));
    // The interface language: the Language menu's choice, or the system's (LANG, LC_ALL).
    embedlab::installTranslations(&app, embedlab::resolveLanguage(embedlab::languageSetting()));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Train word embeddings with an LSTM language model and watch them learn."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("corpus"),
        QStringLiteral("A UTF-8 text to open (default: the bundled sample)."),
        QStringLiteral("[corpus]"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
        QStringLiteral("Render the window to <png> without a display, then exit."),
        QStringLiteral("png"));
    const QCommandLineOption trainSteps(QStringLiteral("train-steps"),
        QStringLiteral("With --screenshot: train <n> steps first (the run is shown paused)."),
        QStringLiteral("n"), QStringLiteral("0"));
    const QCommandLineOption palette(QStringLiteral("palette"),
        QStringLiteral("Colour scheme: system (default) or dark."), QStringLiteral("scheme"),
        QStringLiteral("system"));
    const QCommandLineOption runDir(QStringLiteral("run"),
        QStringLiteral("With --screenshot: show this run folder (its map at --step)."),
        QStringLiteral("dir"));
    const QCommandLineOption runStep(QStringLiteral("step"),
        QStringLiteral("With --run: the recorded step to show (default: the last)."),
        QStringLiteral("s"), QStringLiteral("-1"));
    const QCommandLineOption trails(QStringLiteral("trail"),
        QStringLiteral("With --run: draw the trail of <words> (comma-separated) over the steps."),
        QStringLiteral("words"));
    const QCommandLineOption vectors(QStringLiteral("vectors"),
        QStringLiteral("With --screenshot: explore these word vectors on the map."),
        QStringLiteral("file"));
    const QCommandLineOption mapMethod(QStringLiteral("map"),
        QStringLiteral("With --screenshot: the map's method (pca, tsne, umap)."),
        QStringLiteral("method"));
    const QCommandLineOption mapDims(QStringLiteral("map-dims"),
        QStringLiteral("With --screenshot: a map of 2 or 3 dimensions."), QStringLiteral("n"),
        QStringLiteral("2"));
    const QCommandLineOption mapWords(QStringLiteral("map-words"),
        QStringLiteral("With --screenshot: how many of the most frequent words the map shows."),
        QStringLiteral("n"), QStringLiteral("0"));
    const QCommandLineOption classify(QStringLiteral("classify"),
        QStringLiteral("Open the text classification window on this labelled corpus (label<TAB>"
                       "text, __label__ lines or .csv); 'sample' for the bundled one."),
        QStringLiteral("file"));
    const QCommandLineOption epochs(QStringLiteral("epochs"),
        QStringLiteral("With --classify and --screenshot: train <n> epochs first."),
        QStringLiteral("n"), QStringLiteral("0"));
    const QCommandLineOption predict(QStringLiteral("predict"),
        QStringLiteral("With --classify and --screenshot: the text in the prediction box."),
        QStringLiteral("text"));
    const QCommandLineOption classifyTab(QStringLiteral("tab"),
        QStringLiteral("With --classify and --screenshot: the view shown, chart or map."),
        QStringLiteral("view"), QStringLiteral("chart"));
    const QCommandLineOption windowSize(QStringLiteral("size"),
        QStringLiteral("With --screenshot: the window's size, such as 1280x800 (default "
                       "1400x900)."),
        QStringLiteral("WxH"), QStringLiteral("1400x900"));
    parser.addOptions({ screenshot, trainSteps, palette, runDir, runStep, trails, vectors,
        mapMethod, mapDims, mapWords, classify, epochs, predict, classifyTab, windowSize });
    parser.process(app);

    bool stepsOk = false;
    const qint64 steps = parser.value(trainSteps).toLongLong(&stepsOk);
    if (!stepsOk || steps < 0) {
        std::fprintf(stderr, "embedlab: --train-steps needs a whole number >= 0, not '%s'\n",
            qPrintable(parser.value(trainSteps)));
        return 2;
    }
    bool stepOk = false;
    const qint64 step = parser.value(runStep).toLongLong(&stepOk);
    if (!stepOk || step < -1) {
        std::fprintf(stderr, "embedlab: --step needs a whole number >= 0, not '%s'\n",
            qPrintable(parser.value(runStep)));
        return 2;
    }
    const int dims = parser.value(mapDims).toInt();
    if (dims != 2 && dims != 3) {
        std::fprintf(stderr, "embedlab: --map-dims is 2 or 3, not '%s'\n",
            qPrintable(parser.value(mapDims)));
        return 2;
    }
    if (parser.isSet(mapMethod)) {
        try {
            embedlab::projectionMethod(parser.value(mapMethod).toStdString());
        } catch (const std::exception &e) {
            std::fprintf(stderr, "embedlab: --map: %s\n", e.what());
            return 2;
        }
    }
    const QRegularExpressionMatch sizeMatch
        = QRegularExpression(QStringLiteral("^(\\d{3,5})x(\\d{3,5})$"))
              .match(parser.value(windowSize));
    if (!sizeMatch.hasMatch()) {
        std::fprintf(stderr,
            "embedlab: --size is a width and a height in pixels such as 1280x800, not '%s'\n",
            qPrintable(parser.value(windowSize)));
        return 2;
    }
    const QSize size(sizeMatch.captured(1).toInt(), sizeMatch.captured(2).toInt());
    // A window that cannot shrink to the size asked for would give a larger picture.
    const auto fitsIn = [&size](QWidget *w) {
        const QSize least = w->minimumSizeHint().expandedTo(w->minimumSize());
        if (least.width() <= size.width() && least.height() <= size.height())
            return true;
        std::fprintf(stderr, "embedlab: --size %dx%d: the window needs at least %dx%d\n",
            size.width(), size.height(), least.width(), least.height());
        return false;
    };
    if (parser.value(palette) == QLatin1String("dark")) {
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QApplication::setPalette(embedlab::darkPalette());
    } else if (parser.value(palette) != QLatin1String("system")) {
        std::fprintf(stderr, "embedlab: --palette is 'system' or 'dark', not '%s'\n",
            qPrintable(parser.value(palette)));
        return 2;
    }

    embedlab::MainWindow window;
    if (parser.isSet(classify)) {
        embedlab::ClassifierWindow *c = window.showClassifierWindow();
        const QString file = parser.value(classify);
        if (file == QLatin1String("sample"))
            c->openSampleCorpus();
        else
            c->openCorpus(file);
        if (parser.isSet(screenshot)) {
            if (!fitsIn(c))
                return 2;
            c->resize(size);
            int status = 0;
            embedlab::takeClassifierScreenshot(c,
                { parser.value(screenshot), parser.value(epochs).toInt(), parser.value(predict),
                    parser.value(classifyTab) },
                [&status](const QString &error) {
                    if (!error.isEmpty()) {
                        std::fprintf(stderr, "embedlab: %s\n", qPrintable(error));
                        status = 1;
                    }
                    QCoreApplication::exit(status);
                });
            app.exec();
            return status;
        }
        window.show();
        c->raise();
        return app.exec();
    }
    const QStringList files = parser.positionalArguments();
    if (!files.isEmpty())
        window.openCorpus(files.first());
    else
        window.openSampleCorpus();

    if (parser.isSet(screenshot)) {
        if (!fitsIn(&window))
            return 2;
        window.resize(size);
        window.show();
        int status = 0;
        embedlab::takeScreenshot(&window,
            { parser.value(screenshot), steps, parser.value(runDir), step,
                parser.value(trails).split(QLatin1Char(','), Qt::SkipEmptyParts),
                parser.value(vectors), parser.value(mapMethod), dims,
                parser.value(mapWords).toInt() },
            [&status](const QString &error) {
                if (!error.isEmpty()) {
                    std::fprintf(stderr, "embedlab: %s\n", qPrintable(error));
                    status = 1;
                }
                QCoreApplication::exit(status);
            });
        app.exec();
        return status;
    }
    window.show();
    return app.exec();
}
