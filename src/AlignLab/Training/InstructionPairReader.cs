namespace AlignLab.Training;

/// <summary>An instruction and the answer to fine-tune on.</summary>
public sealed record InstructionPair(string Instruction, string Output);

/// <summary>Fine-tuning data: JSON Lines (or a JSON array) of <c>{"instruction": ..., "output": ...}</c> records (other fields ignored).</summary>
public static class InstructionPairReader
{
    public static IReadOnlyList<InstructionPair> Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return TrainingRecords.Read(path, record => new InstructionPair(TrainingRecords.Text(record, "instruction"), TrainingRecords.Text(record, "output")));
    }
}
