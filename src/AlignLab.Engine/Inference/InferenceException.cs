namespace AlignLab.Engine.Inference;

/// <summary>
/// The model could not compute a result for valid-looking input: a NaN or infinity appeared in the
/// activations (the message names the layer and the position). The message is one line.
/// Bad arguments (token ids out of range, sequences past the context) are <see cref="ArgumentException"/>s.
/// </summary>
public sealed class InferenceException : Exception
{
    public InferenceException(string message) : base(message) { }

    public InferenceException(string message, Exception inner) : base(message, inner) { }

    public InferenceException() : base("inference failed") { }
}
