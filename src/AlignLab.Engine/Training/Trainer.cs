using System.Globalization;
using System.Security.Cryptography;
using AlignLab.Engine.Models;

namespace AlignLab.Engine.Training;

/// <summary>What one optimizer step did.</summary>
/// <param name="Step">Steps completed, this one included.</param>
/// <param name="Loss">Mean cross-entropy over the batch's targets (nats per token).</param>
/// <param name="GradientNorm">Global gradient norm before clipping.</param>
/// <param name="LearningRate">The rate this step used.</param>
/// <param name="Tokens">Token slots that held data (not padding).</param>
/// <param name="Targets">Positions that counted in the loss.</param>
/// <param name="Epoch">The pass over the data (from 0) the step's rows came from.</param>
public readonly record struct TrainingStepResult(int Step, double Loss, double GradientNorm, float LearningRate, int Tokens, int Targets, int Epoch = 0);

/// <summary>
/// Trains a Llama decoder on the CPU in F32: packed batches (<see cref="BatchPacker"/>), forward and
/// backward with hand-written gradients (<see cref="TrainingPass"/>), global-norm clipping, AdamW with
/// warm-up and cosine decay. Every buffer is allocated up front; a step allocates nothing. The same
/// weights, options (seed and thread count included) and data give the same weights bit for bit, and
/// a run resumed from a <see cref="TrainingCheckpoint"/> continues exactly as if it had not stopped.
/// </summary>
public sealed class Trainer : IDisposable
{
    private readonly ParallelTeam _team;
    private readonly TrainingGradients _gradients;
    private readonly AdamWState _adam;
    private readonly TrainingActivations _activations;
    private readonly TrainingBatch _batch;
    private readonly BatchPacker _packer;

    private Trainer(TrainingWeights weights, TrainingOptions options, IReadOnlyList<TrainingSequence> data, int step, AdamWState? adam, string? fingerprint)
    {
        ArgumentNullException.ThrowIfNull(data);
        options.Validate(weights.Config.ContextLength);
        CheckMemory(weights.Layout, options);
        CheckTokens(data, weights.Config.VocabSize);
        Weights = weights;
        Options = options;
        Step = step;
        Fingerprint = fingerprint ?? ComputeFingerprint(data);
        _packer = new BatchPacker(data, options.BatchSize, options.SequenceLength, options.Seed);
        _team = new ParallelTeam(options.Threads);
        try
        {
            var layout = weights.Layout;
            _gradients = new TrainingGradients(layout, options.Threads);
            _adam = adam ?? new AdamWState(layout);
            _activations = new TrainingActivations(layout, options.BatchSize, options.SequenceLength, options.Threads);
            _batch = new TrainingBatch(options.BatchSize, options.SequenceLength);
        }
        catch
        {
            _team.Dispose();
            throw;
        }
    }

    public TrainingWeights Weights { get; }

    public ModelConfig Config => Weights.Config;

    public TrainingOptions Options { get; }

    /// <summary>Steps completed.</summary>
    public int Step { get; private set; }

    public bool IsFinished => Step >= Options.Steps;

    /// <summary>SHA-256 (hex) of the training data: the tokens and target flags of every sequence, in order.</summary>
    public string Fingerprint { get; }

    /// <summary>A new model for <paramref name="config"/>, its weights drawn from the options' seed.</summary>
    public static Trainer Create(ModelConfig config, TrainingOptions options, IReadOnlyList<TrainingSequence> data)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new Trainer(TrainingWeights.Initialize(config, options.Seed), options, data, 0, null, null);
    }

    /// <summary>Continues training <paramref name="weights"/> (fine-tuning), with fresh optimizer state; the weights are copied.</summary>
    public static Trainer FromWeights(TrainingWeights weights, TrainingOptions options, IReadOnlyList<TrainingSequence> data)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(options);
        return new Trainer(weights.Clone(), options, data, 0, null, null);
    }

    /// <summary>Continues a run from its checkpoint, on the data it was trained on (anything else is refused).</summary>
    public static Trainer Resume(TrainingCheckpoint checkpoint, IReadOnlyList<TrainingSequence> data)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var fingerprint = ComputeFingerprint(data);
        if (fingerprint != checkpoint.DataFingerprint)
        {
            throw new ArgumentException("the checkpoint was trained on different data (its fingerprint differs); start a new run instead", nameof(data));
        }
        return new Trainer(checkpoint.Weights.Clone(), checkpoint.Options, data, checkpoint.Step,
            new AdamWState(checkpoint.Weights.Layout, (float[])checkpoint.Adam.M.Clone(), (float[])checkpoint.Adam.V.Clone()), fingerprint);
    }

    /// <summary>Runs one optimizer step; throws when the run is finished or the loss is not finite.</summary>
    public TrainingStepResult TrainStep()
    {
        if (IsFinished)
        {
            throw new InvalidOperationException($"the run has finished its {Options.Steps} steps");
        }
        _packer.Fill(Step, _batch);
        var epoch = _packer.EpochOf((long)Step * Options.BatchSize);
        var loss = TrainingPass.ForwardBackward(_team, Weights, _gradients, _activations, _batch);
        var norm = _gradients.GlobalNorm(_team);
        if (!double.IsFinite(loss) || !double.IsFinite(norm))
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"step {Step + 1}: the loss ({loss}) or gradient norm ({norm}) is not finite; lower the learning rate"));
        }
        var clip = Options.GradientClip > 0 && norm > Options.GradientClip ? (float)(Options.GradientClip / norm) : 1f;
        var rate = Options.LearningRateAt(Step);
        _adam.Update(_team, Weights.Data, _gradients.Data, Step + 1, rate, clip, Options.AdamW);
        Step++;
        var targets = 0;
        foreach (var w in _batch.Weights)
        {
            targets += w > 0 ? 1 : 0;
        }
        return new TrainingStepResult(Step, loss, norm, rate, _batch.TokenCount, targets, epoch);
    }

    /// <summary>A snapshot of the run as it stands (copies of the weights and moments).</summary>
    public TrainingCheckpoint Checkpoint()
        => new(Step, Options, Fingerprint, Weights.Clone(), new AdamWState(Weights.Layout, (float[])_adam.M.Clone(), (float[])_adam.V.Clone()));

    /// <summary>
    /// The logits [tokens.Length, V] of one sequence from positions 0…, by the trainer's own forward pass
    /// (for comparing with the inference engine). Allocates its own buffers.
    /// </summary>
    public float[] ComputeLogits(ReadOnlySpan<int> tokens) => ComputeLogits(Weights, tokens, Options.Threads);

    /// <inheritdoc cref="ComputeLogits(ReadOnlySpan{int})"/>
    public static float[] ComputeLogits(TrainingWeights weights, ReadOnlySpan<int> tokens, int threads = 1)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (tokens.Length == 0 || tokens.Length > weights.Config.ContextLength)
        {
            throw new ArgumentException($"{tokens.Length} tokens: expected 1 to the context length {weights.Config.ContextLength}", nameof(tokens));
        }
        var sequence = new TrainingSequence(tokens.ToArray());
        CheckTokens([sequence], weights.Config.VocabSize);
        using var team = new ParallelTeam(threads);
        var batch = new TrainingBatch(1, tokens.Length);
        batch.Clear();
        batch.Place(0, 0, sequence, 0, tokens.Length);
        var activations = new TrainingActivations(weights.Layout, 1, tokens.Length, threads);
        TrainingPass.Forward(team, weights, activations, batch);
        return activations.Logits[..(tokens.Length * weights.Config.VocabSize)];
    }

    public void Dispose() => _team.Dispose();

    internal static string ComputeFingerprint(IReadOnlyList<TrainingSequence> data)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> number = stackalloc byte[4];
        foreach (var sequence in data)
        {
            BitConverter.TryWriteBytes(number, sequence.Length);
            hash.AppendData(number);
            hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(sequence.Tokens.AsSpan()));
            var flags = new byte[sequence.Length];
            for (var i = 0; i < flags.Length; i++)
            {
                flags[i] = sequence.IsTarget(i) ? (byte)1 : (byte)0;
            }
            hash.AppendData(flags);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Refuses, before allocating, a batch whose activations would not fit in the memory available.</summary>
    private static void CheckMemory(ParameterLayout layout, TrainingOptions options)
    {
        var c = layout.Config;
        var slots = (long)options.BatchSize * options.SequenceLength;
        var largest = Math.Max(AttentionGrad.ProbabilityLength(options.BatchSize, options.SequenceLength, c.HeadCount),
            slots * Math.Max(layout.WidestMatrixSide, c.QueryWidth + 2 * c.KvWidth));
        if (largest > Array.MaxLength)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"a batch of {options.BatchSize} rows of {options.SequenceLength} tokens needs a buffer of {largest:N0} values, more than an array can hold; use a smaller batch or context"));
        }
        var needed = TrainingActivations.EstimateBytes(layout, options.BatchSize, options.SequenceLength);
        var available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (needed > available)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"a batch of {options.BatchSize} rows of {options.SequenceLength} tokens needs about {needed / (1 << 20):N0} MiB of activations, more than the {available / (1 << 20):N0} MiB available; use a smaller batch or context"));
        }
    }

    private static void CheckTokens(IReadOnlyList<TrainingSequence> data, int vocabSize)
    {
        for (var s = 0; s < data.Count; s++)
        {
            foreach (var token in data[s].Tokens)
            {
                if ((uint)token >= (uint)vocabSize)
                {
                    throw new ArgumentException($"sequence {s}: token id {token} is outside the model's vocabulary of {vocabSize}", nameof(data));
                }
            }
        }
    }
}
