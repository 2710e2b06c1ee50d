using AlignLab.Engine.Tokenizers;

namespace AlignLab.Backends;

/// <summary><see cref="IModelTokenizer"/> over the engine's <see cref="Engine.Tokenizers.Tokenizer"/>.</summary>
internal sealed class LocalTokenizer(Tokenizer tokenizer) : IModelTokenizer
{
    private static readonly EncodeOptions Special = EncodeOptions.Default;
    private static readonly EncodeOptions Plain = EncodeOptions.Default with { ParseSpecial = false };

    public Tokenizer Engine { get; } = tokenizer;

    public int VocabSize => Engine.VocabSize;

    public IReadOnlyList<int> Encode(string text, bool parseSpecial) => Engine.Encode(text, parseSpecial ? Special : Plain);

    public string Decode(IReadOnlyList<int> ids) => Engine.Decode([.. ids]);

    public ITokenTextStream CreateTextStream() => new Stream(Engine.CreateStreamingDecoder());

    public string? TokenString(int id) => Engine.IdToToken(id);

    private sealed class Stream(StreamingDecoder decoder) : ITokenTextStream
    {
        public string Push(int id) => decoder.Push(id);

        public string Flush() => decoder.Flush();
    }
}
