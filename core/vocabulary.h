#pragma once
// The word <-> id mapping of a model, with the training count of each word.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace embedlab {

// Ids 0, 1, 2 are always <pad>, <unk>, <eos>. Lookup is an open-addressing hash table of ids
// (as in fastText's Dictionary), so a string_view is looked up without building a std::string
// and a million-word vocabulary costs a few bytes per word on top of the words themselves.
class Vocabulary
{
public:
    static constexpr int Pad = 0, Unk = 1, Eos = 2;
    static constexpr int SpecialCount = 3;
    static constexpr const char *PadWord = "<pad>";
    static constexpr const char *UnkWord = "<unk>";
    static constexpr const char *EosWord = "<eos>";

    Vocabulary(); // just the three specials, counts 0

    // counts: every distinct token with its count, in order of first appearance.
    // Ids by descending count, ties by first appearance. Tokens with count < minCount, and those
    // beyond maxVocab total entries (specials included; 0 = unlimited), are left out (they map to
    // <unk>). Tokens spelled like a special are skipped. The specials get count 0.
    static Vocabulary build(const std::vector<std::pair<std::string, std::uint64_t>> &counts,
        std::uint64_t minCount, std::size_t maxVocab);

    // From a stored word list (checkpoints): must start with <pad>, <unk>, <eos> and have no
    // duplicates, else throws Error. counts is empty (all 0) or has one entry per word.
    static Vocabulary fromWords(
        std::vector<std::string> words, std::vector<std::uint64_t> counts = {});

    int size() const { return static_cast<int>(m_words.size()); }
    const std::string &word(int id) const; // throws Error if id is out of range
    int find(std::string_view w) const; // -1 if absent
    int id(std::string_view w) const; // Unk if absent
    std::uint64_t count(int id) const; // throws Error if id is out of range
    void setCount(int id, std::uint64_t count); // throws Error if id is out of range

    // The id of w, appending it with count 0 if it is new.
    int add(std::string_view w);

    const std::vector<std::string> &words() const { return m_words; }
    const std::vector<std::uint64_t> &counts() const { return m_counts; }

private:
    struct Slot
    {
        std::int32_t id = -1; // -1: empty
        std::uint32_t tag = 0; // high bits of the hash, compared before the string
    };

    void checkId(int id) const;
    std::size_t findSlot(std::string_view w, std::size_t hash) const;
    void rehash(std::size_t slotCount);

    std::vector<std::string> m_words;
    std::vector<std::uint64_t> m_counts;
    std::vector<Slot> m_slots; // power-of-two size, at most half full, linear probing
};

} // namespace embedlab
