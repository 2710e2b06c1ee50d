using System.Collections.Concurrent;
using System.Text;

namespace AlignLab.Engine.Tokenizers.Models;

/// <summary>
/// Byte-pair encoding as Hugging Face tokenizers runs it (and llama.cpp for "gpt2" vocabularies): split
/// the pre-token into characters, then repeatedly apply the best-ranked merge (leftmost on ties) until
/// none applies. Unknown characters go to byte-fallback tokens or the unknown token. Results are
/// cached per pre-token (bounded) because natural text repeats words constantly.
/// </summary>
internal sealed class BpeModel : ITokenModel
{
    private const int CacheCapacity = 200_000;
    private const int MaxCachedLength = 128;

    /// <summary>Words up to this many symbols merge with a plain scan; longer ones use a heap.</summary>
    private const int ScanLimit = 48;

    private readonly string[] _vocab;
    private readonly Dictionary<string, int> _ids;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _idsBySpan;
    private readonly BpeMergeTable _merges;
    private readonly BpeOptions _options;
    private readonly int[] _byteTokens;
    private readonly ConcurrentDictionary<string, int[]> _cache = new(StringComparer.Ordinal);

    public BpeModel(string[] vocab, Dictionary<string, int> ids, BpeMergeTable merges, BpeOptions options)
    {
        _vocab = vocab;
        _ids = ids;
        _idsBySpan = ids.GetAlternateLookup<ReadOnlySpan<char>>();
        _merges = merges;
        _options = options;
        _byteTokens = new int[256];
        for (var b = 0; b < 256; b++)
        {
            _byteTokens[b] = ids.TryGetValue($"<0x{b:X2}>", out var id) ? id : -1;
        }
    }

    public IReadOnlyList<string> Vocabulary => _vocab;

    public int? TokenToId(string token) => _ids.TryGetValue(token, out var id) ? id : null;

    public void Tokenize(string piece, List<int> output)
    {
        if (piece.Length == 0)
        {
            return;
        }
        if (_options.IgnoreMerges && _ids.TryGetValue(piece, out var whole))
        {
            output.Add(whole);
            return;
        }
        if (_cache.TryGetValue(piece, out var cached))
        {
            output.AddRange(cached);
            return;
        }
        var symbols = new List<int>(piece.Length);
        InitialSymbols(piece, symbols);
        if (symbols.Count <= ScanLimit)
        {
            MergeByScan(symbols);
        }
        else
        {
            MergeWithHeap(symbols);
        }
        output.AddRange(symbols);
        if (piece.Length <= MaxCachedLength && _cache.Count < CacheCapacity)
        {
            _cache.TryAdd(piece, [.. symbols]);
        }
    }

    private void InitialSymbols(string piece, List<int> symbols)
    {
        var unkId = -1;
        for (var i = 0; i < piece.Length;)
        {
            var step = char.IsHighSurrogate(piece[i]) && i + 1 < piece.Length && char.IsLowSurrogate(piece[i + 1]) ? 2 : 1;
            var isFirst = i == 0;
            var isLast = i + step == piece.Length;
            var ch = piece.AsSpan(i, step);
            i += step;
            int id;
            bool found;
            if ((!isFirst && _options.ContinuingSubwordPrefix is not null) || (isLast && _options.EndOfWordSuffix is not null))
            {
                var s = (isFirst ? "" : _options.ContinuingSubwordPrefix ?? "") + ch.ToString() + (isLast ? _options.EndOfWordSuffix ?? "" : "");
                found = _ids.TryGetValue(s, out id);
            }
            else
            {
                found = _idsBySpan.TryGetValue(ch, out id);
            }
            if (found)
            {
                if (unkId >= 0)
                {
                    symbols.Add(unkId);
                    unkId = -1;
                }
                symbols.Add(id);
                continue;
            }
            if (_options.ByteFallback && TryAddBytes(ch, symbols))
            {
                continue;
            }
            if (_options.UnkId is int unk)
            {
                // fuse_unk: consecutive unknown characters become one unknown token.
                if (unkId >= 0 && !_options.FuseUnk)
                {
                    symbols.Add(unkId);
                }
                unkId = unk;
            }
        }
        if (unkId >= 0)
        {
            symbols.Add(unkId);
        }
    }

    private bool TryAddBytes(ReadOnlySpan<char> ch, List<int> symbols)
    {
        Span<byte> bytes = stackalloc byte[4];
        var n = Encoding.UTF8.GetBytes(ch, bytes);
        for (var k = 0; k < n; k++)
        {
            if (_byteTokens[bytes[k]] < 0)
            {
                return false;
            }
        }
        for (var k = 0; k < n; k++)
        {
            symbols.Add(_byteTokens[bytes[k]]);
        }
        return true;
    }

    private void MergeByScan(List<int> symbols)
    {
        while (symbols.Count > 1)
        {
            var bestRank = int.MaxValue;
            var bestPos = -1;
            var bestId = 0;
            for (var i = 0; i + 1 < symbols.Count; i++)
            {
                if (_merges.TryGet(symbols[i], symbols[i + 1], out var rank, out var newId) && rank < bestRank)
                {
                    bestRank = rank;
                    bestPos = i;
                    bestId = newId;
                }
            }
            if (bestPos < 0)
            {
                return;
            }
            symbols[bestPos] = bestId;
            symbols.RemoveAt(bestPos + 1);
        }
    }

    /// <summary>Same result as the scan: pops the lowest (rank, position) pair that is still adjacent.</summary>
    private void MergeWithHeap(List<int> symbols)
    {
        var n = symbols.Count;
        var ids = symbols.ToArray();
        var prev = new int[n];
        var next = new int[n];
        for (var i = 0; i < n; i++)
        {
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        var queue = new PriorityQueue<(int Pos, int Left, int Right, int NewId), long>();
        void Push(int pos)
        {
            var right = next[pos];
            if (right >= 0 && _merges.TryGet(ids[pos], ids[right], out var rank, out var newId))
            {
                queue.Enqueue((pos, ids[pos], ids[right], newId), ((long)rank << 32) | (uint)pos);
            }
        }
        for (var i = 0; i + 1 < n; i++)
        {
            Push(i);
        }
        while (queue.TryDequeue(out var top, out _))
        {
            var right = next[top.Pos];
            // Stale entry: the left symbol grew or its neighbour changed since it was queued.
            if (ids[top.Pos] != top.Left || right < 0 || ids[right] != top.Right)
            {
                continue;
            }
            ids[top.Pos] = top.NewId;
            ids[right] = -1;
            next[top.Pos] = next[right];
            if (next[right] >= 0)
            {
                prev[next[right]] = top.Pos;
            }
            if (prev[top.Pos] >= 0)
            {
                Push(prev[top.Pos]);
            }
            Push(top.Pos);
        }
        symbols.Clear();
        for (var i = 0; i >= 0; i = next[i])
        {
            symbols.Add(ids[i]);
        }
    }
}
