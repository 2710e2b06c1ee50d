using System.Security.Cryptography;
using System.Text;

namespace AlignLab.Runs;

/// <summary>SHA-256 fingerprints of model files, read in a stream (multi-gigabyte files are never held in memory).</summary>
public static class FileHash
{
    /// <summary>Lowercase hex SHA-256 of a file's bytes.</summary>
    public static string Sha256OfFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>
    /// A file's hash; for a folder, the hash of its listing: one line "sha256  relative/path\n" per file (as
    /// sha256sum prints them), sorted by path, hidden entries skipped — so it changes when any file does.
    /// <paramref name="hashFile"/> hashes each file (default <see cref="Sha256OfFile"/>; a <see cref="FileHashCache"/> remembers big ones).
    /// </summary>
    public static string Sha256(string path, Func<string, string>? hashFile = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        hashFile ??= Sha256OfFile;
        if (File.Exists(path))
        {
            return hashFile(path);
        }
        if (!Directory.Exists(path))
        {
            throw new FileNotFoundException($"{path}: file not found", path);
        }
        var listing = new StringBuilder();
        var files = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(path, f).Replace('\\', '/'))
            .Where(f => !f.Split('/').Any(part => part.StartsWith('.')))
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            listing.Append(hashFile(Path.Combine(path, file))).Append("  ").Append(file).Append('\n');
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(listing.ToString())));
    }
}
