using System.Diagnostics;
using AlignLab.Engine.Formats;
using AlignLab.Engine.Training;

namespace AlignLab.Training;

/// <summary>When a run saves its checkpoint (besides at the end and on cancellation).</summary>
/// <param name="Interval">At most this long between saves.</param>
/// <param name="EverySteps">Also after every this many steps; null: by time only.</param>
public sealed record CheckpointPolicy(TimeSpan Interval, int? EverySteps = null)
{
    public static CheckpointPolicy Default { get; } = new(TimeSpan.FromSeconds(30));
}

/// <summary>
/// Runs a trainer to the end of its steps in a <see cref="RunFolder"/>: every step is logged to
/// loss.csv; the checkpoint (and loss.svg) is saved by the <see cref="CheckpointPolicy"/>, at the end,
/// and when cancelled. A run killed outright loses only the steps since its last checkpoint, and
/// rerunning continues from there with the same result as an uninterrupted run.
/// </summary>
internal static class TrainingLoop
{
    /// <summary>Trains to the end; returns the last logged loss (null when nothing was ever logged).</summary>
    public static double? Run(Trainer trainer, RunFolder folder, string title, ITrainingProgress progress, CheckpointPolicy policy, CancellationToken cancel)
    {
        using var log = LossLog.Open(folder.LossCsv, trainer.Step);
        progress.Started(trainer.Step, trainer.Options.Steps);
        var sinceSave = Stopwatch.StartNew();
        var compute = new Stopwatch();
        var (tokens, stepsHere) = (0L, 0);
        void Save()
        {
            trainer.Checkpoint().Save(folder.Checkpoint);
            AtomicFile.WriteAllText(folder.LossSvg, LossCurveSvg.Render(log.Points, title));
            sinceSave.Restart();
        }

        while (!trainer.IsFinished)
        {
            if (cancel.IsCancellationRequested)
            {
                Save();
                cancel.ThrowIfCancellationRequested();
            }
            compute.Start();
            var result = trainer.TrainStep();
            compute.Stop();
            log.Append(result);
            tokens += result.Tokens;
            stepsHere++;
            // Speed and time left from this session's compute time alone (saving is not training).
            var seconds = Math.Max(compute.Elapsed.TotalSeconds, 1e-9);
            progress.Stepped(result, tokens / seconds, compute.Elapsed / stepsHere * (trainer.Options.Steps - trainer.Step));
            if (sinceSave.Elapsed >= policy.Interval || (policy.EverySteps is { } every && trainer.Step % every == 0))
            {
                Save();
            }
        }
        Save();
        return log.Points.Count > 0 ? log.Points[^1].Loss : null;
    }
}
