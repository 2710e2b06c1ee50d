using System.Text.Json;
using System.Text.Json.Serialization;
using AlignLab.Engine.Tests.Support;

namespace AlignLab.Engine.Tests.Inference.Fidelity;

/// <summary>One committed golden: llama.cpp's scores of a fixture's sequence (tools/llama-goldens/make-goldens.mjs).</summary>
internal sealed class LlamaGolden
{
    [JsonPropertyName("reference")]
    public required string Reference { get; init; }

    [JsonPropertyName("fixture")]
    public required string Fixture { get; init; }

    [JsonPropertyName("sha256")]
    public required string Sha256 { get; init; }

    /// <summary>"f32" or "f16": the KV cache llama.cpp used.</summary>
    [JsonPropertyName("kvCache")]
    public required string KvCache { get; init; }

    [JsonPropertyName("tokens")]
    public required int[] Tokens { get; init; }

    [JsonPropertyName("positions")]
    public required GoldenPosition[] Positions { get; init; }

    public static LlamaGolden Load(string fixture)
        => LoadFile(Path.Combine(SharedFixtures.RepoRoot, "tests", "AlignLab.Engine.Tests", "Inference", "Goldens", fixture + ".llama.json"));

    public static LlamaGolden LoadFile(string path) => JsonSerializer.Deserialize<LlamaGolden>(File.ReadAllText(path)) ?? throw new InvalidDataException(path);
}

/// <summary>Position p: llama.cpp's top-10 next tokens (most likely first) and the log-probability of tokens[p + 1].</summary>
internal sealed class GoldenPosition
{
    [JsonPropertyName("ids")]
    public required int[] Ids { get; init; }

    [JsonPropertyName("logprobs")]
    public required double[] LogProbs { get; init; }

    [JsonPropertyName("next")]
    public double? Next { get; init; }
}
