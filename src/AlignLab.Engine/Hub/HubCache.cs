using AlignLab.Engine.Formats;

namespace AlignLab.Engine.Hub;

/// <summary>
/// The Hugging Face hub cache layout, shared with huggingface_hub:
/// <c>models--ORG--NAME/blobs/&lt;etag&gt;</c> holds each file's content once,
/// <c>snapshots/&lt;commit&gt;/&lt;path&gt;</c> are relative symlinks into blobs, and
/// <c>refs/&lt;revision&gt;</c> holds the commit a branch or tag pointed to when last pulled.
/// </summary>
public sealed class HubCache(string root)
{
    public string Root { get; } = root;

    public string RepoFolder(RepoId repo) => Path.Combine(Root, repo.CacheFolderName);

    public string BlobPath(RepoId repo, string etag) => Path.Combine(RepoFolder(repo), "blobs", etag);

    public string SnapshotFolder(RepoId repo, string commit) => Path.Combine(RepoFolder(repo), "snapshots", commit);

    public string SnapshotFile(RepoId repo, string commit, string file) => Path.Combine(SnapshotFolder(repo, commit), file);

    public string RefPath(RepoId repo, string revision) => Path.Combine(RepoFolder(repo), "refs", revision);

    /// <summary>The cached snapshot folder for a revision (branch, tag or commit), or null when not pulled.</summary>
    public string? TryResolveSnapshot(RepoId repo, string revision)
    {
        var commit = RepoId.IsCommitHash(revision) ? revision : ReadRef(repo, revision);
        if (commit is null)
        {
            return null;
        }
        var folder = SnapshotFolder(repo, commit);
        return Directory.Exists(folder) ? folder : null;
    }

    public void WriteRef(RepoId repo, string revision, string commit)
    {
        AtomicFile.WriteAllText(RefPath(repo, revision), commit);
    }

    /// <summary>Points snapshots/&lt;commit&gt;/&lt;file&gt; at its blob with a relative symlink, as huggingface_hub does.</summary>
    public void LinkSnapshotFile(RepoId repo, string commit, string file, string etag)
    {
        var link = SnapshotFile(repo, commit, file);
        var folder = Path.GetDirectoryName(link)!;
        Directory.CreateDirectory(folder);
        var blob = BlobPath(repo, etag);
        if (File.Exists(link) || new FileInfo(link).LinkTarget is not null)
        {
            File.Delete(link);
        }
        try
        {
            File.CreateSymbolicLink(link, Path.GetRelativePath(folder, blob));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            // Filesystems without symlinks (some Windows set-ups, FAT): huggingface_hub falls back to a copy too.
            File.Copy(blob, link);
        }
    }

    /// <summary>Whether the snapshot already has <paramref name="file"/> and its content is present.</summary>
    public bool HasSnapshotFile(RepoId repo, string commit, string file) => File.Exists(SnapshotFile(repo, commit, file));

    private string? ReadRef(RepoId repo, string revision)
    {
        var path = RefPath(repo, revision);
        if (!RepoId.IsSafeRevision(revision) || !File.Exists(path))
        {
            return null;
        }
        var commit = File.ReadAllText(path).Trim();
        return RepoId.IsCommitHash(commit) ? commit : null;
    }
}
