namespace AlignLab.Tests.Support;

/// <summary>Deterministic made-up TDS examples of any size, shaped like real ones (mostly unshifted, top-k lists, some newlines).</summary>
internal static class SyntheticExamples
{
    public const int Vocabulary = 32_000;

    /// <summary>The text the made-up vocabulary gives token <paramref name="id"/>.</summary>
    public static string TextOf(int id) => (id % 50) switch
    {
        0 => "\n",
        1 => "\n\n",
        2 => ".",
        _ => " w" + id,
    };

    public static List<FakeExample> Create(int count, int tokensPerExample, int seed = 1, int topK = 10, int instructionLength = 300)
    {
        var random = new Random(seed);
        var examples = new List<FakeExample>(count);
        for (var e = 0; e < count; e++)
        {
            var tokens = new FakeToken[tokensPerExample];
            for (var p = 0; p < tokensPerExample; p++)
            {
                tokens[p] = Token(random, topK);
            }
            var instruction = "Instruction " + e + ": " + new string('x', Math.Max(0, instructionLength - 20));
            examples.Add(new FakeExample(e % 2 == 0 ? e : "ex-" + e, instruction, e % 5 == 0 ? "safety" : "regular", tokens,
                [("task_types", e % 3 == 0 ? "math" : "writing"), ("difficulty", e % 2 == 0 ? "easy" : "hard")]));
        }
        return examples;
    }

    private static FakeToken Token(Random random, int topK)
    {
        var id = random.Next(Vocabulary);
        var roll = random.NextDouble();
        var rank = roll < 0.77 ? 1 : roll < 0.92 ? random.Next(2, 4) : random.Next(4, 5000);
        var alignedProb = 0.2 + (0.79 * random.NextDouble());
        var baseLogProb = rank == 1 ? Math.Log(0.3 + (0.6 * random.NextDouble())) : -1 - (rank / 100.0) - (5 * random.NextDouble());
        var aligned = Top(random, id, alignedProb, 1, topK);
        var baseTop = Top(random, id, Math.Exp(baseLogProb), rank, topK);
        var kl = random.NextDouble() * 2;
        // Six digits keep the input files (and the tests that read them) small; the report keeps about four.
        return new FakeToken(id, TextOf(id), rank == 1 ? "unshifted" : rank <= 3 ? "marginal" : "shifted", rank,
            Math.Round(baseLogProb, 6), Math.Round(Math.Log(alignedProb), 6), Math.Round(kl, 6), Math.Round(kl * 1.1, 6), aligned, baseTop);
    }

    /// <summary>A descending top-k list that holds <paramref name="id"/> at <paramref name="rank"/> when the rank is within k.</summary>
    private static (int, double)[] Top(Random random, int id, double prob, int rank, int k)
    {
        var top = new (int, double)[k];
        var remaining = 1.0;
        for (var i = 0; i < k; i++)
        {
            var p = i + 1 == rank ? prob : remaining * 0.5 * random.NextDouble();
            remaining = Math.Max(0, remaining - p);
            top[i] = (i + 1 == rank ? id : (id + 1 + i) % Vocabulary, Math.Round(p, 6));
        }
        // Descending by construction is not guaranteed for the filler entries; the pipeline sorts, so do we.
        return [.. top.OrderByDescending(t => t.Item2)];
    }
}
