using AlignLab.Backends;
using AlignLab.Embeddings;
using AlignLab.Engine.Inference;
using AlignLab.Pluralism;
using AlignLab.Tests.Support;

namespace AlignLab.Tests.Pluralism;

public sealed class BertScoreTests(FixtureModels models) : IClassFixture<FixtureModels>
{
    private static readonly float[] X = [1f, 0f];
    private static readonly float[] Y = [0f, 1f];
    private static readonly float[] Diagonal = [0.6f, 0.8f];

    [Fact]
    public void Greedy_matching_gives_precision_recall_and_f1_computed_by_hand()
    {
        // Candidate {X, Y}, reference {X}: X matches X (1), Y's best is X (0): P = 0.5; the reference's X matches X: R = 1.
        var result = BertScore.Compare([X, Y], [X]);
        Assert.Equal((0.5, 1.0), (result.Precision, result.Recall));
        Assert.Equal(2 * 0.5 * 1 / 1.5, result.F1, 12);

        // Candidate {Diagonal}, reference {X, Y}: its best is Y (0.8): P = 0.8; X's best 0.6, Y's 0.8: R = 0.7.
        var diagonal = BertScore.Compare([Diagonal], [X, Y]);
        Assert.Equal(0.8, diagonal.Precision, 6);
        Assert.Equal(0.7, diagonal.Recall, 6);
        Assert.Equal(2 * 0.8 * 0.7 / 1.5, diagonal.F1, 6);

        // F1 is symmetric; a text with itself is 1; an empty side scores 0.
        Assert.Equal(diagonal.F1, BertScore.Compare([X, Y], [Diagonal]).F1, 12);
        Assert.Equal(1.0, BertScore.Compare([X, Diagonal], [X, Diagonal]).F1, 6);
        Assert.Equal(new BertScoreResult(0, 0, 0), BertScore.Compare([], [X]));
    }

    [Fact]
    public void Local_token_vectors_are_the_engines_hidden_states_of_the_text_tokens_normalised_without_bos()
    {
        using var model = LocalLanguageModel.Open(models.Base, new LocalModelOptions { Threads = 1 });
        var embedder = new LocalEmbedder(model, layer: null, HiddenPooling.Mean, tokenLayer: 1);
        const string text = "The quick brown fox";
        var vectors = embedder.EmbedTokens(text);

        var tokens = model.EncodePrompt(text);
        Assert.Equal(model.Tokenizer.Encode("<s>", parseSpecial: true)[0], tokens[0]);
        using var engine = LlamaModel.Load(models.Base);
        using var session = engine.CreateSession(new SessionOptions { Threads = 1, ContextSize = 256 });
        var states = session.HiddenStates([.. tokens], 1);
        var width = states.Length / tokens.Count;
        Assert.Equal(tokens.Count - 1, vectors.Count);
        for (var t = 1; t < tokens.Count; t++)
        {
            var row = states.AsSpan(t * width, width).ToArray();
            var norm = Math.Sqrt(row.Sum(v => (double)v * v));
            Assert.Equal(row.Select(v => v / norm).ToArray(), vectors[t - 1].Select(v => (double)v).ToArray(), (a, b) => Math.Abs(a - b) < 1e-5);
        }
        Assert.Equal("layer 1 tokens", embedder.TokenVectorsName[(embedder.TokenVectorsName.LastIndexOf(" layer", StringComparison.Ordinal) + 1)..]);
        Assert.Empty(embedder.EmbedTokens(""));
        Assert.Equal(1.0, BertScore.Compare(vectors, embedder.EmbedTokens(text)).F1, 6);
        Assert.Equal(LocalEmbedder.DefaultTokenLayer(model.LayerCount), new LocalEmbedder(model, null, HiddenPooling.Mean).TokenLayer);
        Assert.Equal((1, 1, 20), (LocalEmbedder.DefaultTokenLayer(1), LocalEmbedder.DefaultTokenLayer(2), LocalEmbedder.DefaultTokenLayer(30)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LocalEmbedder(model, null, HiddenPooling.Mean, tokenLayer: model.LayerCount + 1));
    }
}
