namespace AlignLab.Cli.Commands;

/// <summary>What <c>alignlab bench</c> was asked to measure, validated.</summary>
internal sealed record BenchSettings(string Model, int PromptTokens, int GenTokens, int? Threads, int Runs, bool Json)
{
    /// <summary>The prompt before the timed greedy tokens of the decode figure.</summary>
    public const int DecodePromptTokens = 64;

    public static BenchSettings Create(string? model, int promptTokens, int genTokens, int? threads, int runs, bool json)
    {
        if (string.IsNullOrWhiteSpace(model))
        {
            throw new UsageException("bench: MODEL is required (a GGUF file or a model folder)");
        }
        if (promptTokens < 2)
        {
            throw new UsageException($"bench: --prompt-tokens must be at least 2, not {promptTokens}");
        }
        if (genTokens < 1)
        {
            throw new UsageException($"bench: --gen-tokens must be at least 1, not {genTokens}");
        }
        if (threads is < 1)
        {
            throw new UsageException($"bench: --threads must be at least 1, not {threads}");
        }
        if (runs < 1)
        {
            throw new UsageException($"bench: --runs must be at least 1, not {runs}");
        }
        return new BenchSettings(model, promptTokens, genTokens, threads, runs, json);
    }

    /// <summary>Positions the session must hold: the scored prompt, or the decode prompt and its tokens.</summary>
    public int ContextSize => Math.Max(PromptTokens, DecodePromptTokens + GenTokens);
}
