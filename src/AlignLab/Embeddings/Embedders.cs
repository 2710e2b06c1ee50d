using AlignLab.Backends;
using AlignLab.Engine.Inference;

namespace AlignLab.Embeddings;

/// <summary>
/// The one way an embedder reference is opened (<c>alignlab embed</c>, <c>pluralism measure --embedder</c>):
/// <c>http(s)://HOST:PORT/v1#MODEL</c> is any OpenAI-compatible /v1/embeddings (<see cref="RemoteEmbedder"/>);
/// anything else is a local model whose pooled hidden states embed (<see cref="LocalEmbedder"/>).
/// </summary>
public static class Embedders
{
    /// <summary>
    /// Opens <paramref name="reference"/>. A layer or a pooling other than the mean is an <see cref="ArgumentException"/>
    /// for a served embedder (its server decides: <c>alignlab serve --embedding-layer / --embedding-pooling</c>), and an
    /// out-of-range layer one (<see cref="ArgumentOutOfRangeException"/>) for a local model.
    /// </summary>
    public static OpenedEmbedder Open(string reference, EmbedderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(reference);
        options ??= new EmbedderOptions();
        if (LanguageModels.IsRemote(reference))
        {
            if (options.Layer is not null || options.Pooling != HiddenPooling.Mean)
            {
                throw new ArgumentException($"{reference}: a served embedder's layer and pooling are the server's (alignlab serve --embedding-layer, --embedding-pooling), not the client's", nameof(options));
            }
            if (options.TokenLayer is not null)
            {
                throw new ArgumentException($"{reference}: a served embedder gives no token vectors, so it has no token layer (BERTScore needs a local model)", nameof(options));
            }
            var remote = RemoteEmbedder.Open(reference, options.Remote);
            return new OpenedEmbedder(remote, remote);
        }
        var model = LocalLanguageModel.Open(reference, new LocalModelOptions { Threads = options.Threads });
        try
        {
            return new OpenedEmbedder(new LocalEmbedder(model, options.Layer, options.Pooling, options.TokenLayer), model);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}
