using AlignLab.Engine.Tokenizers.Training;

namespace AlignLab.Engine.Training;

/// <summary>
/// The tokenizer side of an exported model: the vocabulary, which of its special tokens mark the
/// beginning and end of text (and padding), every token that ends generation (end of text first),
/// and the chat template.
/// </summary>
public sealed record ExportTokenizer
{
    public required ByteLevelBpeVocabulary Vocabulary { get; init; }

    /// <summary>The model's end-of-sequence token (the base model's end of text; the chat model's end of turn).</summary>
    public required string EosToken { get; init; }

    /// <summary>Recorded as the BOS token, though never added to prompts.</summary>
    public string? BosToken { get; init; } = ChatMl.EndOfText;

    public string? PadToken { get; init; } = ChatMl.EndOfText;

    /// <summary>Tokens that end generation besides <see cref="EosToken"/>.</summary>
    public IReadOnlyList<string> ExtraStopTokens { get; init; } = [];

    public string? ChatTemplate { get; init; } = ChatMl.Template;

    public int EosId => Vocabulary.IdOf(EosToken);

    public int? BosId => BosToken is null ? null : Vocabulary.IdOf(BosToken);

    public int? PadId => PadToken is null ? null : Vocabulary.IdOf(PadToken);

    /// <summary>EOS first, then the extra stop tokens.</summary>
    public IReadOnlyList<int> StopIds => [EosId, .. ExtraStopTokens.Select(Vocabulary.IdOf).Where(id => id != EosId)];

    /// <summary>A base model: plain text ends with &lt;|endoftext|&gt;.</summary>
    public static ExportTokenizer ForBase(ByteLevelBpeVocabulary vocabulary) => new() { Vocabulary = vocabulary, EosToken = ChatMl.EndOfText };

    /// <summary>A chat model: a turn ends with &lt;|im_end|&gt;, and &lt;|endoftext|&gt; stops generation too.</summary>
    public static ExportTokenizer ForChat(ByteLevelBpeVocabulary vocabulary)
        => new() { Vocabulary = vocabulary, EosToken = ChatMl.ImEnd, ExtraStopTokens = [ChatMl.EndOfText] };
}
