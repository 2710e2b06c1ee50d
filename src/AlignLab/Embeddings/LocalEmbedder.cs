using System.Globalization;
using AlignLab.Backends;
using AlignLab.Engine.Inference;

namespace AlignLab.Embeddings;

/// <summary>
/// Embeddings from a local model's hidden states: the text encoded as a plain prompt (with the tokenizer's BOS),
/// the residual stream after <see cref="Layer"/> layers pooled over the positions, L2-normalised.
/// </summary>
public sealed class LocalEmbedder : IEmbedder
{
    private readonly LocalLanguageModel _model;

    /// <param name="layer">0 (the token embeddings) to the model's layer count; null for the last layer.</param>
    public LocalEmbedder(LocalLanguageModel model, int? layer, HiddenPooling pooling)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        Layer = layer ?? model.LayerCount;
        if (Layer < 0 || Layer > model.LayerCount)
        {
            throw new ArgumentOutOfRangeException(nameof(layer), string.Create(CultureInfo.InvariantCulture,
                $"layer {Layer} is not within 0 (the embeddings) to the {model.LayerCount} layers of {model.Reference}"));
        }
        Pooling = pooling;
    }

    public int Layer { get; }

    public HiddenPooling Pooling { get; }

    public string Name => string.Create(CultureInfo.InvariantCulture, $"{_model.Reference} layer {Layer} {Pooling.ToString().ToLowerInvariant()}");

    public float[] Embed(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = _model.EncodePrompt(text);
        if (tokens.Count == 0)
        {
            throw new ArgumentException("an empty text encodes to no tokens and has no embedding", nameof(text));
        }
        return UnitVector.Normalize(_model.HiddenState(tokens, Layer, Pooling));
    }
}
