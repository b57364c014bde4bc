#pragma once
// Answers the window's modal dialogs from a test, polling every 20 ms: message boxes are
// accepted (their text recorded), the discard prompt gets `discardAnswer` and the offer to open a
// run's corpus `openCorpusAnswer`, a save dialog gets
// `savePath`, and the import dialog is accepted once it has read a table (or, when the read
// failed, its report is recorded and it is closed); the Compare dialog is handed to `compare`
// and accepted.
#include <QApplication>
#include <QFileDialog>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QRadioButton>
#include <QTimer>

#include <functional>

#include "ui/comparedialog.h"
#include "ui/importvectorsdialog.h"

namespace embedlab {

class DialogPilot : public QObject
{
public:
    explicit DialogPilot(QObject *parent = nullptr)
        : QObject(parent)
    {
        connect(&m_timer, &QTimer::timeout, this, [this] { answer(); });
        m_timer.start(20);
    }

    QStringList messages; // message boxes accepted: their text, then any informative text
    QStringList prompts; // discard prompts answered: their text and informative text
    QMessageBox::StandardButton discardAnswer = QMessageBox::Discard;
    QMessageBox::StandardButton openCorpusAnswer = QMessageBox::Open;
    QString savePath; // typed into a save dialog (none: it is left open)
    bool initialiseEmbedding = false; // the import dialog initialises the model's embedding
    std::function<void(CompareDialog *)> compare; // picks the sibling's change

private:
    void answer()
    {
        QWidget *w = QApplication::activeModalWidget();
        if (auto *box = qobject_cast<QMessageBox *>(w)) {
            if (box->objectName() == QLatin1String("discardPrompt")) {
                prompts << box->text() + QLatin1Char(' ') + box->informativeText();
                box->button(discardAnswer)->click();
                return;
            }
            if (box->objectName() == QLatin1String("openBaseCorpusPrompt")) {
                prompts << box->text() + QLatin1Char(' ') + box->informativeText();
                box->button(openCorpusAnswer)->click();
                return;
            }
            messages << (box->informativeText().isEmpty()
                    ? box->text()
                    : box->text() + QLatin1Char('\n') + box->informativeText());
            box->accept();
        } else if (auto *files = qobject_cast<QFileDialog *>(w)) {
            // The name typed in, then accepted on the next tick.
            auto *name = files->findChild<QLineEdit *>(QStringLiteral("fileNameEdit"));
            if (!name || savePath.isEmpty())
                return;
            if (name->text() == savePath)
                QMetaObject::invokeMethod(files, "accept", Qt::QueuedConnection);
            else
                name->setText(savePath);
        } else if (auto *dlg = qobject_cast<CompareDialog *>(w)) {
            if (compare)
                compare(dlg);
            if (dlg->isComplete())
                dlg->accept();
            else
                dlg->reject();
        } else if (auto *dlg = qobject_cast<ImportVectorsDialog *>(w)) {
            if (initialiseEmbedding)
                for (auto *radio : dlg->findChildren<QRadioButton *>())
                    if (radio->text().startsWith(QLatin1String("Initialise")))
                        radio->setChecked(true);
            if (dlg->vectors()) {
                dlg->accept();
            } else if (!dlg->isReading()) {
                messages << dlg->reportText();
                dlg->reject();
            }
        }
    }

    QTimer m_timer;
};

} // namespace embedlab
