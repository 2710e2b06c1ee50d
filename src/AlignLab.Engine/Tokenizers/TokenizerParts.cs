using AlignLab.Engine.Tokenizers.AddedTokens;
using AlignLab.Engine.Tokenizers.Decoders;
using AlignLab.Engine.Tokenizers.Models;
using AlignLab.Engine.Tokenizers.PostProcessors;
using AlignLab.Engine.Tokenizers.PreTokenizers;

namespace AlignLab.Engine.Tokenizers;

/// <summary>Everything a loader assembles; <see cref="Tokenizer"/> only runs it.</summary>
internal sealed record TokenizerParts
{
    public required string Kind { get; init; }

    public required ISegmenter Segmenter { get; init; }

    public IPreTokenizer? PreTokenizer { get; init; }

    public required ITokenModel Model { get; init; }

    public IPostProcessor? PostProcessor { get; init; }

    public ITokenDecoder? Decoder { get; init; }

    /// <summary>Tokens outside (or overriding) the model vocabulary: tokenizer.json added_tokens.</summary>
    public IReadOnlyDictionary<int, string> AddedTokens { get; init; } = new Dictionary<int, string>();

    /// <summary>Ids that decoding with skip-special drops.</summary>
    public required IReadOnlySet<int> SpecialIds { get; init; }

    public int? BosId { get; init; }

    public int? EosId { get; init; }
}
