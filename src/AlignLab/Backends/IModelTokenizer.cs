namespace AlignLab.Backends;

/// <summary>A model's tokenizer as the research code needs it.</summary>
public interface IModelTokenizer
{
    /// <summary>Ids the tokenizer knows (model vocabulary plus added tokens).</summary>
    int VocabSize { get; }

    /// <summary>
    /// Text to ids, nothing added (no BOS). With <paramref name="parseSpecial"/> false, text such as
    /// "&lt;|im_end|&gt;" is tokenized as plain text: the right choice for untrusted text like a data file's answer.
    /// </summary>
    IReadOnlyList<int> Encode(string text, bool parseSpecial);

    /// <summary>Ids to text, special tokens included.</summary>
    string Decode(IReadOnlyList<int> ids);

    /// <summary>A decoder fed one token at a time that releases whole UTF-8 characters only.</summary>
    ITokenTextStream CreateTextStream();

    /// <summary>The vocabulary's string for <paramref name="id"/> (before decoding), or null for an id it lacks.</summary>
    string? TokenString(int id);
}

/// <summary>Incremental decoding of a token stream (see the engine's <c>StreamingDecoder</c>).</summary>
public interface ITokenTextStream
{
    /// <summary>Adds one token; returns the text that became complete (possibly empty: a character split across tokens is held back).</summary>
    string Push(int id);

    /// <summary>Whatever is held back (an incomplete tail as U+FFFD); the stream starts over.</summary>
    string Flush();
}
