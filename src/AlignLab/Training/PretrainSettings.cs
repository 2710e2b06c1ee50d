using System.Globalization;
using System.Text.Json;
using AlignLab.Engine.Models;
using AlignLab.Engine.Training;

namespace AlignLab.Training;

/// <summary>
/// A pretraining run: the tokenizer's vocabulary size, the model's shape and the training schedule.
/// Together with the corpus they fully determine the result (bit for bit, for a thread count).
/// </summary>
public sealed record PretrainSettings
{
    public int VocabSize { get; init; } = 1024;

    public int Layers { get; init; } = 4;

    /// <summary>Hidden width.</summary>
    public int Dim { get; init; } = 128;

    public int Heads { get; init; } = 4;

    public int KvHeads { get; init; } = 2;

    /// <summary>Feed-forward width.</summary>
    public int Ffn { get; init; } = 384;

    /// <summary>Context length; also the length of every packed training row.</summary>
    public int Context { get; init; } = 256;

    public int Steps { get; init; } = 1000;

    /// <summary>Rows of <see cref="Context"/> tokens per step.</summary>
    public int Batch { get; init; } = 8;

    public float LearningRate { get; init; } = 3e-3f;

    public ulong Seed { get; init; }

    /// <summary>Threads; not part of the run's identity, but a resumed run keeps its checkpoint's.</summary>
    public int Threads { get; init; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>Throws an <see cref="ArgumentException"/> whose ParamName is the offending property.</summary>
    public void Validate()
    {
        static void Require(bool ok, string field, string problem)
        {
            if (!ok)
            {
                throw new ArgumentException(problem, field);
            }
        }
        Require(VocabSize is >= 260 and <= 1 << 17, nameof(VocabSize), $"must be from 260 (3 special tokens and 256 bytes, plus one) to 131072, not {VocabSize}");
        Require(Layers is >= 1 and <= 64, nameof(Layers), $"must be from 1 to 64, not {Layers}");
        Require(Heads is >= 1 and <= 64, nameof(Heads), $"must be from 1 to 64, not {Heads}");
        Require(Dim >= 2 && Dim <= 4096 && Dim % Heads == 0 && Dim / Heads % 2 == 0, nameof(Dim),
            string.Create(CultureInfo.InvariantCulture, $"must be at most 4096 and split into {Heads} heads of an even width, not {Dim}"));
        Require(KvHeads >= 1 && Heads % KvHeads == 0, nameof(KvHeads), $"must divide the {Heads} heads, not {KvHeads}");
        Require(Ffn is >= 1 and <= 16384, nameof(Ffn), $"must be from 1 to 16384, not {Ffn}");
        Require(Context is >= 8 and <= 4096, nameof(Context), $"must be from 8 to 4096, not {Context}");
        Require(Steps is >= 1 and <= 10_000_000, nameof(Steps), $"must be from 1 to 10000000, not {Steps}");
        Require(Batch is >= 1 and <= 1024, nameof(Batch), $"must be from 1 to 1024, not {Batch}");
        Require(float.IsFinite(LearningRate) && LearningRate is > 0 and < 1, nameof(LearningRate), $"must be between 0 and 1, not {LearningRate}");
        Require(Threads >= 1, nameof(Threads), $"must be at least 1, not {Threads}");
    }

    public ModelConfig ModelConfig(int vocabSize) => new()
    {
        Architecture = ModelArchitecture.Llama,
        VocabSize = vocabSize,
        HiddenSize = Dim,
        IntermediateSize = Ffn,
        LayerCount = Layers,
        HeadCount = Heads,
        KvHeadCount = KvHeads,
        HeadDim = Dim / Heads,
        ContextLength = Context,
        RmsNormEps = 1e-5,
        RopeTheta = 10000,
        TieWordEmbeddings = true,
    };

    public TrainingOptions TrainingOptions() => new()
    {
        Steps = Steps,
        BatchSize = Batch,
        SequenceLength = Context,
        LearningRate = LearningRate,
        Seed = Seed,
        Threads = Threads,
    };

    /// <summary>What identifies the run (everything but the thread count), as canonical JSON.</summary>
    internal string Manifest(string corpusFingerprint)
        => JsonSerializer.Serialize(new
        {
            kind = "pretrain",
            vocab_size = VocabSize,
            layers = Layers,
            dim = Dim,
            heads = Heads,
            kv_heads = KvHeads,
            ffn = Ffn,
            context = Context,
            steps = Steps,
            batch = Batch,
            learning_rate = LearningRate,
            seed = Seed,
            corpus_sha256 = corpusFingerprint,
        });
}
