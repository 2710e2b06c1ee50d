using AlignLab.Engine.Tokenizers.ByteLevel;
using AlignLab.Engine.Tokenizers.PreTokenizers;

namespace AlignLab.Engine.Tokenizers.Training;

/// <summary>
/// Learns a byte-level BPE vocabulary (GPT-2 style) from text: the text is split by GPT-2's
/// pre-tokenizer regex and written in the byte-level alphabet, so every byte sequence stays encodable;
/// then the most frequent adjacent pair of symbols (ties to the lowest ids) is merged, again and again,
/// until the vocabulary reaches the size asked for or no pair occurs twice. Special tokens take the
/// first ids and are never learned from: their text is cut out of the training text. Counting is
/// incremental (only the words holding the merged pair are revisited), and the result depends only
/// on the text, its order and the settings.
/// </summary>
public static class ByteLevelBpeTrainer
{
    /// <summary>A pair must occur at least this often to be merged.</summary>
    private const int MinFrequency = 2;

    /// <summary>Learns a vocabulary of at most <paramref name="vocabSize"/> tokens (special tokens and the 256 bytes included).</summary>
    public static ByteLevelBpeVocabulary Train(IEnumerable<string> texts, int vocabSize, IReadOnlyList<string> specialTokens)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(specialTokens);
        var baseSize = specialTokens.Count + 256;
        if (vocabSize < baseSize)
        {
            throw new ArgumentOutOfRangeException(nameof(vocabSize), vocabSize, $"must be at least {baseSize}: the {specialTokens.Count} special tokens and 256 bytes");
        }
        if (specialTokens.Distinct(StringComparer.Ordinal).Count() != specialTokens.Count || specialTokens.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("special tokens must be distinct and non-empty", nameof(specialTokens));
        }

        var tokens = new List<string>(specialTokens);
        for (var b = 0; b < 256; b++)
        {
            tokens.Add(ByteLevelAlphabet.ByteToChar((byte)b).ToString());
        }
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < tokens.Count; i++)
        {
            ids.TryAdd(tokens[i], i);
        }

        var (words, counts) = CountWords(texts, specialTokens, ids);
        var pairs = new PairCounts();
        for (var w = 0; w < words.Count; w++)
        {
            pairs.AddWord(w, words[w], counts[w]);
        }
        var merges = new List<(string Left, string Right)>();
        while (tokens.Count < vocabSize && pairs.TryTakeBest(MinFrequency, out var left, out var right))
        {
            var merged = tokens[left] + tokens[right];
            if (!ids.TryGetValue(merged, out var id))
            {
                id = tokens.Count;
                tokens.Add(merged);
                ids[merged] = id;
            }
            merges.Add((tokens[left], tokens[right]));
            foreach (var w in pairs.WordsWith(left, right))
            {
                var word = words[w];
                if (!Contains(word, left, right))
                {
                    continue;
                }
                pairs.RemoveWord(w, word, counts[w]);
                words[w] = word = Merge(word, left, right, id);
                pairs.AddWord(w, word, counts[w]);
            }
        }
        return new ByteLevelBpeVocabulary(tokens, merges, specialTokens);
    }

    /// <summary>The distinct pre-tokens of the text as symbol ids (bytes), with how often each occurs, in first-seen order.</summary>
    private static (List<int[]> Words, List<long> Counts) CountWords(IEnumerable<string> texts, IReadOnlyList<string> specialTokens, Dictionary<string, int> ids)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var words = new List<int[]>();
        var counts = new List<long>();
        var preTokenizer = new ByteLevelPreTokenizer(addPrefixSpace: false, useRegex: true);
        var pieces = new List<Piece>();
        foreach (var text in texts)
        {
            foreach (var part in text.Split([.. specialTokens], StringSplitOptions.None))
            {
                if (part.Length == 0)
                {
                    continue;
                }
                pieces.Clear();
                preTokenizer.PreTokenize(new Piece(part, AtOrigin: false), pieces);
                foreach (var piece in pieces)
                {
                    if (index.TryGetValue(piece.Text, out var w))
                    {
                        counts[w]++;
                        continue;
                    }
                    index[piece.Text] = words.Count;
                    words.Add([.. piece.Text.Select(c => ids[c.ToString()])]);
                    counts.Add(1);
                }
            }
        }
        return (words, counts);
    }

    private static bool Contains(int[] word, int left, int right)
    {
        for (var i = 0; i + 1 < word.Length; i++)
        {
            if (word[i] == left && word[i + 1] == right)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Replaces every occurrence of (left, right), scanning left to right without overlaps, by <paramref name="id"/>.</summary>
    private static int[] Merge(int[] word, int left, int right, int id)
    {
        var result = new List<int>(word.Length);
        for (var i = 0; i < word.Length; i++)
        {
            if (i + 1 < word.Length && word[i] == left && word[i + 1] == right)
            {
                result.Add(id);
                i++;
            }
            else
            {
                result.Add(word[i]);
            }
        }
        return [.. result];
    }

    /// <summary>
    /// How often each adjacent pair occurs (weighted by word counts), which words hold it, and an ordered
    /// set to find the most frequent pair quickly: the highest count, then the lowest left id, then the lowest right id.
    /// </summary>
    private sealed class PairCounts
    {
        private readonly Dictionary<(int, int), long> _counts = [];
        private readonly Dictionary<(int, int), HashSet<int>> _words = [];
        private readonly SortedSet<(long NegativeCount, int Left, int Right)> _ranked = [];

        public void AddWord(int w, int[] word, long count)
        {
            for (var i = 0; i + 1 < word.Length; i++)
            {
                var pair = (word[i], word[i + 1]);
                Change(pair, count);
                if (!_words.TryGetValue(pair, out var set))
                {
                    _words[pair] = set = [];
                }
                set.Add(w);
            }
        }

        public void RemoveWord(int w, int[] word, long count)
        {
            for (var i = 0; i + 1 < word.Length; i++)
            {
                Change((word[i], word[i + 1]), -count);
            }
        }

        /// <summary>The words that held the pair at some point (a word may have lost it since), in ascending order.</summary>
        public int[] WordsWith(int left, int right)
            => _words.Remove((left, right), out var set) ? [.. set.Order()] : [];

        public bool TryTakeBest(int minFrequency, out int left, out int right)
        {
            if (_ranked.Count == 0 || -_ranked.Min.NegativeCount < minFrequency)
            {
                (left, right) = (0, 0);
                return false;
            }
            (_, left, right) = _ranked.Min;
            return true;
        }

        private void Change((int Left, int Right) pair, long delta)
        {
            _counts.TryGetValue(pair, out var old);
            var updated = old + delta;
            if (old > 0)
            {
                _ranked.Remove((-old, pair.Left, pair.Right));
            }
            if (updated > 0)
            {
                _counts[pair] = updated;
                _ranked.Add((-updated, pair.Left, pair.Right));
            }
            else
            {
                _counts.Remove(pair);
            }
        }
    }
}
