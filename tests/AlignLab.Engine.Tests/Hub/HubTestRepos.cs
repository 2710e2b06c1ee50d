using System.Text;

namespace AlignLab.Engine.Tests.Hub;

/// <summary>A repository shaped like a real model repo, for <see cref="FakeHub"/>.</summary>
internal static class HubTestRepos
{
    public const string Commit = "0123456789abcdef0123456789abcdef01234567";

    public static byte[] Weights { get; } = [.. Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7))];

    public static FakeHub.Repo Model(bool gated = false, string[]? extraSiblings = null) => new(
        Commit,
        new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["config.json"] = Encoding.UTF8.GetBytes("""{"architectures": ["LlamaForCausalLM"]}"""),
            ["tokenizer.json"] = Encoding.UTF8.GetBytes("{}"),
            ["tokenizer_config.json"] = Encoding.UTF8.GetBytes("""{"bos_token": "<s>"}"""),
            ["README.md"] = Encoding.UTF8.GetBytes("# model"),
            ["model.safetensors"] = Weights,
            ["model-Q4_K_M.gguf"] = Encoding.UTF8.GetBytes("GGUF-not-really"),
            ["sub/other.safetensors"] = [1, 2, 3],
        },
        new HashSet<string>(["model.safetensors", "model-Q4_K_M.gguf", "sub/other.safetensors"], StringComparer.Ordinal),
        gated,
        extraSiblings);
}
