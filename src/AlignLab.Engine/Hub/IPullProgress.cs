namespace AlignLab.Engine.Hub;

/// <summary>Receives download progress; the CLI draws it on stderr. Calls come from one task at a time.</summary>
public interface IPullProgress
{
    /// <summary>A file is about to be fetched; <paramref name="resumedFrom"/> bytes are already on disk.</summary>
    void FileStarted(string file, long size, long resumedFrom);

    /// <summary><paramref name="bytesDone"/> of the file's bytes are now on disk.</summary>
    void FileProgressed(string file, long bytesDone);

    /// <summary>The file is in the snapshot; <paramref name="fromCache"/> when nothing had to be downloaded.</summary>
    void FileFinished(string file, bool fromCache);

    /// <summary>A notice such as a retry after a dropped connection.</summary>
    void Message(string text);
}

internal sealed class NoProgress : IPullProgress
{
    public static NoProgress Instance { get; } = new();

    public void FileStarted(string file, long size, long resumedFrom)
    {
    }

    public void FileProgressed(string file, long bytesDone)
    {
    }

    public void FileFinished(string file, bool fromCache)
    {
    }

    public void Message(string text)
    {
    }
}
