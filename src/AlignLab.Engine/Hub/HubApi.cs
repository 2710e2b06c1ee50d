using System.Globalization;
using System.Text.Json;

namespace AlignLab.Engine.Hub;

/// <summary>A revision of a repository: its commit and file list.</summary>
public sealed record RepoRevision(RepoId Repo, string Revision, string Commit, IReadOnlyList<string> Files)
{
    public override string ToString() => $"{Repo}@{Revision}";
}

/// <summary>What the hub says about one file before it is downloaded.</summary>
/// <param name="Etag">The blob's name in the cache: the SHA-256 of an LFS file, the git blob id otherwise.</param>
/// <param name="Size">Bytes of content.</param>
/// <param name="DownloadUri">Where the bytes are: the CDN for LFS files, the resolve URL itself otherwise.</param>
public sealed record HubFileMetadata(string Etag, long Size, Uri DownloadUri)
{
    /// <summary>LFS files are named by their SHA-256, which lets the download be verified.</summary>
    public bool IsSha256 => Etag.Length == 64 && Etag.All(char.IsAsciiHexDigitLower);
}

/// <summary>The two hub endpoints a pull needs: the revision's file list and a file's metadata.</summary>
internal sealed class HubApi(HubHttp http, HubSettings settings)
{
    /// <summary>Repositories list at most tens of thousands of files; this bound stops a hostile answer early.</summary>
    private const long MaxInfoBytes = 32L << 20;

    public async Task<RepoRevision> GetRevisionAsync(RepoId repo, string revision, CancellationToken cancel)
    {
        var what = $"{repo}@{revision}";
        var uri = new Uri(settings.Endpoint, $"api/models/{repo.Value}/revision/{Uri.EscapeDataString(revision)}");
        var body = await Reachable(uri, async () =>
        {
            using var response = await http.SendAsync(HttpMethod.Get, uri, what, 0, followCrossHost: false, cancel).ConfigureAwait(false);
            return await HubHttp.ReadBoundedAsync(response, MaxInfoBytes, what, cancel).ConfigureAwait(false);
        }).ConfigureAwait(false);
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            var sha = root.GetProperty("sha").GetString() ?? "";
            if (!RepoId.IsCommitHash(sha))
            {
                throw new HubException($"{what}: the server gave an invalid commit \"{sha}\"");
            }
            var files = root.GetProperty("siblings").EnumerateArray()
                .Select(s => HubPaths.RequireSafeFileName(s.GetProperty("rfilename").GetString() ?? "", what))
                .ToList();
            return new RepoRevision(repo, revision, sha, files);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new HubException($"{what}: unexpected answer from {uri.GetLeftPart(UriPartial.Path)} ({e.Message})", e);
        }
    }

    /// <summary>HEAD on the file's resolve URL, reading the headers huggingface_hub reads.</summary>
    public async Task<HubFileMetadata> GetFileMetadataAsync(RepoRevision revision, string file, CancellationToken cancel)
    {
        var what = $"{revision}: {file}";
        var path = string.Join('/', file.Split('/').Select(Uri.EscapeDataString));
        var uri = new Uri(settings.Endpoint, $"{revision.Repo.Value}/resolve/{revision.Commit}/{path}");
        using var response = await Reachable(uri, () => http.SendAsync(HttpMethod.Head, uri, what, 0, followCrossHost: false, cancel)).ConfigureAwait(false);
        var commit = HubHttp.Header(response, "X-Repo-Commit");
        if (commit is not null && commit != revision.Commit)
        {
            throw new HubException($"{what}: the server resolved commit {commit}, expected {revision.Commit}");
        }
        var etag = HubHttp.Header(response, "X-Linked-Etag") ?? HubHttp.Header(response, "ETag")
            ?? throw new HubException($"{what}: the server sent no ETag");
        var sizeText = HubHttp.Header(response, "X-Linked-Size") ?? HubHttp.Header(response, "Content-Length");
        if (!long.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out var size))
        {
            throw new HubException($"{what}: the server sent no usable size (X-Linked-Size or Content-Length)");
        }
        var location = response.Headers.Location is { } l ? new Uri(uri, l) : uri;
        return new HubFileMetadata(HubPaths.RequireSafeEtag(NormalizeEtag(etag), what), size, location);
    }

    /// <summary>Network failures of these small requests end the pull with one line naming the host.</summary>
    private static async Task<T> Reachable<T>(Uri uri, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or HttpRequestException { StatusCode: null })
        {
            throw new HubException($"cannot reach {uri.GetLeftPart(UriPartial.Authority)}: {e.Message}", e);
        }
    }

    /// <summary>huggingface_hub's normalisation: drop a weak-validator prefix and the quotes.</summary>
    private static string NormalizeEtag(string etag)
        => (etag.StartsWith("W/", StringComparison.Ordinal) ? etag[2..] : etag).Trim('"');
}
