using System.Text;

namespace AlignLab.Engine.Tokenizers.Normalizers;

/// <summary>NFC / NFD / NFKC / NFKD. Uses our own tables: the runtime's Normalize is a no-op under invariant globalization.</summary>
internal sealed class UnicodeFormNormalizer(NormalizationForm form) : INormalizer
{
    public string Normalize(string text) => UnicodeNormalization.Normalize(text, form);
}
