using AlignLab.Engine.Models;

namespace AlignLab.Engine.Tests.Training;

/// <summary>
/// The whole decoder's loss in double precision from the engine's per-tensor view of the weights
/// (<see cref="Engine.Training.TrainingWeights.Tensors"/>), built only from <see cref="ReferenceOps"/>.
/// </summary>
internal sealed class ReferenceModel(ModelConfig config)
{
    public ModelConfig Config { get; } = config;

    /// <summary>A packed batch: B rows of T slots with per-slot tokens, positions, segment starts, targets and weights.</summary>
    public sealed record Batch(int Rows, int Length, int[] Tokens, int[] Positions, int[] SegmentStarts, int[] Targets, float[] Weights);

    public double[] Logits(Dictionary<(TensorRole, int), double[]> w, Batch batch)
    {
        var c = Config;
        var (d, f) = (c.HiddenSize, c.IntermediateSize);
        var n = batch.Tokens.Length;
        var embedding = w[(TensorRole.TokenEmbedding, -1)];
        var x = new double[n * d];
        for (var t = 0; t < n; t++)
        {
            Array.Copy(embedding, batch.Tokens[t] * d, x, t * d, d);
        }
        for (var l = 0; l < c.LayerCount; l++)
        {
            var n1 = ReferenceOps.RmsNorm(x, w[(TensorRole.AttentionNorm, l)], c.RmsNormEps);
            var q = ReferenceOps.Linear(w[(TensorRole.AttentionQuery, l)], c.QueryWidth, d, n1);
            var k = ReferenceOps.Linear(w[(TensorRole.AttentionKey, l)], c.KvWidth, d, n1);
            var v = ReferenceOps.Linear(w[(TensorRole.AttentionValue, l)], c.KvWidth, d, n1);
            var width = c.QueryWidth + 2 * c.KvWidth;
            var qkv = new double[n * width];
            for (var t = 0; t < n; t++)
            {
                Array.Copy(q, t * c.QueryWidth, qkv, t * width, c.QueryWidth);
                Array.Copy(k, t * c.KvWidth, qkv, t * width + c.QueryWidth, c.KvWidth);
                Array.Copy(v, t * c.KvWidth, qkv, t * width + c.QueryWidth + c.KvWidth, c.KvWidth);
            }
            qkv = ReferenceOps.Rope(qkv, width, c.QueryWidth + c.KvWidth, c.HeadDim, batch.Positions, c.RopeTheta);
            var attention = ReferenceOps.Attention(qkv, batch.Rows, batch.Length, c.HeadCount, c.KvHeadCount, c.HeadDim, batch.SegmentStarts);
            x = ReferenceOps.Add(x, ReferenceOps.Linear(w[(TensorRole.AttentionOutput, l)], d, c.QueryWidth, attention));

            var n2 = ReferenceOps.RmsNorm(x, w[(TensorRole.FeedForwardNorm, l)], c.RmsNormEps);
            var gate = ReferenceOps.Linear(w[(TensorRole.FeedForwardGate, l)], f, d, n2);
            var up = ReferenceOps.Linear(w[(TensorRole.FeedForwardUp, l)], f, d, n2);
            var gateUp = new double[n * 2 * f];
            for (var t = 0; t < n; t++)
            {
                Array.Copy(gate, t * f, gateUp, t * 2 * f, f);
                Array.Copy(up, t * f, gateUp, t * 2 * f + f, f);
            }
            x = ReferenceOps.Add(x, ReferenceOps.Linear(w[(TensorRole.FeedForwardDown, l)], d, f, ReferenceOps.SwiGlu(gateUp, f)));
        }
        var final = ReferenceOps.RmsNorm(x, w[(TensorRole.OutputNorm, -1)], c.RmsNormEps);
        return ReferenceOps.Linear(embedding, c.VocabSize, d, final);
    }

    public double Loss(Dictionary<(TensorRole, int), double[]> w, Batch batch)
        => ReferenceOps.CrossEntropy(Logits(w, batch), Config.VocabSize, batch.Targets, batch.Weights);

    public static Dictionary<(TensorRole, int), double[]> ToDouble(IEnumerable<(TensorRole Role, int Layer, float[] Values)> tensors)
        => tensors.ToDictionary(t => (t.Role, t.Layer), t => GradientCheck.ToDouble(t.Values));
}
