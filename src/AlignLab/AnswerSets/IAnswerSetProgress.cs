using AlignLab.Data;

namespace AlignLab.AnswerSets;

/// <summary>Hears how an answer-set run advances (a progress bar, log lines).</summary>
public interface IAnswerSetProgress
{
    /// <summary>The run starts: <paramref name="total"/> instructions, of which <paramref name="alreadyAnswered"/> were answered before.</summary>
    void Started(int total, int alreadyAnswered);

    /// <summary>One more instruction is done: answered, or skipped.</summary>
    void Advanced(RecordId id, bool skipped);
}
