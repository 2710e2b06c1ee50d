using System.Globalization;

namespace AlignLab.Engine.Training;

/// <summary>
/// How a model is trained: the batch, the optimizer (AdamW), the learning-rate schedule (linear
/// warm-up, then cosine decay to <see cref="MinLearningRateRatio"/> × the peak), gradient clipping,
/// the seed and the thread count. A run is reproducible bit for bit from these and its data.
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>Optimizer steps in the whole run.</summary>
    public int Steps { get; init; } = 1000;

    /// <summary>Rows of packed sequences per step.</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary>Tokens per row (at most the model's context length).</summary>
    public int SequenceLength { get; init; } = 256;

    /// <summary>The peak learning rate.</summary>
    public float LearningRate { get; init; } = 3e-3f;

    /// <summary>The final learning rate as a fraction of the peak.</summary>
    public float MinLearningRateRatio { get; init; } = 0.1f;

    /// <summary>Steps of linear warm-up from 0 to the peak; null: 5% of the steps.</summary>
    public int? WarmupSteps { get; init; }

    public float WeightDecay { get; init; } = 0.1f;

    public float Beta1 { get; init; } = 0.9f;

    public float Beta2 { get; init; } = 0.95f;

    public float Epsilon { get; init; } = 1e-8f;

    /// <summary>The largest global gradient norm; larger gradients are scaled down to it. 0: no clipping.</summary>
    public float GradientClip { get; init; } = 1f;

    /// <summary>Seeds the initial weights (when not given) and the order of the data.</summary>
    public ulong Seed { get; init; }

    /// <summary>Threads the step runs on; part of what makes a run reproducible.</summary>
    public int Threads { get; init; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>The warm-up actually used.</summary>
    public int EffectiveWarmupSteps => WarmupSteps ?? Math.Max(1, Steps / 20);

    internal AdamWSettings AdamW => new(Beta1, Beta2, Epsilon, WeightDecay);

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first bad field.</summary>
    public void Validate(int contextLength)
    {
        static void Require(bool ok, string field, string expected)
        {
            if (!ok)
            {
                throw new ArgumentException($"training option {field}: {expected}");
            }
        }
        Require(Steps >= 1, nameof(Steps), $"must be at least 1, not {Steps}");
        Require(BatchSize >= 1, nameof(BatchSize), $"must be at least 1, not {BatchSize}");
        Require(SequenceLength >= 2 && SequenceLength <= contextLength, nameof(SequenceLength),
            string.Create(CultureInfo.InvariantCulture, $"must be from 2 to the context length {contextLength}, not {SequenceLength}"));
        Require(float.IsFinite(LearningRate) && LearningRate > 0, nameof(LearningRate), $"must be positive, not {LearningRate}");
        Require(MinLearningRateRatio is >= 0 and <= 1, nameof(MinLearningRateRatio), $"must be from 0 to 1, not {MinLearningRateRatio}");
        Require(WarmupSteps is null or >= 0, nameof(WarmupSteps), $"must not be negative, not {WarmupSteps}");
        Require(WeightDecay is >= 0 and < 1, nameof(WeightDecay), $"must be from 0 to 1, not {WeightDecay}");
        Require(Beta1 is >= 0 and < 1 && Beta2 is >= 0 and < 1, "Beta1/Beta2", "must be from 0 to 1 (exclusive)");
        Require(Epsilon > 0, nameof(Epsilon), "must be positive");
        Require(GradientClip >= 0 && float.IsFinite(GradientClip), nameof(GradientClip), $"must be 0 or positive, not {GradientClip}");
        Require(Threads >= 1, nameof(Threads), $"must be at least 1, not {Threads}");
    }

    /// <summary>The learning rate of <paramref name="step"/> (from 0): linear warm-up, then cosine decay to the minimum at the last step.</summary>
    public float LearningRateAt(int step)
    {
        var warmup = EffectiveWarmupSteps;
        if (step < warmup)
        {
            return LearningRate * (step + 1) / warmup;
        }
        var decaySteps = Math.Max(1, Steps - warmup);
        var progress = Math.Min(1.0, (double)(step - warmup) / decaySteps);
        var cosine = 0.5 * (1 + Math.Cos(Math.PI * progress));
        var min = LearningRate * MinLearningRateRatio;
        return (float)(min + (LearningRate - min) * cosine);
    }
}
