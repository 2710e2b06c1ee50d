namespace AlignLab.Data;

/// <summary>
/// What happens to a malformed record: by default it stops the read with a <see cref="DataFormatException"/>
/// naming file and line; with <see cref="SkipBad"/> it is skipped and counted as a warning instead.
/// </summary>
public sealed class BadRecordLog(bool skipBad)
{
    private readonly List<string> _warnings = [];

    public bool SkipBad { get; } = skipBad;

    /// <summary>"FILE:LINE: what" for every record skipped so far.</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    public int Count => _warnings.Count;

    /// <summary>Throws, or with <see cref="SkipBad"/> records the warning and returns (the caller skips the record).</summary>
    public void Report(string file, long line, string what)
    {
        var error = DataFormatException.At(file, line, what);
        if (!SkipBad)
        {
            throw error;
        }
        _warnings.Add(error.Message);
    }
}
