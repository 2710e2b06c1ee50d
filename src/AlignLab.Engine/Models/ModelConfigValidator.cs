using System.Globalization;
using AlignLab.Engine.Formats;

namespace AlignLab.Engine.Models;

/// <summary>
/// Rejects hyperparameters the engine cannot run, before any weights are touched: a bad config
/// otherwise surfaces much later as an index error deep in a kernel.
/// </summary>
public static class ModelConfigValidator
{
    /// <summary>Throws <see cref="ModelFormatException"/> naming <paramref name="file"/> and the offending field.</summary>
    public static ModelConfig Validate(ModelConfig c, string file, ConfigFieldNames names)
    {
        (int Value, string Field)[] sizes =
        [
            (c.VocabSize, names.VocabSize), (c.HiddenSize, names.HiddenSize), (c.IntermediateSize, names.IntermediateSize),
            (c.LayerCount, names.LayerCount), (c.HeadCount, names.HeadCount), (c.KvHeadCount, names.KvHeadCount),
            (c.HeadDim, names.HeadDim), (c.ContextLength, names.ContextLength),
        ];
        foreach (var (value, field) in sizes)
        {
            Require(value > 0, file, field, $"must be positive, found {value}");
        }
        Require(c.HeadCount % c.KvHeadCount == 0, file, names.KvHeadCount,
            $"{c.KvHeadCount} key/value heads do not divide {c.HeadCount} attention heads");
        Require(c.HeadDim % 2 == 0, file, names.HeadDim, $"RoPE needs an even head dimension, found {c.HeadDim}");
        Require(long.CreateChecked(c.HeadCount) * c.HeadDim <= int.MaxValue, file, names.HeadDim, "heads × head_dim overflows");
        Require(double.IsFinite(c.RmsNormEps) && c.RmsNormEps > 0, file, names.RmsNormEps, $"must be positive, found {Format(c.RmsNormEps)}");
        Require(double.IsFinite(c.RopeTheta) && c.RopeTheta > 0, file, names.RopeTheta, $"must be positive, found {Format(c.RopeTheta)}");
        ValidateScaling(c.RopeScaling, file, names.RopeScaling);
        Require(c.SlidingWindow is null or > 0, file, names.SlidingWindow, $"must be positive, found {c.SlidingWindow}");
        RequireToken(c.BosTokenId, c.VocabSize, file, names.BosTokenId);
        foreach (var eos in c.EosTokenIds)
        {
            RequireToken(eos, c.VocabSize, file, names.EosTokenId);
        }
        return c;
    }

    private static void ValidateScaling(RopeScaling s, string file, string field)
    {
        if (s.Kind is RopeScalingKind.Linear or RopeScalingKind.Llama3)
        {
            Require(double.IsFinite(s.Factor) && s.Factor > 0, file, field + ".factor", $"must be positive, found {Format(s.Factor)}");
        }
        if (s.Kind == RopeScalingKind.Llama3)
        {
            Require(double.IsFinite(s.LowFreqFactor) && s.LowFreqFactor > 0, file, field + ".low_freq_factor",
                $"must be positive, found {Format(s.LowFreqFactor)}");
            Require(double.IsFinite(s.HighFreqFactor) && s.HighFreqFactor > s.LowFreqFactor, file, field + ".high_freq_factor",
                $"must exceed low_freq_factor {Format(s.LowFreqFactor)}, found {Format(s.HighFreqFactor)}");
            Require(s.OriginalContextLength > 0, file, field + ".original_max_position_embeddings",
                $"must be positive, found {s.OriginalContextLength}");
        }
    }

    private static void RequireToken(int? id, int vocab, string file, string field)
        => Require(id is null || (id >= 0 && id < vocab), file, field, $"token id {id} is outside the vocabulary of {vocab}");

    private static void Require(bool ok, string file, string field, string problem)
    {
        if (!ok)
        {
            throw ModelFormatException.In(file, field, problem);
        }
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
