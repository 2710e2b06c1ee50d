using AlignLab.Engine.Tests.Hub;

namespace AlignLab.Cli.Tests;

/// <summary>Tests that set process environment variables run alone, never beside other tests.</summary>
[CollectionDefinition(nameof(EnvironmentCollection), DisableParallelization = true)]
public sealed class EnvironmentCollection;

[Collection(nameof(EnvironmentCollection))]
public sealed class PullCommandTests : IDisposable
{
    private static readonly string[] Variables = ["HF_ENDPOINT", "HF_HUB_CACHE", "HF_HOME", "HF_TOKEN", "HF_TOKEN_PATH"];
    private readonly Dictionary<string, string?> _saved = Variables.ToDictionary(v => v, Environment.GetEnvironmentVariable);
    private readonly FakeHub _hub = new();
    private readonly string _cache = Path.Combine(Path.GetTempPath(), "alignlab-pull-" + Guid.NewGuid().ToString("N"));

    public PullCommandTests()
    {
        _hub.Repos["acme/tiny"] = HubTestRepos.Model();
        Environment.SetEnvironmentVariable("HF_ENDPOINT", _hub.Endpoint.ToString());
        Environment.SetEnvironmentVariable("HF_HUB_CACHE", _cache);
        Environment.SetEnvironmentVariable("HF_HOME", _cache);
        Environment.SetEnvironmentVariable("HF_TOKEN", null);
        Environment.SetEnvironmentVariable("HF_TOKEN_PATH", null);
    }

    public void Dispose()
    {
        foreach (var (name, value) in _saved)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
        _hub.Dispose();
        if (Directory.Exists(_cache))
        {
            Directory.Delete(_cache, recursive: true);
        }
    }

    [Fact]
    public async Task Pull_prints_the_snapshot_folder_and_logs_files_on_stderr()
    {
        var (code, stdout, stderr) = await CliRunner.RunAsync("pull", "acme/tiny", "--include", "*.gguf");
        Assert.Equal(0, code);
        var snapshot = Path.Combine(_cache, "models--acme--tiny", "snapshots", HubTestRepos.Commit);
        Assert.Equal(snapshot + "\n", stdout);
        Assert.Contains("pull: model.safetensors (300000 bytes)\n", stderr, StringComparison.Ordinal);
        Assert.Contains("pull: model-Q4_K_M.gguf done\n", stderr, StringComparison.Ordinal);
        Assert.Equal(HubTestRepos.Weights, File.ReadAllBytes(Path.Combine(snapshot, "model.safetensors")));

        (code, _, stderr) = await CliRunner.RunAsync("pull", "acme/tiny@main");
        Assert.Equal(0, code);
        Assert.Contains("pull: model.safetensors already cached", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("acme/missing", "error: acme/missing@main: repository or revision not found (or private: set HF_TOKEN) (HTTP 404)", 1)]
    [InlineData("acme/tiny@v2", "error: acme/tiny@v2: repository or revision not found (HTTP 404)", 1)]
    [InlineData("not/a/repo", "error: \"not/a/repo\" is not a hub model id ORG/NAME[@REVISION]", 2)]
    public async Task Failures_are_one_line_on_stderr(string model, string expected, int exit)
    {
        var (code, stdout, stderr) = await CliRunner.RunAsync("pull", model);
        Assert.Equal(exit, code);
        Assert.Equal("", stdout);
        Assert.Equal(expected + "\n", stderr);
    }

    [Fact]
    public async Task Revision_given_twice_differently_is_a_usage_error()
    {
        var (code, _, stderr) = await CliRunner.RunAsync("pull", "acme/tiny@a", "--revision", "b");
        Assert.Equal(2, code);
        Assert.Equal("error: revision given twice: @a and --revision b\n", stderr);
    }

    [Fact]
    public async Task Help_documents_the_default_files_and_the_environment()
    {
        var (code, stdout, _) = await CliRunner.RunAsync("pull", "--help");
        Assert.Equal(0, code);
        Assert.Contains("*.safetensors", stdout, StringComparison.Ordinal);
        Assert.Contains("HF_TOKEN", stdout, StringComparison.Ordinal);
        Assert.Contains("--include", stdout, StringComparison.Ordinal);
    }
}
