namespace AlignLab.Backends.Remote;

/// <summary>
/// A model server failed or answered something unusable: the message names the URL, and for a malformed answer
/// the field. <see cref="Status"/> is the HTTP status when the server answered with an error.
/// </summary>
public sealed class RemoteModelException : Exception
{
    public RemoteModelException(string message, int? status = null) : base(message) => Status = status;

    public RemoteModelException() : base("the model server failed") { }

    public RemoteModelException(string message) : base(message) { }

    public RemoteModelException(string message, Exception inner) : base(message, inner) { }

    public int? Status { get; }
}
