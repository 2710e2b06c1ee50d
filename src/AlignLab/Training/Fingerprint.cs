using System.Security.Cryptography;
using System.Text;

namespace AlignLab.Training;

/// <summary>SHA-256 fingerprint (lower-case hex) of a run's training texts; files are hashed by <see cref="Runs.FileHash"/>.</summary>
internal static class Fingerprint
{
    /// <summary>Of a list of texts: each one's UTF-8 length and bytes, in order.</summary>
    public static string OfTexts(IEnumerable<string> texts)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var text in texts)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            hash.AppendData(BitConverter.GetBytes((long)bytes.Length));
            hash.AppendData(bytes);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
