using System.Globalization;

namespace AlignLab.Backends.Remote;

/// <summary>
/// Teacher-forced scores out of a completions answer for a prompt of token ids: vLLM's prompt_logprobs (exact
/// ranks), or the OpenAI-style echo + logprobs fallback (ranks known only within the returned top list).
/// Position p's statistics come from the answer's entry p + 1, the distribution of prompt token p + 1.
/// </summary>
internal static class ScoreReader
{
    /// <summary>
    /// vLLM's <c>choices[0].prompt_logprobs</c>: one entry per prompt token, the first null, each other a map from
    /// token id to {"logprob", "rank", "decoded_token"} holding the top-k and the actual token.
    /// </summary>
    public static RemoteTokenScores FromPromptLogprobs(ResponseJson list, IReadOnlyList<int> tokens, int start, int topK)
    {
        if (list.Length != tokens.Count)
        {
            throw list.Invalid(string.Create(CultureInfo.InvariantCulture, $"one entry per prompt token ({tokens.Count}), not {list.Length}"));
        }
        var scores = new Builder(tokens, start);
        for (var p = start; p < tokens.Count - 1; p++)
        {
            var entry = list[p + 1];
            var candidates = new List<(int Id, float LogProb)>();
            int? nextRank = null;
            float? nextLogProb = null;
            foreach (var (name, value) in entry.Fields())
            {
                if (!int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                {
                    throw value.Invalid("an entry keyed by a token id");
                }
                var logProb = value["logprob"].LogProb();
                candidates.Add((id, logProb));
                if (id == tokens[p + 1])
                {
                    nextLogProb = logProb;
                    nextRank = value["rank"].IsNull ? null : value["rank"].Int();
                    if (nextRank < 1)
                    {
                        throw value["rank"].Invalid("a rank ≥ 1");
                    }
                }
            }
            if (nextLogProb is not float next)
            {
                throw entry.Invalid(string.Create(CultureInfo.InvariantCulture, $"a map that holds the prompt token {tokens[p + 1]}"));
            }
            // A server that gives no rank: the place among what it returned.
            scores.Set(p, candidates, topK, next, nextRank ?? candidates.Count(c => c.LogProb > next) + 1);
        }
        return scores.Build();
    }

    /// <summary>
    /// OpenAI's echo + logprobs: <c>choices[0].logprobs</c> with tokens, token_logprobs (first null) and
    /// top_logprobs (first null; maps from token text, or "token_id:N", to log-probability) covering the prompt
    /// first. A top-list label names an id when it is "token_id:N" or <paramref name="labelId"/> knows it; the
    /// actual token's rank is its place among the returned alternatives, or one past them when it is not there
    /// (a lower bound).
    /// </summary>
    public static RemoteTokenScores FromEcho(ResponseJson logprobs, IReadOnlyList<int> tokens, int start, int topK, Func<string, int?> labelId)
    {
        var labels = logprobs["tokens"];
        var values = logprobs["token_logprobs"];
        var tops = logprobs["top_logprobs"];
        foreach (var list in new[] { labels, values, tops })
        {
            if (list.Length < tokens.Count)
            {
                throw list.Invalid(string.Create(CultureInfo.InvariantCulture, $"at least one entry per prompt token ({tokens.Count})"));
            }
        }
        var scores = new Builder(tokens, start);
        for (var p = start; p < tokens.Count - 1; p++)
        {
            var i = p + 1;
            var label = labels[i].String();
            if (TokenIdLabel(label) is int labelled && labelled != tokens[i])
            {
                throw labels[i].Invalid(string.Create(CultureInfo.InvariantCulture, $"the prompt token {tokens[i]} (the echo does not match the prompt)"));
            }
            var logProb = values[i].LogProb();
            var candidates = new List<(int Id, float LogProb)>();
            foreach (var (name, value) in tops[i].Fields())
            {
                if ((TokenIdLabel(name) ?? labelId(name)) is int id)
                {
                    candidates.Add((id, value.LogProb()));
                }
            }
            // Not among the returned alternatives: one past them, a lower bound of the rank.
            var rank = candidates.Exists(c => c.Id == tokens[i]) ? candidates.Count(c => c.LogProb > logProb) + 1 : candidates.Count + 1;
            scores.Set(p, candidates, topK, logProb, rank);
        }
        return scores.Build();
    }

    /// <summary>N of vLLM's "token_id:N" (return_tokens_as_token_ids); null for any other label.</summary>
    public static int? TokenIdLabel(string label)
        => label.StartsWith("token_id:", StringComparison.Ordinal)
           && int.TryParse(label.AsSpan("token_id:".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : null;

    /// <summary>Collects positions start … count − 2 and makes the scores.</summary>
    private sealed class Builder(IReadOnlyList<int> tokens, int start)
    {
        private readonly int[][] _topIds = new int[tokens.Count - 1 - start][];
        private readonly float[][] _topLogProbs = new float[tokens.Count - 1 - start][];
        private readonly float[] _nextLogProbs = new float[tokens.Count - 1 - start];
        private readonly int[] _nextRanks = new int[tokens.Count - 1 - start];

        /// <summary>The top list: the candidates most likely first, ties to the lower id (the engine's order), at most <paramref name="topK"/>.</summary>
        public void Set(int position, List<(int Id, float LogProb)> candidates, int topK, float nextLogProb, int nextRank)
        {
            var top = candidates.OrderByDescending(c => c.LogProb).ThenBy(c => c.Id).Take(topK).ToArray();
            var i = position - start;
            _topIds[i] = [.. top.Select(c => c.Id)];
            _topLogProbs[i] = [.. top.Select(c => c.LogProb)];
            _nextLogProbs[i] = nextLogProb;
            _nextRanks[i] = nextRank;
        }

        public RemoteTokenScores Build() => new(tokens, start, _topIds, _topLogProbs, _nextLogProbs, _nextRanks);
    }
}
