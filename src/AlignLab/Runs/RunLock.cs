namespace AlignLab.Runs;

/// <summary>
/// Keeps a second process from writing into a run folder while one is at work: an exclusive lock on
/// the folder's ".lock" file (an advisory file lock, released by the system when the process ends, even by kill -9).
/// </summary>
public sealed class RunLock : IDisposable
{
    public const string FileName = ".lock";

    private readonly FileStream _file;

    private RunLock(FileStream file) => _file = file;

    /// <summary>Creates <paramref name="folder"/> if needed and locks it; an <see cref="IOException"/> says when another run holds it.</summary>
    public static RunLock Acquire(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, FileName);
        try
        {
            return new RunLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose));
        }
        catch (IOException e)
        {
            throw new IOException($"{folder}: another run is writing into this folder (it holds {path})", e);
        }
    }

    /// <summary>Locks one shared file (FILE.lock beside it) rather than a folder; an <see cref="IOException"/> says when another run holds it.</summary>
    public static RunLock ForFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var lockPath = full + ".lock";
        try
        {
            return new RunLock(new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose));
        }
        catch (IOException e)
        {
            throw new IOException($"{path}: another run is using this file (it holds {lockPath})", e);
        }
    }

    public void Dispose() => _file.Dispose();
}
