#pragma once
// Recognises the files people mistake for a checkpoint (images, PyTorch and Keras files, NumPy
// arrays, word vectors, plain text) from their first bytes, so a refusal can say what the file
// is and what to do with it instead.
#include <string>
#include <string_view>

namespace embedlab {

// What `bytes` (a file's content, or at least its first few kilobytes) looks like when it is
// not a safetensors file: "it is a PNG image", "it is a PyTorch file saved with torch.save
// (...); ...". Empty when the content matches none of the known kinds.
std::string describeForeignFile(std::string_view bytes);

} // namespace embedlab
