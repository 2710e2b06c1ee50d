using System.Globalization;

namespace AlignLab.Engine.Generation;

/// <summary>
/// Chooses the next token from a row of logits as <see cref="SamplingOptions"/> says. Its buffers are
/// sized to the vocabulary and allocated once, so a step allocates nothing. No step sorts the whole
/// vocabulary: top-k is a linear-time selection of k keys (then only those k are sorted); top-p / min-p
/// gather only the tokens above a probability threshold (lowered until they hold the nucleus), and the
/// nucleus is found among them by a selection on cumulative mass. Not thread-safe: one sampler per sequence.
/// </summary>
public sealed class Sampler
{
    /// <summary>First threshold (relative to the most likely token's probability) for gathering top-p candidates.</summary>
    private const double FirstThreshold = 1e-4;

    private readonly float[] _work;      // [V] the logits after the repetition penalty
    private readonly double[] _weights;  // [V] exp((work − max) / T): probabilities times a constant
    private readonly ulong[] _keys;      // [V] SamplingMath.OrderKey of the candidates; the first _count are the kept set, in a fixed order (sorted after top-k)
    private readonly int[] _seen;        // [V] the stamp of the last window each token was penalised in
    private readonly SamplingRandom _random;
    private int _stamp;
    private int _count;                  // kept candidates in _keys, or −1: every token, in id order
    private double _mass;                // Σ of the kept candidates' weights

    public Sampler(int vocabSize, SamplingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(vocabSize);
        options.Validate();
        VocabSize = vocabSize;
        Options = options;
        _work = new float[vocabSize];
        _weights = new double[vocabSize];
        _keys = new ulong[vocabSize];
        _seen = new int[vocabSize];
        _random = new SamplingRandom(options.Seed);
    }

    public int VocabSize { get; }

    public SamplingOptions Options { get; }

    /// <summary>
    /// The next token after <paramref name="history"/> (the sequence so far, prompt included, which the
    /// repetition penalty reads), given the <paramref name="logits"/> that follow it.
    /// </summary>
    public int Sample(ReadOnlySpan<float> logits, ReadOnlySpan<int> history)
    {
        Prepare(logits, history);
        return Draw();
    }

    /// <summary>
    /// The set the next draw would be made from, most likely first (ties: lower id first), with each
    /// token's probability within the set. For inspection and tests: it allocates, and it does not draw.
    /// </summary>
    public IReadOnlyList<(int Id, double Probability)> Candidates(ReadOnlySpan<float> logits, ReadOnlySpan<int> history)
    {
        Prepare(logits, history);
        var result = new List<(int, double)>();
        if (_count < 0)
        {
            var ids = Enumerable.Range(0, VocabSize).OrderBy(i => SamplingMath.OrderKey(_work[i], i));
            result.AddRange(ids.Select(i => (i, _weights[i] / _mass)));
        }
        else
        {
            foreach (var key in _keys.AsSpan(0, _count).ToArray().Order())
            {
                var id = SamplingMath.IdOf(key);
                result.Add((id, _weights[id] / _mass));
            }
        }
        return result;
    }

    /// <summary>
    /// Applies the repetition penalty in place: each distinct token among the last
    /// <see cref="SamplingOptions.RepetitionWindow"/> of <paramref name="history"/> (all of it when 0) once,
    /// a positive logit divided by the penalty and a negative one multiplied.
    /// </summary>
    public void PenalizeRepetitions(Span<float> logits, ReadOnlySpan<int> history)
    {
        var penalty = Options.RepetitionPenalty;
        if (penalty == 1 || history.IsEmpty)
        {
            return;
        }
        if (Options.RepetitionWindow > 0 && history.Length > Options.RepetitionWindow)
        {
            history = history[^Options.RepetitionWindow..];
        }
        if (++_stamp == int.MaxValue)
        {
            Array.Clear(_seen);
            _stamp = 1;
        }
        foreach (var token in history)
        {
            if ((uint)token < (uint)logits.Length && _seen[token] != _stamp)
            {
                _seen[token] = _stamp;
                var v = logits[token];
                logits[token] = v > 0 ? (float)(v / penalty) : (float)(v * penalty);
            }
        }
    }

    /// <summary>Computes the kept set into _keys[.._count] (or every token, _count = −1) and its mass.</summary>
    private void Prepare(ReadOnlySpan<float> logits, ReadOnlySpan<int> history)
    {
        if (logits.Length != VocabSize)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{logits.Length} logits for a sampler of {VocabSize} tokens"), nameof(logits));
        }
        var o = Options;
        var work = _work.AsSpan();
        logits.CopyTo(work);
        PenalizeRepetitions(work, history);

        if (o.IsGreedy)
        {
            var best = 0;
            for (var i = 1; i < work.Length; i++)
            {
                if (work[i] > work[best])
                {
                    best = i;
                }
            }
            _keys[0] = SamplingMath.OrderKey(work[best], best);
            _weights[best] = 1;
            (_count, _mass) = (1, 1);
            return;
        }

        var max = float.NegativeInfinity;
        foreach (var v in work)
        {
            max = Math.Max(max, v);
        }
        var total = SamplingMath.Weights(work, max, o.Temperature, _weights);

        if (o.TopK > 0 && o.TopK < VocabSize)
        {
            KeepTopKThenFilter();
        }
        else if (o.TopP < 1 || o.MinP > 0)
        {
            KeepNucleus(total);
        }
        else
        {
            (_count, _mass) = (-1, total);
            return;
        }
        _mass = 0;
        for (var j = 0; j < _count; j++)
        {
            _mass += _weights[SamplingMath.IdOf(_keys[j])];
        }
    }

    /// <summary>Top-k by linear selection, the k sorted, then top-p over their mass and min-p, each a prefix.</summary>
    private void KeepTopKThenFilter()
    {
        var o = Options;
        var work = _work.AsSpan();
        for (var i = 0; i < work.Length; i++)
        {
            _keys[i] = SamplingMath.OrderKey(work[i], i);
        }
        SamplingMath.SelectSmallest(_keys, o.TopK);
        _keys.AsSpan(0, o.TopK).Sort();
        _count = o.TopK;
        if (o.TopP < 1)
        {
            var kept = 0.0;
            for (var j = 0; j < _count; j++)
            {
                kept += _weights[SamplingMath.IdOf(_keys[j])];
            }
            var cumulative = 0.0;
            for (var j = 0; j < _count; j++)
            {
                cumulative += _weights[SamplingMath.IdOf(_keys[j])];
                if (cumulative >= o.TopP * kept)
                {
                    _count = j + 1;
                    break;
                }
            }
        }
        if (o.MinP > 0)
        {
            // Weights are relative to the most likely token, which is first and always kept.
            for (var j = 1; j < _count; j++)
            {
                if (_weights[SamplingMath.IdOf(_keys[j])] < o.MinP)
                {
                    _count = j;
                    break;
                }
            }
        }
    }

    /// <summary>
    /// Without top-k: gather the tokens with weight ≥ a threshold (the most likely has weight 1). With min-p
    /// the threshold is min-p, and what it gathers is min-p's set, which holds the answer; for top-p alone
    /// it starts at 1e-4 and falls until the gathered tokens (a prefix of the order) hold the nucleus mass.
    /// Then the nucleus is selected from them, not sorted.
    /// </summary>
    private void KeepNucleus(double total)
    {
        var o = Options;
        var threshold = o.MinP > 0 ? o.MinP : FirstThreshold;
        while (true)
        {
            var (n, gathered) = (0, 0.0);
            for (var i = 0; i < _weights.Length; i++)
            {
                if (_weights[i] >= threshold)
                {
                    _keys[n++] = SamplingMath.OrderKey(_work[i], i);
                    gathered += _weights[i];
                }
            }
            _count = n;
            if (o.TopP >= 1 || o.MinP > 0 || gathered >= o.TopP * total || threshold == 0)
            {
                break;
            }
            threshold = threshold > 1e-200 ? threshold * FirstThreshold : 0;
        }
        if (o.TopP < 1)
        {
            _count = SamplingMath.SelectNucleus(_keys.AsSpan(0, _count), _weights, o.TopP * total);
        }
    }

    /// <summary>A draw from the kept set in proportion to the weights, accumulated in the same order as the mass.</summary>
    private int Draw()
    {
        if (_count == 1)
        {
            return SamplingMath.IdOf(_keys[0]);
        }
        var target = _random.NextDouble() * _mass;
        var cumulative = 0.0;
        var last = 0;
        if (_count < 0)
        {
            for (var i = 0; i < _weights.Length; i++)
            {
                if (_weights[i] > 0)
                {
                    cumulative += _weights[i];
                    last = i;
                    if (cumulative > target)
                    {
                        return i;
                    }
                }
            }
            return last;
        }
        for (var j = 0; j < _count; j++)
        {
            last = SamplingMath.IdOf(_keys[j]);
            cumulative += _weights[last];
            if (cumulative > target)
            {
                return last;
            }
        }
        return last;
    }
}
