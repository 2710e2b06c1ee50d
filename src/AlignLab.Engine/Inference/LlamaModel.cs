using System.Globalization;
using AlignLab.Engine.Formats;
using AlignLab.Engine.Formats.Gguf;
using AlignLab.Engine.Models;

namespace AlignLab.Engine.Inference;

/// <summary>
/// A Llama-family decoder (llama, mistral, qwen2, qwen3): one model type whose differences are data
/// (<see cref="ModelConfig"/>, <see cref="ArchitectureTable"/>, the tensors present). Weights stay
/// memory-mapped in their stored type. Thread-safe for reading; each <see cref="InferenceSession"/>
/// holds the mutable state of one sequence.
/// </summary>
public sealed class LlamaModel : IDisposable
{
    private readonly IDisposable? _owner;

    private LlamaModel(ModelWeights weights, IDisposable? owner)
    {
        _owner = owner;
        Weights = weights;
        var c = weights.Config;
        Embedding = new WeightMatrix(weights.Source, weights.Get(TensorRole.TokenEmbedding));
        OutputNorm = weights.ReadSingle(TensorRole.OutputNorm, -1, weights.StoredRopeLayout);
        Output = c.TieWordEmbeddings ? Embedding : new WeightMatrix(weights.Source, weights.Get(TensorRole.Output));
        Layers = [.. Enumerable.Range(0, c.LayerCount).Select(l => new LayerWeights(weights, l))];
        var factors = c.RopeScaling.Kind == RopeScalingKind.FrequencyFactors
            ? weights.ReadSingle(TensorRole.RopeFrequencies, -1, weights.StoredRopeLayout)
            : [];
        Rope = new RopeTable(c, weights.StoredRopeLayout, weights.Source.Naming, factors);
    }

    public ModelConfig Config => Weights.Config;

    public ModelWeights Weights { get; }

    public int VocabSize => Config.VocabSize;

    /// <summary>[vocab, hidden]</summary>
    internal WeightMatrix Embedding { get; }

    /// <summary>[hidden]</summary>
    internal float[] OutputNorm { get; }

    /// <summary>[vocab, hidden]: the output head, or <see cref="Embedding"/> when tied.</summary>
    internal WeightMatrix Output { get; }

    internal LayerWeights[] Layers { get; }

    /// <summary>RoPE in the layout the file stores Q/K rows in.</summary>
    internal RopeTable Rope { get; }

    /// <summary>Every matrix a forward pass multiplies by (the embedding only when it is also the output head).</summary>
    internal IEnumerable<WeightMatrix> Matrices
        => Layers.SelectMany(l => new[] { l.Query, l.Key, l.Value, l.Output, l.Gate, l.Up, l.Down }).Append(Output);

    /// <summary>
    /// Resolves <paramref name="reference"/> through <see cref="LocalModel.Open(string)"/> (a GGUF file, a
    /// Hugging Face folder, a hub id in the local cache) and opens its weights. The model owns the files
    /// and closes them when disposed.
    /// </summary>
    public static LlamaModel Load(string reference)
    {
        ArgumentException.ThrowIfNullOrEmpty(reference);
        var local = LocalModel.Open(reference);
        try
        {
            return Load(local, ownsFiles: true);
        }
        catch
        {
            local.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The model in <paramref name="local"/>'s files: its config and tensors, checked. The files stay
    /// <paramref name="local"/>'s: dispose it after the model (the model reads the memory-mapped weights).
    /// </summary>
    public static LlamaModel Load(LocalModel local) => Load(local, ownsFiles: false);

    private static LlamaModel Load(LocalModel local, bool ownsFiles)
    {
        ArgumentNullException.ThrowIfNull(local);
        // The config first: a tokenizer-only folder or an unsupported architecture says so.
        var config = local.ReadConfig();
        if (!local.HasWeights)
        {
            throw local.Format == LocalModelFormat.Gguf
                ? ModelFormatException.In(local.Path, "tensors", "missing: a vocabulary-only file")
                : ModelFormatException.In(local.Path, "model.safetensors", "missing: the folder has no weights");
        }
        return new LlamaModel(new ModelWeights(local.Tensors, config), ownsFiles ? local : null);
    }

    /// <summary>A model over an opened GGUF file, which it disposes when <paramref name="ownsFile"/>.</summary>
    public static LlamaModel FromGguf(GgufFile file, bool ownsFile = true)
    {
        ArgumentNullException.ThrowIfNull(file);
        try
        {
            var config = GgufModelConfig.Read(file);
            var source = new GgufTensorSource(file, ownsFile: false);
            return new LlamaModel(new ModelWeights(source, config), ownsFile ? file : null);
        }
        catch
        {
            if (ownsFile)
            {
                file.Dispose();
            }
            throw;
        }
    }

    /// <summary>A model over checked weights; <paramref name="owner"/> (the file or folder) is disposed with it.</summary>
    public static LlamaModel FromWeights(ModelWeights weights, IDisposable? owner = null)
        => new(weights ?? throw new ArgumentNullException(nameof(weights)), owner);

    /// <summary>A sequence's state: KV cache, activations and kernel threads, allocated once; dispose it to stop the threads.</summary>
    public InferenceSession CreateSession(SessionOptions? options = null) => new(this, options ?? new SessionOptions());

    /// <summary>
    /// <paramref name="sequences"/> sequences decoded as one batch, each with its own KV cache of
    /// <see cref="SessionOptions.ContextSize"/> tokens; buffers and kernel threads allocated once; dispose it to stop the threads.
    /// </summary>
    public BatchSession CreateBatchSession(int sequences, SessionOptions? options = null) => new(this, sequences, options ?? new SessionOptions());

    /// <summary>
    /// Scores <paramref name="tokens"/> in one forward pass: for every position ≥ <paramref name="start"/>, the
    /// distribution of the next token. A fresh session sized to the sequence is used; to score many
    /// sequences, keep an <see cref="InferenceSession"/> and call its <see cref="InferenceSession.Score"/>.
    /// </summary>
    /// <param name="tokens">The sequence, at most the model's context length.</param>
    /// <param name="start">The first position to report.</param>
    /// <param name="options">What to keep per position.</param>
    /// <param name="kvCache">The KV cache type.</param>
    /// <param name="threads">Most threads the pass uses (<see cref="SessionOptions.Threads"/>); null: no cap.</param>
    public ScoreResult Score(ReadOnlySpan<int> tokens, int start = 0, ScoreOptions? options = null, KvCacheType kvCache = KvCacheType.F32, int? threads = null)
    {
        if (tokens.Length > Config.ContextLength)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{tokens.Length} tokens exceed the model's context length of {Config.ContextLength}"), nameof(tokens));
        }
        using var session = CreateSession(new SessionOptions { ContextSize = Math.Max(1, tokens.Length), KvCacheType = kvCache, Threads = threads });
        return session.Score(tokens, start, options);
    }

    /// <summary>Disposes the file or folder the model was opened from (not weights passed to <see cref="FromWeights"/> without an owner).</summary>
    public void Dispose() => _owner?.Dispose();

    public override string ToString()
    {
        var c = Config;
        return $"{c.Architecture}: {c.LayerCount} layers, hidden {c.HiddenSize}, {c.HeadCount} heads / {c.KvHeadCount} KV, vocab {c.VocabSize} ({Weights.Source.Location})";
    }
}
