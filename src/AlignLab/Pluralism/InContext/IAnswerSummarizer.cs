namespace AlignLab.Pluralism.InContext;

/// <summary>Writes a short summary of an answer to a query (the "semantic hint" of the summary variants).</summary>
public interface IAnswerSummarizer
{
    /// <summary>Who summarizes, as cached summaries name it (a local model's file hash, a served model's reference).</summary>
    string Name { get; }

    /// <summary>SHA-256 of what the summarizer is asked (its prompt and token limit): part of a cached summary's key.</summary>
    string PromptSha256 { get; }

    string Summarize(string query, string answer, CancellationToken cancel = default);
}
