using AlignLab.Engine.Training;

namespace AlignLab.Training;

/// <summary>What a training job reports as it goes; the CLI shows it as a progress bar or plain lines.</summary>
public interface ITrainingProgress
{
    /// <summary>A step outside the training loop began ("training the tokenizer", "exporting").</summary>
    void Stage(string message);

    /// <summary>The loop starts with <paramref name="completedSteps"/> of <paramref name="totalSteps"/> already done (a resumed run).</summary>
    void Started(int completedSteps, int totalSteps);

    /// <summary>A step finished; <paramref name="tokensPerSecond"/> counts non-padding tokens since the loop (re)started.</summary>
    void Stepped(TrainingStepResult step, double tokensPerSecond, TimeSpan? remaining);
}
