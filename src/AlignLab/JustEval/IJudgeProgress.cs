using AlignLab.Data;

namespace AlignLab.JustEval;

/// <summary>Hears how a judge run advances. Called from several threads at once: implementations must be thread-safe.</summary>
public interface IJudgeProgress
{
    /// <summary>The run starts: <paramref name="total"/> answers, of which <paramref name="cached"/> were judged before.</summary>
    void Started(int total, int cached);

    /// <summary>One answer is done (judged, failed, or left pending by the request cap).</summary>
    void Advanced(RecordId id, JudgmentOutcome outcome);
}
