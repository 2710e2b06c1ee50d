using System.Security.Cryptography;
using System.Text;

namespace AlignLab.Training;

/// <summary>SHA-256 fingerprints (lower-case hex) of what a run was trained on.</summary>
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

    /// <summary>Of files: each one's name and bytes, in the order given.</summary>
    public static string OfFiles(IEnumerable<string> paths)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var path in paths)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetFileName(path) + "\n"));
            using var stream = File.OpenRead(path);
            var buffer = new byte[1 << 16];
            int read;
            while ((read = stream.Read(buffer)) > 0)
            {
                hash.AppendData(buffer.AsSpan(0, read));
            }
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
