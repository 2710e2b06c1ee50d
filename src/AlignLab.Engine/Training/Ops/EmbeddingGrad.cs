namespace AlignLab.Engine.Training;

/// <summary>Token embedding lookup and its gradient, a scatter-add into the rows of the used tokens.</summary>
internal static unsafe class EmbeddingGrad
{
    /// <summary>x [n, D] = the embedding rows of <paramref name="tokens"/>.</summary>
    public static void Forward(ReadOnlySpan<float> embedding, int d, ReadOnlySpan<int> tokens, Span<float> x)
    {
        for (var t = 0; t < tokens.Length; t++)
        {
            embedding.Slice(tokens[t] * d, d).CopyTo(x.Slice(t * d, d));
        }
    }

    /// <summary>
    /// dEmbedding[tokens[t]] += dx[t] for every t. The vocabulary is split over the threads, and each thread
    /// adds the rows of its tokens in position order, so repeated tokens always sum in the same order.
    /// </summary>
    public static void Backward(ParallelTeam team, ReadOnlySpan<int> tokens, ReadOnlySpan<float> dx, int d, Span<float> dEmbedding)
    {
        fixed (int* pt = tokens)
        fixed (float* pdx = dx, pde = dEmbedding)
        {
            team.Run(new Work(pt, tokens.Length, pdx, d, pde, dEmbedding.Length / d));
        }
    }

    private readonly struct Work(int* tokens, int n, float* dx, int d, float* dEmbedding, int vocab) : IParallelWork
    {
        public void Execute(int index, int count)
        {
            var (first, end) = ParallelTeam.Share(vocab, index, count);
            for (var t = 0; t < n; t++)
            {
                var token = tokens[t];
                if (token < first || token >= end)
                {
                    continue;
                }
                var row = dEmbedding + (long)token * d;
                var grad = dx + (long)t * d;
                for (var i = 0; i < d; i++)
                {
                    row[i] += grad[i];
                }
            }
        }
    }
}
