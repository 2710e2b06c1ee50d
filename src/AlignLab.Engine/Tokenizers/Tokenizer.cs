using System.Text;
using AlignLab.Engine.Tokenizers.AddedTokens;
using AlignLab.Engine.Tokenizers.Decoders;
using AlignLab.Engine.Tokenizers.PreTokenizers;
using AlignLab.Engine.Tokenizers.PostProcessors;

namespace AlignLab.Engine.Tokenizers;

/// <summary>
/// The encoding pipeline shared by every loader: added/special tokens are cut out (normalizing the
/// text between them) → pre-tokenizer → model → post-processor; decoding runs the decoder chain.
/// Immutable after construction and safe to use from several threads.
/// </summary>
public sealed class Tokenizer : ITokenizer
{
    private readonly TokenizerParts _parts;
    private readonly Dictionary<string, int> _addedByContent;
    private readonly int _vocabSize;

    internal Tokenizer(TokenizerParts parts)
    {
        _parts = parts;
        _addedByContent = new Dictionary<string, int>(StringComparer.Ordinal);
        var size = parts.Model.Vocabulary.Count;
        foreach (var (id, content) in parts.AddedTokens)
        {
            _addedByContent[content] = id;
            size = Math.Max(size, id + 1);
        }
        _vocabSize = size;
        AddBosByDefault = parts.BosId is int bos && parts.PostProcessor is TemplateProcessor t && t.Before.Count > 0 && t.Before[0] == bos;
    }

    public string Kind => _parts.Kind;

    public int VocabSize => _vocabSize;

    public int? BosId => _parts.BosId;

    public int? EosId => _parts.EosId;

    public bool AddBosByDefault { get; }

    public IReadOnlyList<int> Encode(string text, EncodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(options);
        var ids = new List<int>(text.Length / 3 + 4);
        var segments = new List<TextSegment>();
        _parts.Segmenter.Segment(text, options.ParseSpecial, segments);
        var pieces = new List<Piece>();
        foreach (var segment in segments)
        {
            if (segment.IsToken)
            {
                ids.Add(segment.TokenId);
                continue;
            }
            if (string.IsNullOrEmpty(segment.Text))
            {
                continue;
            }
            var piece = new Piece(segment.Text, segment.AtOrigin);
            if (_parts.PreTokenizer is null)
            {
                _parts.Model.Tokenize(piece.Text, ids);
                continue;
            }
            pieces.Clear();
            _parts.PreTokenizer.PreTokenize(piece, pieces);
            foreach (var p in pieces)
            {
                _parts.Model.Tokenize(p.Text, ids);
            }
        }
        if (options.AddSpecialTokens)
        {
            _parts.PostProcessor?.Process(ids);
        }
        if (options.AddBos)
        {
            var bos = BosId ?? throw new InvalidOperationException($"{Kind}: the tokenizer has no BOS token to add");
            if (ids.Count == 0 || ids[0] != bos)
            {
                ids.Insert(0, bos);
            }
        }
        return ids;
    }

    public string Decode(ReadOnlySpan<int> ids, bool skipSpecial = false)
    {
        var bytes = new List<byte>(ids.Length * 4);
        AppendDecoded(ids, skipSpecial, sequenceStart: true, bytes);
        return Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes));
    }

    public StreamingDecoder CreateStreamingDecoder(bool skipSpecial = false) => new(this, skipSpecial);

    public string DecodeToken(int id)
    {
        var bytes = new List<byte>(8);
        AppendDecoded([id], skipSpecial: false, sequenceStart: false, bytes);
        return Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes));
    }

    public int? TokenToId(string token)
        => _addedByContent.TryGetValue(token, out var id) ? id : _parts.Model.TokenToId(token);

    public string? IdToToken(int id)
    {
        if (_parts.AddedTokens.TryGetValue(id, out var content))
        {
            return content;
        }
        var vocab = _parts.Model.Vocabulary;
        return id >= 0 && id < vocab.Count ? vocab[id] : null;
    }

    public bool IsSpecial(int id) => _parts.SpecialIds.Contains(id);

    /// <summary>Decodes ids to bytes; the streaming decoder calls it one token at a time.</summary>
    internal void AppendDecoded(ReadOnlySpan<int> ids, bool skipSpecial, bool sequenceStart, List<byte> output)
    {
        var pieces = new List<DecodePiece>(ids.Length);
        foreach (var id in ids)
        {
            if (skipSpecial && IsSpecial(id))
            {
                continue;
            }
            var token = IdToToken(id) ?? throw new ArgumentOutOfRangeException(nameof(ids), id, $"token id {id} is outside the vocabulary (size {VocabSize})");
            pieces.Add(DecodePiece.OfText(token));
        }
        if (_parts.Decoder is null)
        {
            // Hugging Face joins tokens with spaces when a tokenizer has no decoder.
            for (var i = 0; i < pieces.Count; i++)
            {
                if (i > 0 || !sequenceStart)
                {
                    output.Add((byte)' ');
                }
                pieces[i].AppendTo(output);
            }
            return;
        }
        _parts.Decoder.Decode(pieces, sequenceStart);
        foreach (var p in pieces)
        {
            p.AppendTo(output);
        }
    }
}
