using AlignLab.Engine.Kernels;

namespace AlignLab.Engine.Training;

/// <summary>
/// Causal grouped-query attention over packed rows, forward and backward. A row of T tokens holds one
/// or more segments (documents); a token attends to the tokens of its own segment up to itself, so a
/// packed row trains exactly like its documents run one by one. Query head h reads key/value head
/// h / (H / K). Per row and head the scores, the output and every gradient are small dense products
/// on the engine's GEMM (each on one thread): S = Q·Kᵀ/√hd, P = softmax(S) (masked), O = P·V;
/// dP = dO·Vᵀ, dS = P ⊙ (dP − rowsum(P ⊙ dP)), dQ = dS·K/√hd, dK = dSᵀ·Q/√hd, dV = Pᵀ·dO.
/// The forward pass is split over (row, query head), the backward over (row, key/value head), which
/// then owns its dK and dV; the heads of a group are added in order.
/// </summary>
internal sealed class AttentionGrad
{
    private readonly int _rows, _length, _heads, _kvHeads, _headDim;
    private readonly float _scale;
    private readonly Scratch[] _scratch;

    /// <param name="rows">Rows (B) in a batch.</param>
    /// <param name="length">Tokens (T) per row.</param>
    public AttentionGrad(int rows, int length, int heads, int kvHeads, int headDim, int threads)
    {
        (_rows, _length, _heads, _kvHeads, _headDim) = (rows, length, heads, kvHeads, headDim);
        _scale = 1f / MathF.Sqrt(headDim);
        _scratch = [.. Enumerable.Range(0, threads).Select(_ => new Scratch(length, headDim))];
    }

    private int QueryWidth => _heads * _headDim;

    private int KvWidth => _kvHeads * _headDim;

    /// <summary>Width of a stacked QKV row.</summary>
    private int Width => QueryWidth + 2 * KvWidth;

    /// <summary>Floats of <c>probabilities</c>: [B, H, T, T].</summary>
    public static long ProbabilityLength(int rows, int length, int heads) => (long)rows * heads * length * length;

    /// <summary>
    /// output [B·T, H·hd] = attention of the rotated Q, K and V in <paramref name="qkv"/> [B·T, H·hd + 2·K·hd];
    /// <paramref name="probabilities"/> [B, H, T, T] keeps P for the backward pass (zero outside each segment).
    /// <paramref name="segmentStarts"/> [B·T] holds, for each token, the index in its row of its segment's first token.
    /// </summary>
    public void Forward(ParallelTeam team, float[] qkv, int[] segmentStarts, float[] probabilities, float[] output)
        => team.Run(new ForwardWork(this, qkv, segmentStarts, probabilities, output));

    /// <summary>
    /// Writes dQ, dK and dV (before the RoPE gradient) into <paramref name="dQkv"/> [B·T, H·hd + 2·K·hd] from
    /// <paramref name="dOutput"/> [B·T, H·hd] and the forward pass's Q, K, V and P.
    /// </summary>
    public void Backward(ParallelTeam team, float[] qkv, float[] probabilities, float[] dOutput, float[] dQkv)
        => team.Run(new BackwardWork(this, qkv, probabilities, dOutput, dQkv));

    private void ForwardUnit(int unit, Scratch s, float[] qkv, int[] segmentStarts, float[] probabilities, float[] output)
    {
        var (b, h) = (unit / _heads, unit % _heads);
        var g = h / (_heads / _kvHeads);
        var (t, d) = (_length, _headDim);
        Gather(qkv, b, h * d, Width, s.Q);
        Gather(qkv, b, QueryWidth + g * d, Width, s.K);
        Gather(qkv, b, QueryWidth + KvWidth + g * d, Width, s.V);
        var p = probabilities.AsSpan((int)((long)unit * t * t), t * t);
        Linear.Multiply(s.K, t, d, s.Q, p);                     // S[i, j] = q_i · k_j
        for (var i = 0; i < t; i++)
        {
            var row = p.Slice(i * t, t);
            var start = segmentStarts[b * t + i];
            row[..start].Clear();
            row[(i + 1)..].Clear();
            var seen = row[start..(i + 1)];
            VectorOps.Scale(seen, _scale, seen);
            Softmax.Apply(seen);
        }
        Transposes.Transpose(s.V, t, d, s.Vt);
        Linear.Multiply(s.Vt, d, t, p, s.O);                    // O[i, :] = Σ_j P[i, j] v_j
        Scatter(s.O, output, b, h * d, QueryWidth);
    }

    private void BackwardUnit(int unit, Scratch s, float[] qkv, float[] probabilities, float[] dOutput, float[] dQkv)
    {
        var (b, g) = (unit / _kvHeads, unit % _kvHeads);
        var group = _heads / _kvHeads;
        var (t, d) = (_length, _headDim);
        Gather(qkv, b, QueryWidth + g * d, Width, s.K);
        Gather(qkv, b, QueryWidth + KvWidth + g * d, Width, s.V);
        Transposes.Transpose(s.K, t, d, s.Kt);
        s.DK.AsSpan().Clear();
        s.DV.AsSpan().Clear();
        for (var h = g * group; h < (g + 1) * group; h++)
        {
            var p = probabilities.AsSpan((int)(((long)b * _heads + h) * t * t), t * t);
            Gather(qkv, b, h * d, Width, s.Q);
            Gather(dOutput, b, h * d, QueryWidth, s.DO);
            Linear.Multiply(s.V, t, d, s.DO, s.DP);             // dP[i, j] = dO_i · v_j
            for (var i = 0; i < t; i++)
            {
                var pi = p.Slice(i * t, t);
                var dpi = s.DP.AsSpan(i * t, t);
                var rowSum = VectorOps.Dot(pi, dpi);
                for (var j = 0; j < t; j++)
                {
                    dpi[j] = pi[j] * (dpi[j] - rowSum) * _scale;  // dS, with the score scale folded in
                }
            }
            Linear.Multiply(s.Kt, d, t, s.DP, s.O);             // dQ[i, :] = Σ_j dS[i, j] k_j
            Scatter(s.O, dQkv, b, h * d, Width);
            Transposes.Transpose(s.DP, t, t, s.Square);
            Transposes.Transpose(s.Q, t, d, s.Qt);
            Linear.Multiply(s.Qt, d, t, s.Square, s.O);         // dK[j, :] += Σ_i dS[i, j] q_i
            VectorOps.Add(s.DK, s.O, s.DK);
            Transposes.Transpose(p, t, t, s.Square);
            Transposes.Transpose(s.DO, t, d, s.Qt);
            Linear.Multiply(s.Qt, d, t, s.Square, s.O);         // dV[j, :] += Σ_i P[i, j] dO_i
            VectorOps.Add(s.DV, s.O, s.DV);
        }
        Scatter(s.DK, dQkv, b, QueryWidth + g * d, Width);
        Scatter(s.DV, dQkv, b, QueryWidth + KvWidth + g * d, Width);
    }

    /// <summary>head [T, hd] = the hd values at <paramref name="offset"/> of each token of row b of <paramref name="source"/> [B·T, width].</summary>
    private void Gather(float[] source, int b, int offset, int width, float[] head)
    {
        for (var i = 0; i < _length; i++)
        {
            source.AsSpan((b * _length + i) * width + offset, _headDim).CopyTo(head.AsSpan(i * _headDim, _headDim));
        }
    }

    private void Scatter(float[] head, float[] destination, int b, int offset, int width)
    {
        for (var i = 0; i < _length; i++)
        {
            head.AsSpan(i * _headDim, _headDim).CopyTo(destination.AsSpan((b * _length + i) * width + offset, _headDim));
        }
    }

    /// <summary>One thread's buffers: heads [T, hd] and their transposes [hd, T], and two [T, T] squares.</summary>
    private sealed class Scratch(int t, int d)
    {
        public readonly float[] Q = new float[t * d], K = new float[t * d], V = new float[t * d], DO = new float[t * d], O = new float[t * d];
        public readonly float[] DK = new float[t * d], DV = new float[t * d];
        public readonly float[] Qt = new float[d * t], Kt = new float[d * t], Vt = new float[d * t];
        public readonly float[] DP = new float[t * t], Square = new float[t * t];
    }

    private readonly struct ForwardWork(AttentionGrad a, float[] qkv, int[] segmentStarts, float[] probabilities, float[] output) : IParallelWork
    {
        public void Execute(int index, int count)
        {
            var (first, end) = ParallelTeam.Share(a._rows * a._heads, index, count);
            for (var unit = first; unit < end; unit++)
            {
                a.ForwardUnit(unit, a._scratch[index], qkv, segmentStarts, probabilities, output);
            }
        }
    }

    private readonly struct BackwardWork(AttentionGrad a, float[] qkv, float[] probabilities, float[] dOutput, float[] dQkv) : IParallelWork
    {
        public void Execute(int index, int count)
        {
            var (first, end) = ParallelTeam.Share(a._rows * a._kvHeads, index, count);
            for (var unit = first; unit < end; unit++)
            {
                a.BackwardUnit(unit, a._scratch[index], qkv, probabilities, dOutput, dQkv);
            }
        }
    }
}
