using AlignLab.Engine.Training;
using static AlignLab.Engine.Tests.Training.GradientCheck;

namespace AlignLab.Engine.Tests.Training;

/// <summary>
/// Each operation's hand-written gradient against central differences of a double-precision
/// reference (<see cref="ReferenceOps"/>), for the loss Σ dy ⊙ op(x) with a fixed random dy.
/// </summary>
public sealed class OpGradientTests : IDisposable
{
    private const double Tolerance = 2e-5;
    private readonly ParallelTeam _team = new(2);

    public void Dispose() => _team.Dispose();

    [Fact]
    public void LinearGradients()
    {
        const int n = 5, inputs = 7, outputs = 6;
        var w = RandomFloats(outputs * inputs, 1);
        var x = RandomFloats(n * inputs, 2);
        var dy = RandomFloats(n * outputs, 3);
        var dx = new float[n * inputs];
        var dw = new float[outputs * inputs];
        Linear.BackwardInput(_team, w, outputs, inputs, dy, n, dx, new float[outputs * inputs]);
        Linear.BackwardWeight(_team, x, inputs, dy, outputs, n, dw, new float[n * inputs], new float[n * outputs]);

        var (wd, xd) = (ToDouble(w), ToDouble(x));
        AssertClose(dx, Numeric(v => Dot(ReferenceOps.Linear(wd, outputs, inputs, v), dy), xd), Tolerance, "dx");
        AssertClose(dw, Numeric(v => Dot(ReferenceOps.Linear(v, outputs, inputs, xd), dy), wd), Tolerance, "dW");
    }

    [Fact]
    public void LinearForwardMatchesReference()
    {
        const int n = 9, inputs = 33, outputs = 17;
        var w = RandomFloats(outputs * inputs, 4);
        var x = RandomFloats(n * inputs, 5);
        var y = new float[n * outputs];
        Linear.Forward(_team, w, outputs, inputs, x, n, y);
        var expected = ReferenceOps.Linear(ToDouble(w), outputs, inputs, ToDouble(x));
        for (var i = 0; i < y.Length; i++)
        {
            Assert.Equal(expected[i], y[i], 1e-5);
        }
    }

    [Fact]
    public void RmsNormGradients()
    {
        const int n = 4, d = 12;
        const float eps = 1e-5f;
        var x = RandomFloats(n * d, 6);
        var w = RandomFloats(d, 7, 2);
        var dy = RandomFloats(n * d, 8);
        var dx = RandomFloats(n * d, 9);      // the gradient is added to what is there
        var before = (float[])dx.Clone();
        var dw = new float[d];
        RmsNormGrad.Backward(_team, dy, x, w, eps, n, dx, dw, new float[n]);
        for (var i = 0; i < dx.Length; i++)
        {
            dx[i] -= before[i];
        }

        var (xd, wd) = (ToDouble(x), ToDouble(w));
        AssertClose(dx, Numeric(v => Dot(ReferenceOps.RmsNorm(v, wd, eps), dy), xd), Tolerance, "dx");
        AssertClose(dw, Numeric(v => Dot(ReferenceOps.RmsNorm(xd, v, eps), dy), wd), Tolerance, "dw");
    }

    [Fact]
    public void SwiGluGradient()
    {
        const int n = 3, f = 10;
        var gateUp = RandomFloats(n * 2 * f, 10, 4);
        var dh = RandomFloats(n * f, 11);
        var dGateUp = new float[n * 2 * f];
        SwiGluGrad.Backward(_team, dh, gateUp, n, f, dGateUp);
        AssertClose(dGateUp, Numeric(v => Dot(ReferenceOps.SwiGlu(v, f), dh), ToDouble(gateUp)), Tolerance, "d(gate, up)");
    }

    [Fact]
    public void RopeGradientIsTheInverseRotation()
    {
        var config = TrainingFixtures.Config() with { ContextLength = 32 };
        var (width, rotated) = (config.QueryWidth + 2 * config.KvWidth, config.QueryWidth + config.KvWidth);
        int[] positions = [0, 5, 31, 2];
        var x = RandomFloats(positions.Length * width, 12);
        var dy = RandomFloats(positions.Length * width, 13);
        var rope = new RopeGrad(config);
        var dx = (float[])dy.Clone();
        rope.Apply(_team, dx, width, rotated, positions, inverse: true);
        AssertClose(dx, Numeric(v => Dot(ReferenceOps.Rope(v, width, rotated, config.HeadDim, positions, config.RopeTheta), dy), ToDouble(x)),
            Tolerance, "dx");

        // And the forward rotation is the reference's.
        var y = (float[])x.Clone();
        rope.Apply(_team, y, width, rotated, positions, inverse: false);
        var expected = ReferenceOps.Rope(ToDouble(x), width, rotated, config.HeadDim, positions, config.RopeTheta);
        for (var i = 0; i < y.Length; i++)
        {
            Assert.Equal(expected[i], y[i], 1e-5);
        }
    }

    [Fact]
    public void AttentionGradientOverPackedSegments()
    {
        // Two rows of 7: row 0 holds segments of 3 and 4 tokens, row 1 one of 5 and two padding slots.
        const int rows = 2, length = 7, heads = 4, kvHeads = 2, headDim = 4;
        int[] starts = [0, 0, 0, 3, 3, 3, 3, 0, 0, 0, 0, 0, 5, 6];
        var width = (heads + 2 * kvHeads) * headDim;
        var n = rows * length;
        var qkv = RandomFloats(n * width, 14, 1.5);
        var dOut = RandomFloats(n * heads * headDim, 15);
        var attention = new AttentionGrad(rows, length, heads, kvHeads, headDim, threads: 2);
        var probabilities = new float[AttentionGrad.ProbabilityLength(rows, length, heads)];
        var output = new float[n * heads * headDim];
        attention.Forward(_team, qkv, starts, probabilities, output);
        var expected = ReferenceOps.Attention(ToDouble(qkv), rows, length, heads, kvHeads, headDim, starts);
        for (var i = 0; i < output.Length; i++)
        {
            Assert.Equal(expected[i], output[i], 1e-5);
        }

        var dQkv = new float[n * width];
        attention.Backward(_team, qkv, probabilities, dOut, dQkv);
        AssertClose(dQkv, Numeric(v => Dot(ReferenceOps.Attention(v, rows, length, heads, kvHeads, headDim, starts), dOut), ToDouble(qkv)),
            Tolerance, "d(q, k, v)");
    }

    [Fact]
    public void CrossEntropyGradientSkipsZeroWeights()
    {
        const int n = 5, vocab = 9;
        var logits = RandomFloats(n * vocab, 16, 3);
        int[] targets = [1, 8, 0, 4, 4];
        float[] weights = [1, 0, 1, 1, 0];
        var gradient = (float[])logits.Clone();
        var loss = CrossEntropy.ForwardBackward(_team, gradient, vocab, targets, weights, new float[n]);
        var logitsD = ToDouble(logits);
        Assert.Equal(ReferenceOps.CrossEntropy(logitsD, vocab, targets, weights), loss, 1e-5);
        AssertClose(gradient, Numeric(v => ReferenceOps.CrossEntropy(v, vocab, targets, weights), logitsD), Tolerance, "dlogits");
        Assert.All(gradient.AsSpan(vocab, vocab).ToArray(), g => Assert.Equal(0f, g));
    }

    [Fact]
    public void EmbeddingGradientAddsRepeatedTokens()
    {
        const int d = 3, vocab = 5;
        int[] tokens = [2, 4, 2, 0];
        float[] dx = [1, 2, 3, 10, 20, 30, 100, 200, 300, 7, 8, 9];
        var dEmbedding = new float[vocab * d];
        EmbeddingGrad.Backward(_team, tokens, dx, d, dEmbedding);
        Assert.Equal(new float[] { 7, 8, 9, 0, 0, 0, 101, 202, 303, 0, 0, 0, 10, 20, 30 }, dEmbedding);
    }
}
