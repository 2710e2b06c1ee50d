namespace AlignLab.Training;

/// <summary>What a training job left behind.</summary>
/// <param name="Folder">The run's files; the model is <see cref="RunFolder.Output"/>.</param>
/// <param name="Steps">Steps in the run.</param>
/// <param name="ResumedFrom">Steps already done when this invocation started (0 for a fresh run).</param>
/// <param name="FinalLoss">The last step's loss; null when the run was already finished.</param>
public sealed record TrainingOutcome(RunFolder Folder, int Steps, int ResumedFrom, double? FinalLoss);
