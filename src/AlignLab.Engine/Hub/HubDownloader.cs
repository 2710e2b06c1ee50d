namespace AlignLab.Engine.Hub;

/// <summary>The outcome of a pull: the snapshot folder holding the selected files.</summary>
public sealed record PullResult(RepoRevision Revision, string SnapshotFolder, IReadOnlyList<string> Files);

/// <summary>
/// <c>alignlab pull</c>: downloads a repository revision's selected files into the Hugging Face
/// cache layout (see <see cref="HubCache"/>). Files already in the snapshot are not fetched again,
/// and blobs shared between revisions are downloaded once.
/// </summary>
public sealed class HubDownloader : IDisposable
{
    private readonly HubHttp _http;
    private readonly HubApi _api;
    private readonly HubDownloadOptions _options;

    public HubDownloader(HubSettings settings, HubDownloadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Cache = new HubCache(settings.CacheDirectory);
        _http = new HubHttp(settings);
        _api = new HubApi(_http, settings);
        _options = options ?? new HubDownloadOptions();
    }

    public HubCache Cache { get; }

    public async Task<PullResult> PullAsync(RepoId repo, string revision, HubFileSelection selection, IPullProgress? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(repo);
        ArgumentNullException.ThrowIfNull(selection);
        if (!RepoId.IsSafeRevision(revision))
        {
            throw new HubException($"\"{revision}\" is not a usable revision name");
        }
        progress ??= NoProgress.Instance;
        var info = await _api.GetRevisionAsync(repo, revision, cancel).ConfigureAwait(false);
        var files = selection.Select(info.Files, info.ToString());
        var blobs = new BlobDownload(_http, _options, progress);
        foreach (var file in files)
        {
            if (Cache.HasSnapshotFile(repo, info.Commit, file))
            {
                progress.FileFinished(file, fromCache: true);
                continue;
            }
            var meta = await _api.GetFileMetadataAsync(info, file, cancel).ConfigureAwait(false);
            var blob = Cache.BlobPath(repo, meta.Etag);
            var cached = File.Exists(blob);
            if (!cached)
            {
                await blobs.DownloadAsync(meta, blob, file, cancel).ConfigureAwait(false);
            }
            Cache.LinkSnapshotFile(repo, info.Commit, file, meta.Etag);
            progress.FileFinished(file, cached);
        }
        if (revision != info.Commit)
        {
            Cache.WriteRef(repo, revision, info.Commit);
        }
        return new PullResult(info, Cache.SnapshotFolder(repo, info.Commit), files);
    }

    public void Dispose() => _http.Dispose();
}
