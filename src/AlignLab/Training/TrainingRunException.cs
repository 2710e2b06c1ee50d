namespace AlignLab.Training;

/// <summary>A training run cannot start or continue as asked (its folder holds another run, say).</summary>
public sealed class TrainingRunException : Exception
{
    public TrainingRunException(string message) : base(message) { }

    public TrainingRunException() : base("the training run cannot continue") { }

    public TrainingRunException(string message, Exception inner) : base(message, inner) { }
}
