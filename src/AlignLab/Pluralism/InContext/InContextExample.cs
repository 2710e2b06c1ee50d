namespace AlignLab.Pluralism.InContext;

/// <summary>One example shown to the base model: a query and the answer shown for it.</summary>
public sealed record InContextExample(string Query, string Answer);
