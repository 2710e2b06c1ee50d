using System.Globalization;
using AlignLab.Engine.Formats;
using AlignLab.Engine.Formats.Gguf;
using AlignLab.Engine.Formats.HuggingFace;
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

    /// <summary>Opens a GGUF file or a Hugging Face folder (config.json + safetensors).</summary>
    public static LlamaModel Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
        {
            var folder = HfModelFolder.Open(path);
            try
            {
                if (!folder.HasWeights)
                {
                    throw ModelFormatException.In(path, "model.safetensors", "missing: the folder has no weights");
                }
                return new LlamaModel(folder.LoadWeights(), folder);
            }
            catch
            {
                folder.Dispose();
                throw;
            }
        }
        return FromGguf(GgufFile.Open(path));
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
    /// Scores <paramref name="tokens"/> in one forward pass: for every position ≥ <paramref name="start"/>, the
    /// distribution of the next token. A fresh session sized to the sequence is used; to score many
    /// sequences, keep an <see cref="InferenceSession"/> and call its <see cref="InferenceSession.Score"/>.
    /// </summary>
    public ScoreResult Score(ReadOnlySpan<int> tokens, int start = 0, ScoreOptions? options = null, KvCacheType kvCache = KvCacheType.F32)
    {
        if (tokens.Length > Config.ContextLength)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{tokens.Length} tokens exceed the model's context length of {Config.ContextLength}"), nameof(tokens));
        }
        using var session = CreateSession(new SessionOptions { ContextSize = Math.Max(1, tokens.Length), KvCacheType = kvCache });
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
