#pragma once
// Error type thrown by the engine; the message names the file (and line or field) and the reason.
#include <stdexcept>
#include <string>

namespace embedlab {

class Error : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

// "path: message" or "path line N: message" (line counted from 1; 0 means no line).
inline std::string fileMessage(
    const std::string &path, const std::string &message, std::size_t line = 0)
{
    std::string s = path;
    if (line > 0)
        s += " line " + std::to_string(line);
    s += ": ";
    s += message;
    return s;
}

} // namespace embedlab
