namespace AlignLab.Training;

/// <summary>A training input file is malformed; the message names the file and the line.</summary>
public sealed class TrainingDataException : Exception
{
    public TrainingDataException(string message) : base(message) { }

    public TrainingDataException() : base("bad training data") { }

    public TrainingDataException(string message, Exception inner) : base(message, inner) { }

    public static TrainingDataException At(string file, long line, string problem)
        => new(line > 0 ? $"{file}:{line}: {problem}" : $"{file}: {problem}");
}
