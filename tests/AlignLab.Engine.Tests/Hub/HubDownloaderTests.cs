using System.Security.Cryptography;
using AlignLab.Engine.Hub;
using AlignLab.Engine.Tests.Support;

namespace AlignLab.Engine.Tests.Hub;

public sealed class HubDownloaderTests : IDisposable
{
    private readonly FakeHub _hub = new();
    private readonly ScratchDirectory _cache = new();
    private static readonly RepoId Repo = RepoId.Parse("acme/tiny");

    public HubDownloaderTests() => _hub.Repos["acme/tiny"] = HubTestRepos.Model();

    public void Dispose()
    {
        _hub.Dispose();
        _cache.Dispose();
    }

    private HubDownloader Downloader(string? token = null, int attempts = 5)
        => new(new HubSettings(_hub.Endpoint, token, _cache.Path), new HubDownloadOptions { MaxAttempts = attempts, RetryDelay = TimeSpan.Zero });

    private async Task<PullResult> Pull(string revision = "main", IEnumerable<string>? include = null, string? token = null, int attempts = 5, RepoId? repo = null)
    {
        using var downloader = Downloader(token, attempts);
        return await downloader.PullAsync(repo ?? Repo, revision, new HubFileSelection(include), cancel: TestContext.Current.CancellationToken);
    }

    private string Blob(string etag) => Path.Combine(_cache.Path, "models--acme--tiny", "blobs", etag);

    [Fact]
    public async Task Pull_fills_the_hub_cache_layout_with_relative_symlinks()
    {
        var result = await Pull();
        var snapshot = Path.Combine(_cache.Path, "models--acme--tiny", "snapshots", HubTestRepos.Commit);
        Assert.Equal(snapshot, result.SnapshotFolder);
        Assert.Equal(["config.json", "tokenizer.json", "tokenizer_config.json", "model.safetensors"], result.Files);
        Assert.Equal(HubTestRepos.Commit, File.ReadAllText(Path.Combine(_cache.Path, "models--acme--tiny", "refs", "main")));

        var weights = new FileInfo(Path.Combine(snapshot, "model.safetensors"));
        var sha = FakeHub.Sha256(HubTestRepos.Weights);
        Assert.Equal($"../../blobs/{sha}", weights.LinkTarget);
        Assert.Equal(HubTestRepos.Weights, File.ReadAllBytes(weights.FullName));
        var config = new FileInfo(Path.Combine(snapshot, "config.json"));
        var gitSha = Convert.ToHexStringLower(SHA1.HashData(_hub.Repos["acme/tiny"].Files["config.json"]));
        Assert.Equal($"../../blobs/{gitSha}", config.LinkTarget);
        Assert.False(File.Exists(Path.Combine(snapshot, "README.md")));
        Assert.False(File.Exists(Path.Combine(snapshot, "model-Q4_K_M.gguf")));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(Blob(sha))!, "*.incomplete"));
    }

    [Fact]
    public async Task Include_adds_gguf_and_nested_files_and_must_match_something()
    {
        var result = await Pull(include: ["*.gguf", "sub/*"]);
        Assert.Contains("model-Q4_K_M.gguf", result.Files);
        Assert.Equal("../../../blobs/" + FakeHub.Sha256([1, 2, 3]), new FileInfo(Path.Combine(result.SnapshotFolder, "sub", "other.safetensors")).LinkTarget);
        var e = await Assert.ThrowsAsync<HubException>(() => Pull(include: ["*.bin"]));
        Assert.Equal("--include \"*.bin\": no file in acme/tiny@main matches", e.Message);
    }

    [Fact]
    public async Task A_dropped_connection_is_resumed_with_a_range_request()
    {
        var sha = FakeHub.Sha256(HubTestRepos.Weights);
        _hub.DropOnce(sha, 100_000);
        var result = await Pull();
        Assert.Equal(HubTestRepos.Weights, File.ReadAllBytes(Path.Combine(result.SnapshotFolder, "model.safetensors")));
        Assert.Contains($"GET /cdn/{sha} bytes=100000-", _hub.Log);
    }

    [Fact]
    public async Task An_interrupted_pull_resumes_from_the_incomplete_blob_on_the_next_run()
    {
        var sha = FakeHub.Sha256(HubTestRepos.Weights);
        _hub.DropOnce(sha, 123_456);
        var e = await Assert.ThrowsAsync<HubException>(() => Pull(attempts: 1));
        Assert.StartsWith("model.safetensors: download interrupted at 123456 of 300000 bytes", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("run the command again to resume", e.Message, StringComparison.Ordinal);
        Assert.Equal(123_456, new FileInfo(Blob(sha) + ".incomplete").Length);
        Assert.False(File.Exists(Path.Combine(_cache.Path, "models--acme--tiny", "refs", "main")));

        var result = await Pull();
        Assert.Contains($"GET /cdn/{sha} bytes=123456-", _hub.Log);
        Assert.Equal(HubTestRepos.Weights, File.ReadAllBytes(Path.Combine(result.SnapshotFolder, "model.safetensors")));
    }

    [Fact]
    public async Task A_corrupted_download_fails_its_sha256_check_and_is_deleted()
    {
        var sha = FakeHub.Sha256(HubTestRepos.Weights);
        _hub.CorruptOnce(sha);
        var e = await Assert.ThrowsAsync<HubException>(() => Pull());
        Assert.Contains($"does not match the hub's {sha}; the partial download was deleted", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Blob(sha) + ".incomplete"));
        Assert.False(File.Exists(Blob(sha)));
    }

    [Fact]
    public async Task A_second_pull_downloads_nothing()
    {
        await Pull();
        var before = _hub.Log.Count;
        await Pull();
        Assert.Equal(["GET /api/models/acme/tiny/revision/main"], _hub.Log.Skip(before));
    }

    [Theory]
    [InlineData("acme/missing", "main", "acme/missing@main: repository or revision not found (or private: set HF_TOKEN) (HTTP 404)")]
    [InlineData("acme/tiny", "v9", "acme/tiny@v9: repository or revision not found (HTTP 404)")]
    public async Task Missing_repository_or_revision_is_one_line(string repo, string revision, string expected)
    {
        var e = await Assert.ThrowsAsync<HubException>(() => Pull(revision, repo: RepoId.Parse(repo)));
        Assert.Equal(expected, e.Message);
    }

    [Fact]
    public async Task Gated_repository_needs_HF_TOKEN_which_never_goes_to_the_cdn()
    {
        _hub.Repos["acme/tiny"] = HubTestRepos.Model(gated: true);
        var e = await Assert.ThrowsAsync<HubException>(() => Pull());
        Assert.Equal("acme/tiny@main: gated repository: accept its conditions on the model page, then set HF_TOKEN to a token with access (HTTP 401)", e.Message);

        await Pull(token: FakeHub.Token);
        Assert.Contains(_hub.Log, l => l.StartsWith("HEAD /acme/tiny/resolve/", StringComparison.Ordinal) && l.EndsWith("Bearer " + FakeHub.Token, StringComparison.Ordinal));
        var cdn = _hub.Log.Where(l => l.StartsWith("GET /cdn/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(cdn);
        Assert.All(cdn, l => Assert.DoesNotContain("Bearer", l, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("../../evil.json")]
    [InlineData("/etc/passwd")]
    [InlineData("a/../../b.safetensors")]
    [InlineData("c:\\x.json")]
    public async Task Path_traversal_in_a_sibling_is_refused(string name)
    {
        _hub.Repos["acme/tiny"] = HubTestRepos.Model(extraSiblings: [name]);
        var e = await Assert.ThrowsAsync<HubException>(() => Pull());
        Assert.StartsWith("acme/tiny@main: refusing unsafe file name", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_cache.Path, "models--acme--tiny")));
    }

    [Fact]
    public async Task An_unreachable_hub_is_one_line()
    {
        var port = _hub.Endpoint.Port;
        _hub.Dispose();
        using var downloader = new HubDownloader(new HubSettings(new Uri($"http://127.0.0.1:{port}"), null, _cache.Path));
        var e = await Assert.ThrowsAsync<HubException>(() => downloader.PullAsync(Repo, "main", new HubFileSelection(), cancel: TestContext.Current.CancellationToken));
        Assert.StartsWith($"cannot reach http://127.0.0.1:{port}: ", e.Message, StringComparison.Ordinal);
    }
}
