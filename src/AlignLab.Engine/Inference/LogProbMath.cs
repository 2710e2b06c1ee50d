namespace AlignLab.Engine.Inference;

/// <summary>
/// Statistics of a log-probability row [vocab]. Log-softmax and entropy run on the vector kernels
/// (<see cref="Kernels.Softmax"/>: float sums across vector lanes, within about 1e-6 relative of a double sum);
/// KL divergence is accumulated in double.
/// </summary>
public static class LogProbMath
{
    /// <summary>In place: logits → log-softmax, <c>x − (max + log Σ exp(x − max))</c>.</summary>
    public static void LogSoftmax(Span<float> logits) => Kernels.Softmax.Log(logits, logits);

    /// <summary>H(p) = −Σ p log p, in nats.</summary>
    public static double Entropy(ReadOnlySpan<float> logProbs) => Kernels.Softmax.Entropy(logProbs);

    /// <summary>KL(p ‖ q) = Σ p (log p − log q), in nats, for two rows over the same vocabulary.</summary>
    public static double KlDivergence(ReadOnlySpan<float> p, ReadOnlySpan<float> q)
    {
        if (p.Length != q.Length)
        {
            throw new ArgumentException($"rows of {p.Length} and {q.Length} tokens", nameof(q));
        }
        var kl = 0.0;
        for (var i = 0; i < p.Length; i++)
        {
            if (p[i] > float.NegativeInfinity)
            {
                kl += Math.Exp(p[i]) * ((double)p[i] - q[i]);
            }
        }
        return kl;
    }

    /// <summary>1 + the number of ids whose log-probability is strictly higher than <paramref name="token"/>'s.</summary>
    public static int Rank(ReadOnlySpan<float> logProbs, int token)
    {
        var value = logProbs[token];
        var higher = 0;
        foreach (var v in logProbs)
        {
            if (v > value)
            {
                higher++;
            }
        }
        return higher + 1;
    }

    /// <summary>The ids.Length largest entries, largest first; equal values in id order.</summary>
    public static void TopK(ReadOnlySpan<float> values, Span<int> ids, Span<float> top)
    {
        var k = Math.Min(ids.Length, values.Length);
        if (k == 0)
        {
            return;
        }
        var filled = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var v = values[i];
            if (filled == k && !(v > top[k - 1]))
            {
                continue;
            }
            // Insertion into the sorted prefix; a later equal value goes after the earlier one.
            var at = filled < k ? filled : k - 1;
            while (at > 0 && v > top[at - 1])
            {
                top[at] = top[at - 1];
                ids[at] = ids[at - 1];
                at--;
            }
            top[at] = v;
            ids[at] = i;
            filled = Math.Min(filled + 1, k);
        }
    }
}
