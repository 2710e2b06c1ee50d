namespace AlignLab.Engine.Tokenizers.Normalizers;

/// <summary>Rewrites a text segment before pre-tokenization (Hugging Face normalizers).</summary>
internal interface INormalizer
{
    string Normalize(string text);
}
