using System.Text.Json;
using AlignLab.Engine.Training;

namespace AlignLab.Training;

/// <summary>A fine-tuning run: the schedule; the model's shape and context come from the model itself.</summary>
public sealed record FinetuneSettings
{
    public int Steps { get; init; } = 300;

    /// <summary>Rows of the model's context length per step.</summary>
    public int Batch { get; init; } = 8;

    public float LearningRate { get; init; } = 1e-3f;

    public ulong Seed { get; init; }

    /// <summary>Threads; not part of the run's identity, but a resumed run keeps its checkpoint's.</summary>
    public int Threads { get; init; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>Throws an <see cref="ArgumentException"/> whose ParamName is the offending property.</summary>
    public void Validate()
    {
        if (Steps is < 1 or > 10_000_000)
        {
            throw new ArgumentException($"must be from 1 to 10000000, not {Steps}", nameof(Steps));
        }
        if (Batch is < 1 or > 1024)
        {
            throw new ArgumentException($"must be from 1 to 1024, not {Batch}", nameof(Batch));
        }
        if (!float.IsFinite(LearningRate) || LearningRate is <= 0 or >= 1)
        {
            throw new ArgumentException($"must be between 0 and 1, not {LearningRate}", nameof(LearningRate));
        }
        if (Threads < 1)
        {
            throw new ArgumentException($"must be at least 1, not {Threads}", nameof(Threads));
        }
    }

    public TrainingOptions TrainingOptions(int contextLength) => new()
    {
        Steps = Steps,
        BatchSize = Batch,
        SequenceLength = contextLength,
        LearningRate = LearningRate,
        Seed = Seed,
        Threads = Threads,
    };

    internal string Manifest(string modelFingerprint, string dataFingerprint)
        => JsonSerializer.Serialize(new
        {
            kind = "finetune",
            steps = Steps,
            batch = Batch,
            learning_rate = LearningRate,
            seed = Seed,
            model_sha256 = modelFingerprint,
            data_sha256 = dataFingerprint,
        });
}
