using AlignLab.Engine.Formats.Gguf;
using AlignLab.Engine.Inference;
using AlignLab.Engine.Models;
using AlignLab.Engine.Tests.Support;

namespace AlignLab.Engine.Tests.Inference;

/// <summary>
/// The same random weights saved as a Hugging Face folder (safetensors, rotate_half Q/K rows,
/// config.json) and as llama.cpp's converter would save them in GGUF (Q/K rows permuted for llama,
/// llama3 scaling as rope_freqs) must give the same log-probabilities: the model runs each file in its
/// own RoPE layout.
/// </summary>
public class HfGgufEquivalenceTests(ITestOutputHelper output)
{
    public static TheoryData<string> Cases => ["llama", "llama-bias", "mistral", "qwen2", "qwen3", "llama-linear", "llama-llama3"];

    private static ModelConfig ConfigFor(string name) => name switch
    {
        "llama-bias" => TestModels.Config() with { QkvBias = true, OutputProjectionBias = true },
        "mistral" => TestModels.Config(ModelArchitecture.Mistral),
        "qwen2" => TestModels.Config(ModelArchitecture.Qwen2),
        "qwen3" => TestModels.Config(ModelArchitecture.Qwen3),
        "llama-linear" => TestModels.Config() with { RopeScaling = new RopeScaling(RopeScalingKind.Linear, Factor: 2) },
        "llama-llama3" => TestModels.Config() with
        {
            RopeScaling = new RopeScaling(RopeScalingKind.Llama3, Factor: 8, LowFreqFactor: 1, HighFreqFactor: 4, OriginalContextLength: 32),
        },
        _ => TestModels.Config(),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Hugging_Face_folder_and_gguf_give_the_same_logprobs(string name)
    {
        var config = ConfigFor(name);
        var checkpoint = TestModels.Checkpoint(config);
        using var dir = new ScratchDirectory();
        checkpoint.WriteHfFolder(dir.File("hf"));
        using var hf = LlamaModel.Load(dir.File("hf"));
        using var gguf = LlamaModel.FromGguf(GgufFile.Parse(TestModels.Gguf(checkpoint), "test.gguf"));
        Assert.Equal(RopeLayout.HalfRotation, hf.Weights.StoredRopeLayout);
        Assert.Equal(config.Spec.GgufRopeLayout, gguf.Weights.StoredRopeLayout);
        Assert.Equal(config.RopeScaling.Kind == RopeScalingKind.Llama3 ? RopeScalingKind.FrequencyFactors : config.RopeScaling.Kind,
            gguf.Config.RopeScaling.Kind);

        var tokens = TestModels.Tokens(100, config.VocabSize);
        var options = new ScoreOptions { KeepLogProbs = true };
        var a = hf.Score(tokens, 0, options);
        var b = gguf.Score(tokens, 0, options);
        var max = 0.0;
        for (var p = 0; p < tokens.Length; p++)
        {
            var x = a.LogProbs(p);
            var y = b.LogProbs(p);
            for (var i = 0; i < x.Length; i++)
            {
                max = Math.Max(max, Math.Abs(x[i] - y[i]));
            }
            Assert.Equal(a.TopIds(p).ToArray(), b.TopIds(p).ToArray());
        }
        output.WriteLine(FormattableString.Invariant($"{name}: max |Δ logprob| over {tokens.Length} positions × {config.VocabSize} ids: {max:g3}"));
        Assert.True(max <= 1e-4, $"max |Δ logprob| {max:g3}");
        // The peaked random model is far from uniform, so the agreement is not trivially that of two flat rows.
        Assert.Contains(Enumerable.Range(0, tokens.Length), p => a.TopLogProbs(p)[0] > -2);
    }
}
