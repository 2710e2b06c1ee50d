namespace AlignLab.Engine.Tokenizers;

/// <summary>
/// Text to token ids and back. Implemented by <see cref="Tokenizer"/>; loaders live in
/// <see cref="TokenizerLoader"/>.
/// </summary>
public interface ITokenizer
{
    /// <summary>Short description of what was loaded, e.g. "gguf:gpt2/llama-bpe" or "tokenizer.json:BPE".</summary>
    string Kind { get; }

    /// <summary>Number of ids the tokenizer can produce (model vocabulary plus added tokens).</summary>
    int VocabSize { get; }

    int? BosId { get; }

    int? EosId { get; }

    /// <summary>Whether the model's configuration asks for a BOS token in front of every prompt.</summary>
    bool AddBosByDefault { get; }

    IReadOnlyList<int> Encode(string text, EncodeOptions options);

    string Decode(ReadOnlySpan<int> ids, bool skipSpecial = false);

    StreamingDecoder CreateStreamingDecoder(bool skipSpecial = false);

    /// <summary>
    /// The text one token adds inside a sequence, after other tokens: unlike <see cref="Decode"/> of
    /// that id alone, no start-of-text rule applies (SentencePiece's leading space is kept). Bytes that
    /// do not form whole UTF-8 characters come out as U+FFFD. For showing candidate tokens.
    /// </summary>
    string DecodeToken(int id);

    int? TokenToId(string token);

    string? IdToToken(int id);

    /// <summary>True for control / special tokens (the ones <c>skipSpecial</c> drops when decoding).</summary>
    bool IsSpecial(int id);
}
