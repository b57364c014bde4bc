#pragma once
// Samples text on a worker thread from a copy of the model (taken while no training changes
// it), so training may start or resume while it samples.
#include <QStringList>
#include <QWidget>

#include <functional>
#include <memory>

#include "core/generate.h"

class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace embedlab {

class GeneratePanel : public QWidget
{
    Q_OBJECT
public:
    struct Source
    {
        std::shared_ptr<LanguageModel<float>> model;
        Vocabulary vocab;
        TokenizerOptions tokenizer;
        // Without a model: the checkpoint to read it from, on the worker thread.
        std::string checkpoint;
    };

    explicit GeneratePanel(QWidget *parent = nullptr);
    // Called when Generate is pressed; returns the model to sample from, which the panel alone
    // uses from then on (model null: none).
    void setSourceProvider(std::function<Source()> provider) { m_provider = std::move(provider); }
    void setAvailable(bool available);
    // What Generate samples from, as the panel tells the user ("model, step 1,200").
    void setSourceName(const QString &name);
    QString sourceName() const;
    void generate();
    QString text() const;
    // The prompt's words the vocabulary lacks (read as <unk>) in the last sample, as the panel
    // names them under the prompt.
    QStringList unknownWords() const { return m_unknownWords; }
    // Another model: the output of the one before goes, and a sample still on its way is dropped.
    void clearOutput();

signals:
    void generated();

private:
    std::function<Source()> m_provider;
    QLineEdit *m_prompt;
    QSpinBox *m_tokens, *m_seed;
    QDoubleSpinBox *m_temperature;
    QPushButton *m_button;
    QPlainTextEdit *m_output;
    QLabel *m_from;
    QLabel *m_unknown; // "Not in the vocabulary: ..." of the last sample's prompt
    QStringList m_unknownWords;
    bool m_available = false, m_running = false;
    quint64 m_generation = 0; // counts clearOutput(), so a late sample of an older model is dropped
};

} // namespace embedlab
