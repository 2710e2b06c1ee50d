namespace AlignLab.Engine.Tokenizers.Normalizers;

/// <summary>Prepends a fixed string to every non-empty segment.</summary>
internal sealed class PrependNormalizer(string prefix) : INormalizer
{
    public string Normalize(string text) => text.Length == 0 ? text : prefix + text;
}
