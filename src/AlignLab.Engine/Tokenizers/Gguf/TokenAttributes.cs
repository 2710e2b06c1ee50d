namespace AlignLab.Engine.Tokenizers.Gguf;

/// <summary>llama.cpp's per-token attributes (llama_token_attr).</summary>
[Flags]
internal enum TokenAttributes
{
    Undefined = 0,
    Unknown = 1 << 0,
    Unused = 1 << 1,
    Normal = 1 << 2,
    Control = 1 << 3,
    UserDefined = 1 << 4,
    Byte = 1 << 5,
    LStrip = 1 << 7,
    RStrip = 1 << 8,
}
