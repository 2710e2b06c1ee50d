namespace AlignLab.Embeddings;

/// <summary>An embedder and what it holds open (a model, an HTTP client): dispose it when done.</summary>
public sealed class OpenedEmbedder(IEmbedder embedder, IDisposable resources) : IDisposable
{
    public IEmbedder Embedder { get; } = embedder;

    public void Dispose() => resources.Dispose();
}
