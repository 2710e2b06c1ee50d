namespace AlignLab.Reports;

/// <summary>One of a model's top candidates at a position: token id and probability.</summary>
internal readonly record struct Candidate(int Id, double Prob);

/// <summary>One answer position of positions.jsonl, as much of it as the report shows.</summary>
internal sealed record TokenRecord(
    int Id,
    string Text,
    TokenClass Class,
    long BaseRank,
    double BaseLogProb,
    double AlignedLogProb,
    double? Kl,
    double? KlReverse,
    Candidate[] AlignedTop,
    Candidate[] BaseTop);

/// <summary>A tag of an example: its kind ("topics") and value ("math").</summary>
internal readonly record struct Tag(string Kind, string Value);

/// <summary>One line of positions.jsonl: an instruction, its answer's positions, and what describes it.</summary>
internal sealed record ExampleRecord(string Id, string Instruction, string? Category, IReadOnlyList<Tag> Tags, IReadOnlyList<TokenRecord> Tokens);
