#include "core/classifiercheckpoint.h"

#include <type_traits>

#include "core/checkpoint.h"
#include "core/error.h"
#include "core/jsonfields.h"
#include "core/safetensors.h"

#include <nlohmann/json.hpp>

namespace embedlab {

using Json = nlohmann::ordered_json;

bool isClassifierMetadata(const std::map<std::string, std::string> &metadata)
{
    const auto it = metadata.find(MetaFormat);
    return it != metadata.end() && it->second == ClassifierCheckpointFormat;
}

template <typename Scalar>
void saveClassifierCheckpoint(const std::string &path, TextClassifier<Scalar> &model,
    const Vocabulary &vocab, const std::vector<std::string> &labels,
    const TokenizerOptions &tokenizer, const PadOptions &pad,
    const std::map<std::string, std::string> &extra)
{
    const ClassifierConfig &c = model.config();
    if (vocab.size() != c.vocabSize || static_cast<int>(labels.size()) != c.classes)
        throw Error(
            fileMessage(path, "cannot save: the vocabulary or labels do not fit the model"));
    const DType dtype = std::is_same<Scalar, double>::value ? DType::F64 : DType::F32;
    std::vector<TensorToWrite> tensors;
    for (auto &p : model.parameters())
        tensors.push_back({ p.name, p.shape, dtype, p.value->data() });
    std::map<std::string, std::string> meta = extra;
    meta[MetaFormat] = ClassifierCheckpointFormat;
    meta[MetaConfig] = dumpJson(Json { { "task", "classify" }, { "cell", cellName(c.cell) },
        { "vocab_size", c.vocabSize }, { "embedding_dim", c.embeddingDim },
        { "hidden_size", c.hiddenSize }, { "layers", c.layers }, { "classes", c.classes },
        { "pooling", poolingName(c.pooling) }, { "max_length", pad.maxLength },
        { "padding", padSideName(pad.padding) }, { "truncating", padSideName(pad.truncating) },
        { "tokenizer", tokenizerModeName(tokenizer.mode) }, { "lowercase", tokenizer.lowercase },
        { "cjk", cjkSegmentationName(tokenizer.cjk) },
        { "normalize", normalizationName(tokenizer.normalize) },
        { "case_folding", caseFoldingName(tokenizer.folding) } });
    Json words = Json::array();
    for (const auto &w : vocab.words())
        words.push_back(w);
    meta[MetaVocab] = dumpJson(words);
    Json counts = Json::array();
    for (auto n : vocab.counts())
        counts.push_back(static_cast<std::uint64_t>(n));
    meta[MetaCounts] = dumpJson(counts);
    Json names = Json::array();
    for (const auto &l : labels)
        names.push_back(l);
    meta[MetaLabels] = dumpJson(names);
    writeSafeTensors(path, tensors, meta);
}

template <typename Scalar>
LoadedClassifier<Scalar> loadClassifierCheckpoint(const std::string &path)
{
    const SafeTensorsReader file(path);
    auto fail = [&path](const std::string &m) { throw Error(fileMessage(path, m)); };
    const auto &meta = file.metadata();
    if (!isClassifierMetadata(meta))
        fail("not a text classifier (its metadata has no format '"
            + std::string(ClassifierCheckpointFormat)
            + "'); a language model is used with eval "
              "and generate");
    auto metaJson = [&](const char *key) {
        const auto it = meta.find(key);
        if (it == meta.end())
            fail(std::string("no '") + key + "' in the metadata");
        try {
            return parseJsonStrict(it->second);
        } catch (const Error &e) {
            fail(std::string("metadata '") + key + "': " + e.what());
        }
        return Json();
    };
    LoadedClassifier<Scalar> out;
    out.metadata = meta;
    ClassifierConfig config;
    try {
        const Json c = metaJson(MetaConfig);
        if (!parseCell(jsonString(member(c, "cell")), config.cell))
            fail("unknown cell '" + jsonString(member(c, "cell")) + "' in metadata");
        config.vocabSize = static_cast<int>(jsonInteger(member(c, "vocab_size")));
        config.embeddingDim = static_cast<int>(jsonInteger(member(c, "embedding_dim")));
        config.hiddenSize = static_cast<int>(jsonInteger(member(c, "hidden_size")));
        config.layers = static_cast<int>(jsonInteger(member(c, "layers")));
        config.classes = static_cast<int>(jsonInteger(member(c, "classes")));
        if (!parsePooling(jsonString(member(c, "pooling")), config.pooling))
            fail("unknown pooling '" + jsonString(member(c, "pooling")) + "' in metadata");
        out.pad.maxLength = static_cast<int>(jsonInteger(member(c, "max_length")));
        if (!parsePadSide(jsonString(member(c, "padding")), out.pad.padding)
            || !parsePadSide(jsonString(member(c, "truncating")), out.pad.truncating))
            fail("padding and truncating must be 'pre' or 'post' in metadata");
        if (!parseTokenizerMode(jsonString(member(c, "tokenizer")), out.tokenizer.mode))
            fail("unknown tokenizer in metadata");
        out.tokenizer.lowercase = jsonBool(member(c, "lowercase"));
        if (!parseCjkSegmentation(jsonString(member(c, "cjk")), out.tokenizer.cjk)
            || !parseNormalization(jsonString(member(c, "normalize")), out.tokenizer.normalize)
            || !parseCaseFolding(jsonString(member(c, "case_folding")), out.tokenizer.folding))
            fail("unknown cjk, normalize or case_folding in metadata");
        std::vector<std::string> words;
        for (const auto &w : metaJson(MetaVocab))
            words.push_back(jsonString(w));
        std::vector<std::uint64_t> counts;
        if (meta.count(MetaCounts))
            for (const auto &n : metaJson(MetaCounts))
                counts.push_back(static_cast<std::uint64_t>(jsonInteger(n)));
        out.vocab = Vocabulary::fromWords(std::move(words), std::move(counts));
        for (const auto &l : metaJson(MetaLabels))
            out.labels.push_back(jsonString(l));
    } catch (const Error &e) {
        const std::string what = e.what();
        if (what.rfind(path, 0) == 0)
            throw;
        fail(what);
    }
    if (out.vocab.size() != config.vocabSize)
        fail("the vocabulary has " + std::to_string(out.vocab.size()) + " words, the settings say "
            + std::to_string(config.vocabSize));
    if (static_cast<int>(out.labels.size()) != config.classes)
        fail("the metadata lists " + std::to_string(out.labels.size()) + " labels for "
            + std::to_string(config.classes) + " classes");
    try {
        config.validate();
    } catch (const Error &e) {
        fail(e.what());
    }
    out.model = std::make_unique<TextClassifier<Scalar>>(config);
    for (auto &p : out.model->parameters()) {
        const TensorInfo *t = file.find(p.name);
        if (!t)
            fail("tensor '" + p.name + "' is missing");
        if (t->shape != p.shape)
            fail("tensor '" + p.name + "' has another shape than the settings give");
        file.read<Scalar>(p.name, p.value->data(), static_cast<std::size_t>(p.value->size()));
    }
    return out;
}

template void saveClassifierCheckpoint(const std::string &, TextClassifier<float> &,
    const Vocabulary &, const std::vector<std::string> &, const TokenizerOptions &,
    const PadOptions &, const std::map<std::string, std::string> &);
template void saveClassifierCheckpoint(const std::string &, TextClassifier<double> &,
    const Vocabulary &, const std::vector<std::string> &, const TokenizerOptions &,
    const PadOptions &, const std::map<std::string, std::string> &);
template LoadedClassifier<float> loadClassifierCheckpoint(const std::string &);
template LoadedClassifier<double> loadClassifierCheckpoint(const std::string &);

} // namespace embedlab
