namespace AlignLab.Training;

/// <summary>An instruction and the answer to fine-tune on.</summary>
public sealed record InstructionPair(string Instruction, string Output);

/// <summary>Fine-tuning data: a JSON Lines file of <c>{"instruction": ..., "output": ...}</c> records (other fields ignored).</summary>
public static class InstructionPairReader
{
    public static IReadOnlyList<InstructionPair> Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return JsonLinesReader.Read(path, record => new InstructionPair(JsonLinesReader.RequiredString(record, "instruction"), JsonLinesReader.RequiredString(record, "output")));
    }
}
