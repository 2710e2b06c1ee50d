namespace AlignLab.Data;

/// <summary>Just-Eval's tags of one instruction (tags_list.json): task types, topics, difficulty.</summary>
public sealed record InstructionTags(IReadOnlyList<string> TaskTypes, IReadOnlyList<string> Topics, string? Difficulty);
