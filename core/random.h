#pragma once
// Small, fast, seedable generator (xoshiro256**, seeded through splitmix64): reproducible runs.
#include <array>
#include <cstdint>

namespace embedlab {

class Rng
{
public:
    using Words = std::array<std::uint64_t, 4>;

    explicit Rng(std::uint64_t seed = 1) { reseed(seed); }

    // The generator's whole state: a run that stops and continues draws the same numbers as one
    // that never stopped.
    Words words() const { return { m_s[0], m_s[1], m_s[2], m_s[3] }; }
    void setWords(const Words &w)
    {
        for (int i = 0; i < 4; ++i)
            m_s[i] = w[static_cast<std::size_t>(i)];
    }

    void reseed(std::uint64_t seed)
    {
        for (auto &s : m_s) {
            seed += 0x9e3779b97f4a7c15ULL;
            std::uint64_t z = seed;
            z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
            z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
            s = z ^ (z >> 31);
        }
    }

    std::uint64_t next()
    {
        const std::uint64_t result = rotl(m_s[1] * 5, 7) * 9;
        const std::uint64_t t = m_s[1] << 17;
        m_s[2] ^= m_s[0];
        m_s[3] ^= m_s[1];
        m_s[1] ^= m_s[2];
        m_s[0] ^= m_s[3];
        m_s[2] ^= t;
        m_s[3] = rotl(m_s[3], 45);
        return result;
    }

    // Uniform in [0, 1).
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    std::uint64_t m_s[4];
};

} // namespace embedlab
