namespace AlignLab.Embeddings;

/// <summary>
/// Turns a text into one unit-length contextual vector per token (special tokens such as BOS left out), for
/// token-matching similarities like BERTScore. A served embedder gives only pooled vectors and cannot be one.
/// </summary>
public interface ITokenEmbedder
{
    /// <summary>What made the token vectors (model, layer), for reports.</summary>
    string TokenVectorsName { get; }

    /// <summary>The vectors of the text's tokens in order; empty for a text with no tokens.</summary>
    IReadOnlyList<float[]> EmbedTokens(string text);
}
