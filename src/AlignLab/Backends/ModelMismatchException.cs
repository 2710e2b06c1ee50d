namespace AlignLab.Backends;

/// <summary>Two models disagree on something they must share (the vocabulary).</summary>
public sealed class ModelMismatchException : Exception
{
    public ModelMismatchException(string message) : base(message) { }

    public ModelMismatchException() : base("the models do not match") { }

    public ModelMismatchException(string message, Exception inner) : base(message, inner) { }
}
