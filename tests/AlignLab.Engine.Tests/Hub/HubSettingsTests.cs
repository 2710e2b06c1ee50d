using AlignLab.Engine.Hub;
using AlignLab.Engine.Tests.Support;

namespace AlignLab.Engine.Tests.Hub;

public class HubSettingsTests
{
    private static HubSettings From(params (string Name, string Value)[] env)
        => HubSettings.FromEnvironment(name => env.FirstOrDefault(e => e.Name == name).Value);

    [Fact]
    public void Defaults_follow_huggingface_hub()
    {
        var s = From();
        Assert.Equal(new Uri("https://huggingface.co"), s.Endpoint);
        Assert.EndsWith(Path.Combine(".cache", "huggingface", "hub"), s.CacheDirectory, StringComparison.Ordinal);
    }

    [Fact]
    public void HF_HUB_CACHE_beats_HF_HOME_and_HF_TOKEN_beats_the_token_file()
    {
        using var home = new ScratchDirectory();
        home.Write("token", "hf_from_file\n");
        Assert.Equal(Path.Combine(home.Path, "hub"), From(("HF_HOME", home.Path)).CacheDirectory);
        Assert.Equal("hf_from_file", From(("HF_HOME", home.Path)).Token);
        var s = From(("HF_HOME", home.Path), ("HF_HUB_CACHE", "/c"), ("HF_TOKEN", "hf_env"), ("HF_ENDPOINT", "http://mirror:8080/"));
        Assert.Equal("/c", s.CacheDirectory);
        Assert.Equal("hf_env", s.Token);
        Assert.Equal(new Uri("http://mirror:8080"), s.Endpoint);
    }

    [Fact]
    public void A_bad_endpoint_is_one_line()
        => Assert.Equal("HF_ENDPOINT \"ftp://x\" is not an http(s) URL", Assert.Throws<HubException>(() => From(("HF_ENDPOINT", "ftp://x"))).Message);

    [Theory]
    [InlineData("config.json", "config.json", true)]
    [InlineData("*.safetensors", "model-00001-of-00002.safetensors", true)]
    [InlineData("*.safetensors", "onnx/model.safetensors", false)]
    [InlineData("**.gguf", "q4/model.gguf", true)]
    [InlineData("tokenizer*.json", "tokenizer_config.json", true)]
    [InlineData("tokenizer?.json", "tokenizer.json", false)]
    [InlineData("a+b(c).json", "a+b(c).json", true)]
    public void Globs_match_whole_paths(string glob, string path, bool matches)
        => Assert.Equal(matches, HubFileSelection.Compile(glob).IsMatch(path));

    [Theory]
    [InlineData("acme/tiny", true)]
    [InlineData("gpt2", true)]
    [InlineData("acme/tiny/extra", false)]
    [InlineData("../x", false)]
    [InlineData("acme/..", false)]
    [InlineData("a--b/c", false)]
    public void Repo_ids_are_validated(string text, bool valid) => Assert.Equal(valid, RepoId.TryParse(text, out _));
}
