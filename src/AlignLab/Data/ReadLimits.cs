using System.Globalization;

namespace AlignLab.Data;

/// <summary>
/// Size limits for reading untrusted files, so a wrong or hostile file is refused with one line
/// instead of exhausting memory.
/// </summary>
public sealed record ReadLimits
{
    public static ReadLimits Default { get; } = new();

    /// <summary>Largest file read whole (a JSON array must be held in memory to be parsed). Default 256 MiB.</summary>
    public long MaxFileBytes { get; init; } = 256L << 20;

    /// <summary>Longest line of a line-oriented file (JSONL). Default 64 MiB.</summary>
    public int MaxLineBytes { get; init; } = 64 << 20;

    internal void CheckFileSize(string path, long length)
    {
        if (length > MaxFileBytes)
        {
            throw DataFormatException.At(path, 0, string.Create(CultureInfo.InvariantCulture,
                $"{length} bytes, more than the limit of {MaxFileBytes} bytes for this kind of file"));
        }
    }
}
