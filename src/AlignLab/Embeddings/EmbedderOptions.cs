using AlignLab.Backends.Remote;
using AlignLab.Engine.Inference;

namespace AlignLab.Embeddings;

/// <summary>How an embedder is opened: the hidden states a local model pools, and how a served one is reached.</summary>
public sealed record EmbedderOptions
{
    /// <summary>A local model's layer (0: the token embeddings); null: the last. A server chooses its own.</summary>
    public int? Layer { get; init; }

    /// <summary>A local model's layer of token vectors (BERTScore); null: <see cref="LocalEmbedder.DefaultTokenLayer"/>. A server gives none.</summary>
    public int? TokenLayer { get; init; }

    /// <summary>A local model's pooling. A server chooses its own.</summary>
    public HiddenPooling Pooling { get; init; } = HiddenPooling.Mean;

    /// <summary>Threads of a local model's forward pass; null: all cores.</summary>
    public int? Threads { get; init; }

    /// <summary>API key, timeouts, retries and requests in flight for a served embedder.</summary>
    public RemoteModelOptions? Remote { get; init; }
}
