namespace AlignLab.Engine.Tests.Training;

/// <summary>
/// The trainer's operations written plainly in double precision, independently of the engine's
/// kernels: the reference that finite differences are taken of.
/// </summary>
internal static class ReferenceOps
{
    /// <summary>y [n, out] = x [n, in]·Wᵀ with W [out, in].</summary>
    public static double[] Linear(double[] w, int outputs, int inputs, double[] x)
    {
        var n = x.Length / inputs;
        var y = new double[n * outputs];
        for (var t = 0; t < n; t++)
        {
            for (var o = 0; o < outputs; o++)
            {
                var sum = 0.0;
                for (var i = 0; i < inputs; i++)
                {
                    sum += w[o * inputs + i] * x[t * inputs + i];
                }
                y[t * outputs + o] = sum;
            }
        }
        return y;
    }

    public static double[] RmsNorm(double[] x, double[] w, double eps)
    {
        var d = w.Length;
        var y = new double[x.Length];
        for (var t = 0; t < x.Length / d; t++)
        {
            var sum = 0.0;
            for (var i = 0; i < d; i++)
            {
                sum += x[t * d + i] * x[t * d + i];
            }
            var r = 1 / Math.Sqrt(sum / d + eps);
            for (var i = 0; i < d; i++)
            {
                y[t * d + i] = x[t * d + i] * r * w[i];
            }
        }
        return y;
    }

    /// <summary>h [n, F] = silu(gate) ⊙ up from rows [gate | up] of width 2F.</summary>
    public static double[] SwiGlu(double[] gateUp, int f)
    {
        var n = gateUp.Length / (2 * f);
        var h = new double[n * f];
        for (var t = 0; t < n; t++)
        {
            for (var i = 0; i < f; i++)
            {
                var g = gateUp[t * 2 * f + i];
                h[t * f + i] = g / (1 + Math.Exp(-g)) * gateUp[t * 2 * f + f + i];
            }
        }
        return h;
    }

    /// <summary>
    /// RoPE on adjacent pairs (2i, 2i+1) of every head in the first <paramref name="rotated"/> values of each row:
    /// angle = position · θ^(−2i/hd).
    /// </summary>
    public static double[] Rope(double[] rows, int width, int rotated, int headDim, int[] positions, double theta)
    {
        var y = (double[])rows.Clone();
        for (var t = 0; t < positions.Length; t++)
        {
            for (var head = 0; head < rotated; head += headDim)
            {
                for (var i = 0; i < headDim / 2; i++)
                {
                    var angle = positions[t] * Math.Pow(theta, -2.0 * i / headDim);
                    var at = t * width + head + 2 * i;
                    var (a, b) = (rows[at], rows[at + 1]);
                    y[at] = a * Math.Cos(angle) - b * Math.Sin(angle);
                    y[at + 1] = a * Math.Sin(angle) + b * Math.Cos(angle);
                }
            }
        }
        return y;
    }

    /// <summary>
    /// Attention of packed rows: token i of a row sees tokens [segmentStarts[i], i] of its row; query head h
    /// reads key/value head h / (heads / kvHeads). qkv rows are [Q heads | K heads | V heads].
    /// </summary>
    public static double[] Attention(double[] qkv, int rows, int length, int heads, int kvHeads, int headDim, int[] segmentStarts)
    {
        var (qw, kw) = (heads * headDim, kvHeads * headDim);
        var width = qw + 2 * kw;
        var output = new double[rows * length * qw];
        var scale = 1 / Math.Sqrt(headDim);
        for (var b = 0; b < rows; b++)
        {
            for (var h = 0; h < heads; h++)
            {
                var g = h / (heads / kvHeads);
                for (var i = 0; i < length; i++)
                {
                    var qi = (b * length + i) * width + h * headDim;
                    var start = segmentStarts[b * length + i];
                    var scores = new double[i + 1 - start];
                    for (var j = start; j <= i; j++)
                    {
                        var kj = (b * length + j) * width + qw + g * headDim;
                        var dot = 0.0;
                        for (var e = 0; e < headDim; e++)
                        {
                            dot += qkv[qi + e] * qkv[kj + e];
                        }
                        scores[j - start] = dot * scale;
                    }
                    var max = scores.Max();
                    var total = scores.Sum(s => Math.Exp(s - max));
                    for (var j = start; j <= i; j++)
                    {
                        var p = Math.Exp(scores[j - start] - max) / total;
                        var vj = (b * length + j) * width + qw + kw + g * headDim;
                        for (var e = 0; e < headDim; e++)
                        {
                            output[(b * length + i) * qw + h * headDim + e] += p * qkv[vj + e];
                        }
                    }
                }
            }
        }
        return output;
    }

    /// <summary>Σₜ wₜ·(logsumexp(zₜ) − zₜ[yₜ]) / Σₜ wₜ.</summary>
    public static double CrossEntropy(double[] logits, int vocab, int[] targets, float[] weights)
    {
        var (sum, total) = (0.0, 0.0);
        for (var t = 0; t < targets.Length; t++)
        {
            if (weights[t] == 0)
            {
                continue;
            }
            var row = logits.AsSpan(t * vocab, vocab);
            var max = double.NegativeInfinity;
            foreach (var z in row)
            {
                max = Math.Max(max, z);
            }
            var lse = 0.0;
            foreach (var z in row)
            {
                lse += Math.Exp(z - max);
            }
            sum += weights[t] * (max + Math.Log(lse) - row[targets[t]]);
            total += weights[t];
        }
        return sum / total;
    }

    public static double[] Add(double[] a, double[] b) => [.. a.Zip(b, (x, y) => x + y)];
}
