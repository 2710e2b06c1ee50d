using System.Text.Json.Nodes;
using AlignLab.JustEval;

namespace AlignLab.Pluralism.Coverage;

/// <summary>
/// How the judge answered one <see cref="CoverageItem"/>: the normalised result (see <see cref="CoverageReplyParser"/>)
/// when judged, why it failed, or pending (the request cap was reached); its raw replies and what the requests used.
/// </summary>
public sealed record CoverageVerdict
{
    public required JudgmentOutcome Outcome { get; init; }

    public JsonObject? Result { get; init; }

    public string? Failure { get; init; }

    public IReadOnlyList<string> Replies { get; init; } = [];

    public TokenUsage Usage { get; init; }
}
