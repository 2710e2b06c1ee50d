using System.Globalization;
using AlignLab.Backends;
using AlignLab.Engine.Inference;

namespace AlignLab.Embeddings;

/// <summary>
/// Embeddings from a local model's hidden states: the text encoded as a plain prompt (with the tokenizer's BOS),
/// the residual stream after <see cref="Layer"/> layers pooled over the positions, L2-normalised. As an
/// <see cref="ITokenEmbedder"/>, the residual stream after <see cref="TokenLayer"/> layers at each text token (special
/// tokens such as BOS run through the model, since it expects them, but are left out), each L2-normalised.
/// </summary>
public sealed class LocalEmbedder : IEmbedder, ITokenEmbedder
{
    private readonly LocalLanguageModel _model;

    /// <param name="layer">0 (the token embeddings) to the model's layer count; null for the last layer.</param>
    /// <param name="tokenLayer">The layer of the token vectors, in the same range; null for <see cref="DefaultTokenLayer"/>.</param>
    public LocalEmbedder(LocalLanguageModel model, int? layer, HiddenPooling pooling, int? tokenLayer = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        Layer = CheckLayer(layer ?? model.LayerCount, nameof(layer));
        TokenLayer = CheckLayer(tokenLayer ?? DefaultTokenLayer(model.LayerCount), nameof(tokenLayer));
        Pooling = pooling;
    }

    public int Layer { get; }

    /// <summary>The layer of <see cref="EmbedTokens"/>' vectors.</summary>
    public int TokenLayer { get; }

    public HiddenPooling Pooling { get; }

    public string Name => string.Create(CultureInfo.InvariantCulture, $"{_model.Reference} layer {Layer} {Pooling.ToString().ToLowerInvariant()}");

    public string TokenVectorsName => string.Create(CultureInfo.InvariantCulture, $"{_model.Reference} layer {TokenLayer} tokens");

    /// <summary>
    /// Two thirds of the way up (at least layer 1): BERTScore found intermediate layers match meaning best (its
    /// default for roberta-large is layer 17 of 24), and a decoder's last layers turn toward predicting the next token.
    /// </summary>
    public static int DefaultTokenLayer(int layerCount) => Math.Max(1, layerCount * 2 / 3);

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

    public IReadOnlyList<float[]> EmbedTokens(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = _model.EncodePrompt(text);
        if (tokens.Count == 0)
        {
            return [];
        }
        var states = _model.HiddenStates(tokens, TokenLayer);
        var width = _model.HiddenSize;
        return [.. Enumerable.Range(0, tokens.Count)
            .Where(p => !_model.IsSpecialToken(tokens[p]))
            .Select(p => UnitVector.Normalize(states.AsSpan(p * width, width)))];
    }

    private int CheckLayer(int layer, string name) => layer >= 0 && layer <= _model.LayerCount ? layer
        : throw new ArgumentOutOfRangeException(name, string.Create(CultureInfo.InvariantCulture,
            $"layer {layer} is not within 0 (the embeddings) to the {_model.LayerCount} layers of {_model.Reference}"));
}
