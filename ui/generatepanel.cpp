#include "ui/generatepanel.h"
#include "ui/flowlayout.h"

#include "core/checkpoint.h"

#include "ui/backgroundtask.h"
#include "ui/corpuspanel.h"

#include <QDoubleSpinBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace embedlab {

GeneratePanel::GeneratePanel(QWidget *parent)
    : QWidget(parent)
{
    m_prompt = new QLineEdit(this);
    m_prompt->setPlaceholderText(tr("Prompt (optional), e.g. It is a truth"));
    m_tokens = new QSpinBox(this);
    m_tokens->setRange(1, 5000);
    m_tokens->setValue(60);
    m_tokens->setSuffix(tr(" tokens"));
    m_temperature = new QDoubleSpinBox(this);
    m_temperature->setRange(0, 5);
    m_temperature->setSingleStep(0.1);
    m_temperature->setValue(0.8);
    m_temperature->setPrefix(tr("T = "));
    m_temperature->setToolTip(tr("Sampling temperature; 0 always takes the likeliest token"));
    m_seed = new QSpinBox(this);
    m_seed->setRange(0, 1 << 30);
    m_seed->setValue(1);
    m_seed->setPrefix(tr("seed "));
    m_button = new QPushButton(tr("&Generate"), this);
    m_output = new QPlainTextEdit(this);
    m_output->setReadOnly(true);
    m_output->setPlaceholderText(tr("Train or open a model, then generate text from it."));

    // The settings wrap on a narrow panel.
    auto *row = new FlowLayout(6, 4);
    row->addWidget(m_tokens);
    row->addWidget(m_temperature);
    row->addWidget(m_seed);
    row->addWidget(m_button);
    m_from = new QLabel(this);
    m_from->setObjectName(QStringLiteral("generateSource"));
    m_from->setWordWrap(true);
    m_unknown = new QLabel(this);
    m_unknown->setObjectName(QStringLiteral("generateUnknown"));
    m_unknown->setTextFormat(Qt::PlainText); // "<unk>" is no tag
    m_unknown->setWordWrap(true);
    m_unknown->hide();
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_from);
    layout->addWidget(m_prompt);
    layout->addWidget(m_unknown);
    layout->addLayout(row);
    layout->addWidget(m_output, 1);
    connect(m_button, &QPushButton::clicked, this, &GeneratePanel::generate);
    connect(m_prompt, &QLineEdit::returnPressed, this, &GeneratePanel::generate);
    setAvailable(false);
}

void GeneratePanel::setAvailable(bool available)
{
    m_available = available;
    m_button->setEnabled(available && !m_running);
    m_output->setPlaceholderText(available
            ? tr("Press Generate to sample text; a prompt (optional) is continued.")
            : tr("Train or open a model, then generate text from it."));
}

void GeneratePanel::setSourceName(const QString &name)
{
    m_from->setText(name.isEmpty() ? QString() : tr("From: %1").arg(name));
    m_from->setVisible(!name.isEmpty());
}

QString GeneratePanel::sourceName() const
{
    return m_from->text();
}

QString GeneratePanel::text() const
{
    return m_output->toPlainText();
}

void GeneratePanel::clearOutput()
{
    ++m_generation;
    m_output->clear();
    m_unknownWords.clear();
    m_unknown->clear();
    m_unknown->hide();
}

void GeneratePanel::generate()
{
    if (!m_available || m_running || !m_provider)
        return;
    Source source = m_provider();
    if (!source.model && source.checkpoint.empty())
        return;
    m_running = true;
    m_button->setEnabled(false);
    GenerateOptions options;
    options.tokens = m_tokens->value();
    options.temperature = m_temperature->value();
    options.seed = static_cast<std::uint64_t>(m_seed->value());
    const std::string prompt = m_prompt->text().toStdString();
    struct Sample
    {
        std::string text;
        std::vector<std::string> unknown; // the prompt's words read as <unk>
    };
    runInBackground<Sample>(
        this,
        [source, prompt, options] {
            Sample s;
            if (source.model) {
                s.text = generateText(
                    *source.model, source.vocab, source.tokenizer, prompt, options, &s.unknown);
                return s;
            }
            const LoadedCheckpoint<float> c = loadCheckpoint<float>(source.checkpoint);
            s.text = generateText(*c.model, c.vocab, c.tokenizer, prompt, options, &s.unknown);
            return s;
        },
        [this, generation = m_generation](std::shared_ptr<Sample> sample, QString error) {
            m_running = false;
            m_button->setEnabled(m_available);
            if (generation != m_generation)
                return; // sampled from a model the panel no longer shows
            m_output->setPlainText(sample ? QString::fromStdString(sample->text) : error);
            m_unknownWords.clear();
            if (sample)
                for (const std::string &w : sample->unknown)
                    m_unknownWords << QString::fromStdString(w);
            QStringList shown;
            for (const QString &w : std::as_const(m_unknownWords))
                shown << visibleToken(w);
            m_unknown->setText(shown.isEmpty() ? QString()
                                               : tr("Not in the vocabulary: %1 — read as <unk>")
                                                     .arg(shown.join(QStringLiteral(", "))));
            m_unknown->setVisible(!shown.isEmpty());
            emit generated();
        });
}

} // namespace embedlab
