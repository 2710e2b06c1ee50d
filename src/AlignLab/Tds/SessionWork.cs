namespace AlignLab.Tds;

/// <summary>What one session did for one aligned model.</summary>
public sealed class SessionWork
{
    public int Examples { get; set; }

    public int Skipped { get; set; }

    public long AnswerTokens { get; set; }

    public PhaseTimes Times { get; set; } = new();
}
