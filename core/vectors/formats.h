#pragma once
// The rows of the format table, one per format file (glove.cpp, word2vec_text.cpp, ...).
#include "core/vectors/format.h"

namespace embedlab::vectors {

VectorFormatInfo gloveFormat();
VectorFormatInfo word2vecTextFormat();
VectorFormatInfo word2vecBinaryFormat();
VectorFormatInfo fastTextFormat();
VectorFormatInfo fastTextBinFormat();
VectorFormatInfo projectorFormat();
VectorFormatInfo checkpointFormat();
VectorFormatInfo numpyFormat();

} // namespace embedlab::vectors
