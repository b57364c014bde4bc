#include "core/vectors/formats.h"

namespace embedlab {

const std::vector<VectorFormatInfo> &vectorFormats()
{
    // Detection asks a layout's formats with a claim first, in this order, then the one without.
    static const std::vector<VectorFormatInfo> formats
        = { vectors::gloveFormat(), vectors::word2vecTextFormat(), vectors::word2vecBinaryFormat(),
              vectors::fastTextFormat(), vectors::fastTextBinFormat(), vectors::projectorFormat(),
              vectors::checkpointFormat(), vectors::numpyFormat() };
    return formats;
}

const VectorFormatInfo *findVectorFormat(VectorFormat format)
{
    for (const VectorFormatInfo &f : vectorFormats()) {
        if (f.id == format)
            return &f;
    }
    return nullptr;
}

const char *vectorFormatName(VectorFormat format)
{
    const VectorFormatInfo *f = findVectorFormat(format);
    return f ? f->name : "auto";
}

bool parseVectorFormat(std::string_view name, VectorFormat &format)
{
    if (name == "auto") {
        format = VectorFormat::Auto;
        return true;
    }
    for (const VectorFormatInfo &f : vectorFormats()) {
        if (name == f.name) {
            format = f.id;
            return true;
        }
    }
    return false;
}

VectorFormat exportFormatForPath(std::string_view path)
{
    VectorFormat best = VectorFormat::Word2VecText;
    std::size_t bestLength = 0;
    for (const VectorFormatInfo &f : vectorFormats()) {
        if (!f.write)
            continue;
        for (const std::string &ext : f.extensions) {
            const std::size_t n = ext.size() + 1;
            if (n > bestLength && path.size() >= n && path[path.size() - n] == '.'
                && path.substr(path.size() - ext.size()) == ext) {
                best = f.id;
                bestLength = n;
            }
        }
    }
    return best;
}

} // namespace embedlab
