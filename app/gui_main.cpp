#include <QApplication>

#include "ui/mainwindow.h"

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("EmbeddingLab"));
    QApplication::setApplicationName(QStringLiteral("Embedding Lab"));
    QApplication::setApplicationVersion(QStringLiteral(EMBEDLAB_VERSION));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/embedlab.svg")));

    embedlab::MainWindow window;
    const QStringList args = app.arguments();
    if (args.size() > 1)
        window.openCorpus(args.at(1));
    else
        window.openSampleCorpus();
    window.show();
    return app.exec();
}
