#include "core/checkpoint.h"

#include <cmath>
#include <limits>
#include <type_traits>

#include "core/error.h"
#include "core/jsonfields.h"
#include "core/safetensors.h"

#include <nlohmann/json.hpp>

namespace embedlab {

namespace {

std::string shapeText(const std::vector<std::int64_t> &shape)
{
    std::string s = "[";
    for (std::size_t i = 0; i < shape.size(); ++i)
        s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
}

using Json = nlohmann::ordered_json;

Json configToJson(const ModelConfig &c, const TokenizerOptions &t)
{
    return { { "cell", cellName(c.cell) }, { "vocab_size", c.vocabSize },
        { "embedding_dim", c.embeddingDim }, { "hidden_size", c.hiddenSize },
        { "layers", c.layers }, { "dropout", c.dropout }, { "tied", c.tied },
        { "tokenizer", tokenizerModeName(t.mode) }, { "lowercase", t.lowercase },
        { "cjk", cjkSegmentationName(t.cjk) }, { "normalize", normalizationName(t.normalize) },
        { "case_folding", caseFoldingName(t.folding) } };
}

// The cell a checkpoint's settings name, for reading its tensors. Problems with the settings
// other than an unknown cell are reported where they are read in full.
struct NamedCell
{
    bool named = false; // the settings have a "cell" string
    bool known = false; // ... and it is in the table
    std::string name;
    CellKind kind = CellKind::Lstm;
};

NamedCell cellOf(const std::map<std::string, std::string> &meta)
{
    NamedCell out;
    if (auto it = meta.find(MetaConfig); it != meta.end()) {
        try {
            const Json c = parseJsonStrict(it->second);
            if (c.is_object())
                if (const auto name = c.find("cell"); name != c.end() && name->is_string()) {
                    out.named = true;
                    out.name = name->get<std::string>();
                    out.known = parseCell(out.name, out.kind);
                }
        } catch (const Error &) { }
    }
    return out;
}

// The cells whose weight_hh_l0 has `rows` rows for `hidden` columns, in table order.
std::vector<CellKind> cellsWithShape(std::int64_t rows, std::int64_t hidden)
{
    std::vector<CellKind> kinds;
    for (CellKind kind : cellKinds())
        if (hidden > 0 && rows == recurrentCell<float>(kind).gateCount() * hidden)
            kinds.push_back(kind);
    return kinds;
}

// "'gru'", "'rnn_tanh' or 'rnn_relu'".
std::string quotedNames(const std::vector<CellKind> &kinds)
{
    std::string s;
    for (std::size_t i = 0; i < kinds.size(); ++i)
        s += (i == 0                         ? "'"
                     : i + 1 == kinds.size() ? " or '"
                                             : ", '")
            + std::string(cellName(kinds[i])) + "'";
    return s;
}

} // namespace

template <typename Scalar>
void saveCheckpoint(const std::string &path, LanguageModel<Scalar> &model, const Vocabulary &vocab,
    const TokenizerOptions &tokenizer, const std::map<std::string, std::string> &extra)
{
    const ModelConfig &config = model.config();
    if (vocab.size() != config.vocabSize)
        throw Error(fileMessage(path,
            "cannot save: the vocabulary has " + std::to_string(vocab.size())
                + " words but the model expects " + std::to_string(config.vocabSize)));
    const DType dtype = std::is_same<Scalar, double>::value ? DType::F64 : DType::F32;
    std::vector<TensorToWrite> tensors;
    for (auto &p : model.parameters()) {
        // PyTorch's tied RNNModel lists decoder.weight too (sharing the encoder's storage).
        if (config.tied && p.name == "decoder.bias")
            tensors.push_back({ "decoder.weight", { config.vocabSize, config.hiddenSize }, dtype,
                model.encoder().data() });
        tensors.push_back({ p.name, p.shape, dtype, p.value->data() });
    }
    std::map<std::string, std::string> meta = extra;
    meta[MetaFormat] = CheckpointFormat;
    meta[MetaConfig] = dumpJson(configToJson(config, tokenizer));
    Json words = Json::array();
    for (const auto &w : vocab.words())
        words.push_back(w);
    meta[MetaVocab] = dumpJson(words);
    Json counts = Json::array();
    for (auto c : vocab.counts())
        counts.push_back(static_cast<std::uint64_t>(c));
    meta[MetaCounts] = dumpJson(counts);
    writeSafeTensors(path, tensors, meta);
}

template <typename Scalar> LoadedCheckpoint<Scalar> loadCheckpoint(const std::string &path)
{
    const SafeTensorsReader file(path);
    auto fail = [&path](const std::string &m) { throw Error(fileMessage(path, m)); };
    auto shapeOf = [&](const std::string &name) -> const std::vector<std::int64_t> & {
        const TensorInfo *t = file.find(name);
        if (!t)
            fail("not an Embedding Lab / word_language_model RNNModel checkpoint: tensor '" + name
                + "' is missing");
        return t->shape;
    };
    if (const auto format = file.metadata().find(MetaFormat);
        format != file.metadata().end() && format->second == TrainStateFormat)
        fail("this is the training state that goes with a model file (Adam's moments and the "
             "recurrent state), not a model; open the model file beside it");
    auto expectShape = [&](const std::string &name, const std::vector<std::int64_t> &want) {
        const auto &got = shapeOf(name);
        if (got != want)
            fail("tensor '" + name + "' has shape " + shapeText(got) + ", expected "
                + shapeText(want));
    };

    // The architecture follows from the tensor shapes.
    const auto &enc = shapeOf("encoder.weight");
    if (enc.size() != 2)
        fail("tensor 'encoder.weight' must have 2 dimensions, has " + shapeText(enc));
    ModelConfig config;
    // The cell: the one the settings name, or for a file whose settings name none (PyTorch's, or
    // written before there was a choice) the one rnn.weight_hh_l0's shape says. A plain RNN's
    // shape does not say its nonlinearity, and LSTM is the default of older files.
    const NamedCell named = cellOf(file.metadata());
    if (named.named && !named.known)
        fail("unknown recurrent cell '" + named.name + "' in metadata (known: " + cellChoices()
            + ")");
    const auto &whh0 = shapeOf("rnn.weight_hh_l0");
    const bool matrix = whh0.size() == 2;
    const std::vector<CellKind> fits
        = matrix ? cellsWithShape(whh0[0], whh0[1]) : std::vector<CellKind>();
    if (named.named) {
        config.cell = named.kind;
    } else if (fits.size() == 1) {
        config.cell = fits.front();
    } else if (fits.size() > 1) { // a plain RNN: tanh or relu
        std::string names;
        for (std::size_t i = 0; i < fits.size(); ++i)
            names += (i == 0                        ? ""
                             : i + 1 == fits.size() ? " or "
                                                    : ", ")
                + std::string("\"") + cellName(fits[i]) + "\"";
        fail("tensor 'rnn.weight_hh_l0' has shape " + shapeText(whh0) + ", which the cells "
            + quotedNames(fits) + " share: say which with \"cell\": " + names + " in the metadata '"
            + MetaConfig + "'");
    }
    const RecurrentCell<Scalar> &cell = recurrentCell<Scalar>(config.cell);
    if (!matrix || whh0[0] != cell.gateCount() * whh0[1]) {
        std::string m = "tensor 'rnn.weight_hh_l0' has shape " + shapeText(whh0) + ", but "
            + (named.named ? "the metadata names the cell '" + named.name + "'"
                           : std::string("a file that names no cell holds an LSTM"))
            + " and " + cell.recurrentShapeHint() + "; ";
        m += fits.empty() ? "it is no recurrent layer's shape (" + cellChoices() + ")"
                          : "it looks like the file of a " + quotedNames(fits) + " model";
        fail(m);
    }
    config.vocabSize = static_cast<int>(std::min<std::int64_t>(enc[0], 1 << 30));
    config.embeddingDim = static_cast<int>(std::min<std::int64_t>(enc[1], 1 << 30));
    config.hiddenSize = static_cast<int>(std::min<std::int64_t>(whh0[1], 1 << 30));
    int layers = 0;
    while (file.find("rnn.weight_ih_l" + std::to_string(layers)))
        ++layers;
    config.layers = layers;
    config.dropout = 0;

    std::map<std::string, std::string> meta = file.metadata();
    // A checkpoint without the newer fields was tokenised before ICU: one token per ideograph
    // and the simple lowercase table, so its vocabulary still matches the text it encodes.
    TokenizerOptions tokenizer = legacyTokenizerOptions();
    bool tiedInMeta = false;
    if (auto it = meta.find(MetaConfig); it != meta.end()) {
        Json c;
        try {
            c = parseJsonStrict(it->second);
        } catch (const Error &e) {
            fail(std::string("metadata '") + MetaConfig + "' is not valid JSON: " + e.what());
        }
        if (!c.is_object())
            fail(std::string("metadata '") + MetaConfig + "' must be a JSON object");
        try {
            if (const auto d = c.find("dropout"); d != c.end())
                config.dropout = jsonNumber(*d);
            if (const auto t = c.find("tied"); t != c.end())
                tiedInMeta = jsonBool(*t);
            if (const auto t = c.find("tokenizer"); t != c.end()) {
                if (!parseTokenizerMode(jsonString(*t), tokenizer.mode))
                    fail("unknown tokenizer '" + jsonString(*t) + "' in metadata");
            }
            if (const auto lc = c.find("lowercase"); lc != c.end())
                tokenizer.lowercase = jsonBool(*lc);
            if (const auto k = c.find("cjk"); k != c.end()) {
                if (!parseCjkSegmentation(jsonString(*k), tokenizer.cjk))
                    fail("unknown cjk segmentation '" + jsonString(*k) + "' in metadata");
            }
            if (const auto n = c.find("normalize"); n != c.end()) {
                if (!parseNormalization(jsonString(*n), tokenizer.normalize))
                    fail("unknown normalization '" + jsonString(*n) + "' in metadata");
            }
            if (const auto f = c.find("case_folding"); f != c.end()) {
                if (!parseCaseFolding(jsonString(*f), tokenizer.folding))
                    fail("unknown case folding '" + jsonString(*f) + "' in metadata");
            }
            if (const auto k = c.find("cell"); k != c.end())
                jsonString(*k); // a string, as cellOf() read it
            for (const char *key : { "vocab_size", "embedding_dim", "hidden_size", "layers" }) {
                const auto found = c.find(key);
                const Json *v = found == c.end() ? nullptr : &*found;
                const int tensorValue = std::string(key) == "vocab_size" ? config.vocabSize
                    : std::string(key) == "embedding_dim"                ? config.embeddingDim
                    : std::string(key) == "hidden_size"                  ? config.hiddenSize
                                                                         : config.layers;
                if (v && jsonInteger(*v) != tensorValue)
                    fail(std::string("metadata says ") + key + " = "
                        + std::to_string(jsonInteger(*v)) + " but the tensors say "
                        + std::to_string(tensorValue));
            }
        } catch (const Error &e) {
            if (std::string(e.what()).rfind(path, 0) == 0)
                throw;
            fail(std::string("metadata '") + MetaConfig + "': " + e.what());
        }
    }
    const bool hasDecoderWeight = file.find("decoder.weight") != nullptr;
    config.tied = !hasDecoderWeight || tiedInMeta;
    if (!hasDecoderWeight && config.embeddingDim != config.hiddenSize)
        fail("tensor 'decoder.weight' is missing");
    try {
        config.validate();
    } catch (const Error &e) {
        fail(e.what());
    }

    // Every tensor the configuration has, in state_dict order; encoder.weight gave V and E.
    const std::int64_t V = config.vocabSize, H = config.hiddenSize;
    for (const TensorSpec &t : LanguageModel<Scalar>::layout(config)) {
        if (t.name == "encoder.weight")
            continue;
        if (t.name == "decoder.bias" && config.tied && hasDecoderWeight)
            expectShape("decoder.weight", { V, H }); // PyTorch's tied copy
        expectShape(t.name, t.shape);
    }

    // Vocabulary.
    auto vocabIt = meta.find(MetaVocab);
    if (vocabIt == meta.end())
        fail(std::string("no vocabulary: the header's __metadata__ has no '") + MetaVocab
            + "' entry (a JSON list of the " + std::to_string(V)
            + " words in id order); add it to use a model trained elsewhere");
    std::vector<std::string> words;
    std::vector<std::uint64_t> counts;
    try {
        const Json list = parseJsonStrict(vocabIt->second);
        if (!list.is_array())
            fail(std::string("metadata '") + MetaVocab + "' must be a JSON list of words");
        for (const auto &w : list)
            words.push_back(jsonString(w));
        if (auto countIt = meta.find(MetaCounts); countIt != meta.end()) {
            const Json c = parseJsonStrict(countIt->second);
            if (c.is_array() && c.size() == words.size())
                for (const auto &v : c)
                    counts.push_back(
                        static_cast<std::uint64_t>(std::max<std::int64_t>(0, jsonInteger(v))));
        }
    } catch (const Error &e) {
        if (std::string(e.what()).rfind(path, 0) == 0)
            throw;
        fail(std::string("metadata '") + MetaVocab + "': " + e.what());
    }
    if (static_cast<std::int64_t>(words.size()) != V)
        fail("the vocabulary has " + std::to_string(words.size())
            + " words but 'encoder.weight' has " + std::to_string(V) + " rows");

    LoadedCheckpoint<Scalar> out;
    try {
        out.vocab = Vocabulary::fromWords(std::move(words), std::move(counts));
    } catch (const Error &e) {
        fail(e.what()); // "vocabulary: ..." already
    }
    out.model = std::make_unique<LanguageModel<Scalar>>(config);
    for (auto &p : out.model->parameters()) {
        file.read<Scalar>(p.name, p.value->data(), static_cast<std::size_t>(p.value->size()));
        for (Eigen::Index i = 0; i < p.value->size(); ++i)
            if (!std::isfinite(static_cast<double>(p.value->data()[i])))
                fail("tensor '" + p.name + "' contains NaN or infinite values");
    }
    out.tokenizer = tokenizer;
    out.metadata = std::move(meta);
    return out;
}

template void saveCheckpoint<float>(const std::string &, LanguageModel<float> &, const Vocabulary &,
    const TokenizerOptions &, const std::map<std::string, std::string> &);
template void saveCheckpoint<double>(const std::string &, LanguageModel<double> &,
    const Vocabulary &, const TokenizerOptions &, const std::map<std::string, std::string> &);
template LoadedCheckpoint<float> loadCheckpoint<float>(const std::string &);
template LoadedCheckpoint<double> loadCheckpoint<double>(const std::string &);

} // namespace embedlab
