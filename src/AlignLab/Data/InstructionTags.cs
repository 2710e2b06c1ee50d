namespace AlignLab.Data;

/// <summary>Just-Eval's tags of one instruction (tags_list.json): task types, topics, difficulty; and the source dataset when the file gives one.</summary>
public sealed record InstructionTags(IReadOnlyList<string> TaskTypes, IReadOnlyList<string> Topics, string? Difficulty)
{
    /// <summary>The data set the instruction was taken from (Just-Eval's "dataset": "lima", "koala", ...), when the tags file has it.</summary>
    public string? Dataset { get; init; }
}
