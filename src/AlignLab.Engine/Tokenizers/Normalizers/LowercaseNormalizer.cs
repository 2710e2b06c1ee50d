namespace AlignLab.Engine.Tokenizers.Normalizers;

/// <summary>Unicode lowercase, as Rust's str::to_lowercase.</summary>
internal sealed class LowercaseNormalizer : INormalizer
{
    public string Normalize(string text)
    {
        var lower = text.ToLowerInvariant();
        // The one full (multi-character) mapping outside the Turkic locales: İ → i + combining dot.
        return lower.Contains('\u0130', StringComparison.Ordinal) ? lower.Replace("\u0130", "i\u0307", StringComparison.Ordinal) : lower;
    }
}
