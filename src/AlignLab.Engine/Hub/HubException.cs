namespace AlignLab.Engine.Hub;

/// <summary>A hub download or cache problem, described in one line a user can act on.</summary>
public sealed class HubException : Exception
{
    public HubException(string message) : base(message) { }

    public HubException(string message, Exception inner) : base(message, inner) { }

    public HubException() : base("Hugging Face hub error") { }
}
