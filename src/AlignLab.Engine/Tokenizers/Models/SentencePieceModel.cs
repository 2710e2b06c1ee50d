using System.Text;

namespace AlignLab.Engine.Tokenizers.Models;

/// <summary>
/// llama.cpp's SentencePiece-BPE tokenizer (llm_tokenizer_spm) for GGUF "llama" vocabularies: start
/// from single characters, repeatedly merge the adjacent pair whose concatenation is the vocabulary
/// entry with the highest score (leftmost on ties), then emit each symbol's id. Merged symbols are
/// always vocabulary entries, so only single characters can be unknown: they become &lt;0xXX&gt; byte
/// tokens (llama.cpp's re-segmentation along recorded merges never has anything else to do).
/// Expects text already escaped (spaces as ▁, prefix added) by the normalizer.
/// </summary>
internal sealed class SentencePieceModel : ITokenModel
{
    private readonly string[] _vocab;
    private readonly float[] _scores;
    private readonly Dictionary<string, int> _ids;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _idsBySpan;
    private readonly int[] _byteTokens;

    public SentencePieceModel(string[] vocab, float[] scores, Dictionary<string, int> ids, int unkId)
    {
        _vocab = vocab;
        _scores = scores;
        _ids = ids;
        _idsBySpan = ids.GetAlternateLookup<ReadOnlySpan<char>>();
        _byteTokens = new int[256];
        for (var b = 0; b < 256; b++)
        {
            // llama.cpp's byte_to_token: the <0xXX> token, else the byte as a one-character token.
            _byteTokens[b] = ids.TryGetValue($"<0x{b:X2}>", out var id) ? id
                : b < 0x80 && ids.TryGetValue(((char)b).ToString(), out id) ? id : unkId;
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
        // Symbols: [start, start+length) of piece, linked; length 0 = merged away.
        var starts = new List<int>();
        var lengths = new List<int>();
        for (var i = 0; i < piece.Length;)
        {
            var step = char.IsHighSurrogate(piece[i]) && i + 1 < piece.Length && char.IsLowSurrogate(piece[i + 1]) ? 2 : 1;
            starts.Add(i);
            lengths.Add(step);
            i += step;
        }
        var n = starts.Count;
        var prev = new int[n];
        var next = new int[n];
        for (var i = 0; i < n; i++)
        {
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        // Highest score first, then lowest left index: priority = (-score, left).
        var queue = new PriorityQueue<(int Left, int Right, int Size), (float NegScore, int Left)>(
            Comparer<(float NegScore, int Left)>.Create(static (a, b) => a.NegScore != b.NegScore ? a.NegScore.CompareTo(b.NegScore) : a.Left.CompareTo(b.Left)));

        void TryAddBigram(int left, int right)
        {
            if (left < 0 || right < 0)
            {
                return;
            }
            var text = piece.AsSpan(starts[left], lengths[left] + lengths[right]);
            if (!_idsBySpan.TryGetValue(text, out var id))
            {
                return;
            }
            queue.Enqueue((left, right, text.Length), (-_scores[id], left));
        }

        for (var i = 1; i < n; i++)
        {
            TryAddBigram(i - 1, i);
        }
        while (queue.TryDequeue(out var bigram, out _))
        {
            var leftLength = lengths[bigram.Left];
            var rightLength = lengths[bigram.Right];
            if (leftLength == 0 || rightLength == 0 || leftLength + rightLength != bigram.Size)
            {
                continue;
            }
            lengths[bigram.Left] = leftLength + rightLength;
            lengths[bigram.Right] = 0;
            next[bigram.Left] = next[bigram.Right];
            if (next[bigram.Right] >= 0)
            {
                prev[next[bigram.Right]] = bigram.Left;
            }
            TryAddBigram(prev[bigram.Left], bigram.Left);
            TryAddBigram(bigram.Left, next[bigram.Left]);
        }
        Span<byte> bytes = stackalloc byte[8];
        for (var i = 0; i != -1; i = next[i])
        {
            var text = piece.AsSpan(starts[i], lengths[i]);
            if (_idsBySpan.TryGetValue(text, out var id))
            {
                output.Add(id);
                continue;
            }
            var count = Encoding.UTF8.GetBytes(text, bytes);
            for (var k = 0; k < count; k++)
            {
                output.Add(_byteTokens[bytes[k]]);
            }
        }
    }
}
