#include "core/vocabulary.h"

#include <algorithm>
#include <functional>
#include <limits>

#include "core/error.h"

namespace embedlab {

namespace {

std::size_t hashOf(std::string_view w)
{
    return std::hash<std::string_view> {}(w);
}

std::uint32_t tagOf(std::size_t hash)
{
    return static_cast<std::uint32_t>(static_cast<std::uint64_t>(hash) >> 32);
}

// The smallest power of two that keeps n entries at most half full.
std::size_t slotCountFor(std::size_t n)
{
    std::size_t slots = 16;
    while (slots < 2 * n)
        slots *= 2;
    return slots;
}

} // namespace

Vocabulary::Vocabulary()
{
    rehash(slotCountFor(SpecialCount));
    add(PadWord);
    add(UnkWord);
    add(EosWord);
}

Vocabulary Vocabulary::build(const std::vector<std::pair<std::string, std::uint64_t>> &counts,
    std::uint64_t minCount, std::size_t maxVocab)
{
    std::vector<std::size_t> order;
    order.reserve(counts.size());
    for (std::size_t i = 0; i < counts.size(); ++i) {
        if (counts[i].second >= minCount)
            order.push_back(i);
    }
    // Stable, so equal counts keep their order of first appearance.
    std::stable_sort(order.begin(), order.end(),
        [&counts](std::size_t a, std::size_t b) { return counts[a].second > counts[b].second; });

    const std::size_t limit = maxVocab == 0 ? std::numeric_limits<std::size_t>::max() : maxVocab;
    Vocabulary v;
    const std::size_t expected = std::min(order.size() + SpecialCount, limit);
    v.m_words.reserve(expected);
    v.m_counts.reserve(expected);
    v.rehash(slotCountFor(expected));
    for (std::size_t i : order) {
        if (v.m_words.size() >= limit)
            break;
        const auto &[word, count] = counts[i];
        const int before = v.size();
        const int id = v.add(word);
        if (id < before)
            continue; // spelled like a special (or listed twice)
        v.m_counts[id] = count;
    }
    return v;
}

Vocabulary Vocabulary::fromWords(std::vector<std::string> words, std::vector<std::uint64_t> counts)
{
    if (words.size() < SpecialCount || words[Pad] != PadWord || words[Unk] != UnkWord
        || words[Eos] != EosWord)
        throw Error("vocabulary: the word list must start with <pad>, <unk>, <eos>");
    if (!counts.empty() && counts.size() != words.size())
        throw Error("vocabulary: " + std::to_string(words.size()) + " words but "
            + std::to_string(counts.size()) + " counts");
    if (counts.empty())
        counts.assign(words.size(), 0);
    if (words.size() > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()))
        throw Error("vocabulary: too many words");

    Vocabulary v;
    v.m_words = std::move(words);
    v.m_counts = std::move(counts);
    v.m_slots.assign(slotCountFor(v.m_words.size()), Slot {});
    for (std::size_t i = 0; i < v.m_words.size(); ++i) {
        const std::string &w = v.m_words[i];
        const std::size_t hash = hashOf(w);
        const std::size_t slot = v.findSlot(w, hash);
        if (v.m_slots[slot].id >= 0)
            throw Error("vocabulary: word \"" + w + "\" appears twice (ids "
                + std::to_string(v.m_slots[slot].id) + " and " + std::to_string(i) + ")");
        v.m_slots[slot] = { static_cast<std::int32_t>(i), tagOf(hash) };
    }
    return v;
}

void Vocabulary::checkId(int id) const
{
    if (id < 0 || id >= size())
        throw Error("vocabulary: id " + std::to_string(id) + " out of range (size "
            + std::to_string(size()) + ")");
}

const std::string &Vocabulary::word(int id) const
{
    checkId(id);
    return m_words[static_cast<std::size_t>(id)];
}

int Vocabulary::find(std::string_view w) const
{
    return m_slots[findSlot(w, hashOf(w))].id;
}

int Vocabulary::id(std::string_view w) const
{
    const int i = find(w);
    return i < 0 ? Unk : i;
}

std::uint64_t Vocabulary::count(int id) const
{
    checkId(id);
    return m_counts[static_cast<std::size_t>(id)];
}

void Vocabulary::setCount(int id, std::uint64_t count)
{
    checkId(id);
    m_counts[static_cast<std::size_t>(id)] = count;
}

int Vocabulary::add(std::string_view w)
{
    const std::size_t hash = hashOf(w);
    std::size_t slot = findSlot(w, hash);
    if (m_slots[slot].id >= 0)
        return m_slots[slot].id;
    if (2 * (m_words.size() + 1) > m_slots.size()) {
        rehash(2 * m_slots.size());
        slot = findSlot(w, hash);
    }
    const auto id = static_cast<std::int32_t>(m_words.size());
    m_words.emplace_back(w);
    m_counts.push_back(0);
    m_slots[slot] = { id, tagOf(hash) };
    return id;
}

std::size_t Vocabulary::findSlot(std::string_view w, std::size_t hash) const
{
    const std::size_t mask = m_slots.size() - 1;
    const std::uint32_t tag = tagOf(hash);
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
        const Slot &s = m_slots[i];
        if (s.id < 0 || (s.tag == tag && m_words[static_cast<std::size_t>(s.id)] == w))
            return i;
    }
}

void Vocabulary::rehash(std::size_t slotCount)
{
    if (slotCount <= m_slots.size())
        return;
    m_slots.assign(slotCount, Slot {});
    const std::size_t mask = slotCount - 1;
    for (std::size_t id = 0; id < m_words.size(); ++id) {
        const std::size_t hash = hashOf(m_words[id]);
        std::size_t i = hash & mask;
        while (m_slots[i].id >= 0)
            i = (i + 1) & mask;
        m_slots[i] = { static_cast<std::int32_t>(id), tagOf(hash) };
    }
}

} // namespace embedlab
