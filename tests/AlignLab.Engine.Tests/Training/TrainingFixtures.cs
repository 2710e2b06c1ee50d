using AlignLab.Engine.Models;
using AlignLab.Engine.Training;

namespace AlignLab.Engine.Tests.Training;

/// <summary>Tiny models and corpora for the trainer's tests.</summary>
internal static class TrainingFixtures
{
    /// <summary>A tiny Llama: vocabulary 13, hidden 8, 2 layers, 2 heads of 4 sharing 1 key/value head, FFN 12.</summary>
    public static ModelConfig Config(int vocab = 13, int layers = 2) => new()
    {
        Architecture = ModelArchitecture.Llama,
        VocabSize = vocab,
        HiddenSize = 8,
        IntermediateSize = 12,
        LayerCount = layers,
        HeadCount = 2,
        KvHeadCount = 1,
        HeadDim = 4,
        ContextLength = 16,
        RmsNormEps = 1e-5,
        RopeTheta = 10000,
        TieWordEmbeddings = true,
    };

    /// <summary>Weights with every value drawn uniformly from ±<paramref name="scale"/> (norm weights around 1), so gradients are far from zero.</summary>
    public static TrainingWeights RandomWeights(ModelConfig config, ulong seed = 21, double scale = 0.5)
    {
        var weights = TrainingWeights.Initialize(config, seed);
        var values = GradientCheck.RandomFloats(weights.Count, seed + 1, scale);
        for (var i = 0; i < values.Length; i++)
        {
            // Norm weights start at exactly 1; keep them near 1 so the network is not degenerate.
            weights.Data[i] = weights.Data[i] == 1f ? 1f + values[i] * 0.2f : values[i];
        }
        return weights;
    }

    /// <summary>Token sequences of the given lengths drawn from a small vocabulary.</summary>
    public static List<TrainingSequence> Sequences(int vocab, ulong seed, params int[] lengths)
    {
        var random = new Engine.Generation.SamplingRandom(seed);
        return [.. lengths.Select(length => new TrainingSequence([.. Enumerable.Range(0, length).Select(_ => (int)(random.NextUInt64() % (ulong)vocab))]))];
    }
}
