namespace AlignLab.Embeddings;

/// <summary>Turns a text into a unit-length vector, so a dot product of two is their cosine.</summary>
public interface IEmbedder
{
    /// <summary>What made the vectors (model, layer, pooling), for reports.</summary>
    string Name { get; }

    float[] Embed(string text);

    /// <summary>Every text's vector, in order: one at a time unless the embedder does better (a server takes them in batches).</summary>
    IReadOnlyList<float[]> EmbedAll(IReadOnlyList<string> texts) => [.. (texts ?? throw new ArgumentNullException(nameof(texts))).Select(Embed)];
}
