using AlignLab.Engine.Hub;
using AlignLab.Engine.Tests.Support;

namespace AlignLab.Engine.Tests.Hub;

public sealed class ModelReferenceTests : IDisposable
{
    private const string Commit = "89abcdef0123456789abcdef0123456789abcdef";
    private readonly ScratchDirectory _dir = new();
    private readonly HubCache _cache;

    public ModelReferenceTests() => _cache = new HubCache(_dir.File("hub"));

    public void Dispose() => _dir.Dispose();

    private ModelReference Resolve(string text) => ModelReference.Resolve(text, _cache);

    private string Fails(string text)
    {
        var e = Assert.Throws<ModelReferenceException>(() => Resolve(text));
        Assert.DoesNotContain('\n', e.Message);
        return e.Message;
    }

    [Fact]
    public void An_existing_gguf_file_by_its_magic()
    {
        var path = _dir.Write("m.bin", "GGUF....");
        var r = Resolve(path);
        Assert.Equal(ModelReferenceKind.GgufFile, r.Kind);
        Assert.Equal(path, r.Path);
        Assert.Equal($"model \"{_dir.File("x.txt")}\": a file, but not a GGUF file (no GGUF magic); for a Hugging Face model give its folder",
            Fails(_dir.Write("x.txt", "hello")));
    }

    [Fact]
    public void A_folder_with_config_or_tokenizer_or_a_single_gguf()
    {
        _dir.Write("hf/config.json", "{}");
        Assert.Equal(ModelReferenceKind.ModelFolder, Resolve(_dir.File("hf")).Kind);
        _dir.Write("tok/tokenizer.json", "{}");
        Assert.Equal(ModelReferenceKind.ModelFolder, Resolve(_dir.File("tok")).Kind);
        var gguf = _dir.Write("g/model.gguf", "GGUF");
        var r = Resolve(_dir.File("g"));
        Assert.Equal((ModelReferenceKind.GgufFile, gguf), (r.Kind, r.Path));
        _dir.Write("g/other.gguf", "GGUF");
        Assert.EndsWith("a folder, but without config.json, tokenizer.json or exactly one .gguf file", Fails(_dir.File("g")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8000/v1#meta-llama/Llama-3.1-8B-Instruct", "http://127.0.0.1:8000/v1", "meta-llama/Llama-3.1-8B-Instruct")]
    [InlineData("https://gpu-box:443/v1#qwen", "https://gpu-box/v1", "qwen")]
    public void An_openai_compatible_endpoint(string text, string baseUri, string model)
    {
        var r = Resolve(text);
        Assert.Equal(ModelReferenceKind.Endpoint, r.Kind);
        Assert.Equal(new Uri(baseUri), r.EndpointBase);
        Assert.Equal(model, r.EndpointModel);
    }

    [Fact]
    public void A_hub_id_in_the_cache_by_ref_or_commit()
    {
        var repo = RepoId.Parse("acme/tiny");
        _cache.WriteRef(repo, "main", Commit);
        _cache.WriteRef(repo, "refs/pr/1", Commit);
        Directory.CreateDirectory(_cache.SnapshotFolder(repo, Commit));
        File.WriteAllText(_cache.SnapshotFile(repo, Commit, "config.json"), "{}");
        var r = Resolve("acme/tiny");
        Assert.Equal((ModelReferenceKind.ModelFolder, _cache.SnapshotFolder(repo, Commit), "main"), (r.Kind, r.Path, r.Revision));
        Assert.Equal(repo, r.Repo);
        Assert.Equal(_cache.SnapshotFolder(repo, Commit), Resolve("acme/tiny@" + Commit).Path);
        Assert.Equal(_cache.SnapshotFolder(repo, Commit), Resolve("acme/tiny@refs/pr/1").Path);
    }

    [Fact]
    public void Nothing_found_lists_everything_tried()
    {
        Assert.Equal($"model \"foo/bar\": not a file, not a folder, not an http(s)://HOST:PORT/v1#MODEL endpoint, not in the Hugging Face cache at {_cache.Root} (run: alignlab pull foo/bar)",
            Fails("foo/bar"));
        Assert.EndsWith("(run: alignlab pull foo/bar --revision v2)", Fails("foo/bar@v2"), StringComparison.Ordinal);
        Assert.Equal("model \"http://host:8000/v1\": not a file, not a folder, not an http(s)://HOST:PORT/v1#MODEL endpoint, not a hub id ORG/NAME[@REVISION]",
            Fails("http://host:8000/v1"));
        Assert.EndsWith("not a hub id ORG/NAME[@REVISION]", Fails("a/b/c/d"), StringComparison.Ordinal);
        Assert.EndsWith("not a hub id ORG/NAME[@REVISION]", Fails("acme/tiny@../../etc"), StringComparison.Ordinal);
    }
}
