using AlignLab.Engine.Kernels;

namespace AlignLab.Engine.Training;

/// <summary>
/// The weighted mean cross-entropy of the next token, L = Σₜ wₜ·(logsumexp(zₜ) − zₜ[yₜ]) / Σₜ wₜ, and its
/// gradient dz = wₜ/Σw·(softmax(zₜ) − onehot(yₜ)) written over the logits. A weight of 0 (padding, a
/// prompt token in fine-tuning) drops a position from both.
/// </summary>
internal static unsafe class CrossEntropy
{
    /// <summary>
    /// Replaces <paramref name="logits"/> [n, V] by their gradient and returns the mean loss. Per-row losses
    /// go to <paramref name="rowLoss"/> [n] and are summed in row order, so the result does not depend on the thread count.
    /// </summary>
    public static double ForwardBackward(ParallelTeam team, Span<float> logits, int vocab, ReadOnlySpan<int> targets, ReadOnlySpan<float> weights, Span<float> rowLoss)
    {
        var n = targets.Length;
        var total = 0.0;
        for (var t = 0; t < n; t++)
        {
            total += weights[t];
        }
        if (total == 0)
        {
            logits[..(n * vocab)].Clear();
            return 0;
        }
        fixed (float* pl = logits, pw = weights, pr = rowLoss)
        fixed (int* pt = targets)
        {
            team.Run(new Work(pl, vocab, pt, pw, pr, n, (float)(1 / total)));
        }
        var sum = 0.0;
        for (var t = 0; t < n; t++)
        {
            sum += rowLoss[t];
        }
        return sum / total;
    }

    private readonly struct Work(float* logits, int vocab, int* targets, float* weights, float* rowLoss, int n, float inverseTotal) : IParallelWork
    {
        public void Execute(int index, int count)
        {
            var (first, end) = ParallelTeam.Share(n, index, count);
            for (var t = first; t < end; t++)
            {
                var row = new Span<float>(logits + (long)t * vocab, vocab);
                var w = weights[t];
                if (w == 0)
                {
                    row.Clear();
                    rowLoss[t] = 0;
                    continue;
                }
                var target = targets[t];
                rowLoss[t] = w * (Softmax.LogSumExp(row) - row[target]);
                Softmax.Apply(row);
                row[target] -= 1f;
                VectorOps.Scale(row, w * inverseTotal, row);
            }
        }
    }
}
