namespace AlignLab.Embeddings;

/// <summary>Turns a text into a unit-length vector, so a dot product of two is their cosine.</summary>
public interface IEmbedder
{
    /// <summary>What made the vectors (model, layer, pooling), for reports.</summary>
    string Name { get; }

    float[] Embed(string text);
}
