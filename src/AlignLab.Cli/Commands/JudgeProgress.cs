using System.Globalization;
using AlignLab.Data;
using AlignLab.JustEval;
using Spectre.Console;

namespace AlignLab.Cli.Commands;

/// <summary>
/// Shows a judge run's progress on stderr: a Spectre.Console bar on an interactive terminal, otherwise one plain
/// line per answer. Answers finish on several threads at once, so both are locked.
/// </summary>
internal static class JudgeProgress
{
    public static async Task<T> RunAsync<T>(TextWriter stderr, Func<IJudgeProgress, Task<T>> work)
    {
        if (ProgressConsole.For(stderr) is not { } console)
        {
            return await work(new PlainLines(stderr)).ConfigureAwait(false);
        }
        return await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(context => work(new Bar(context))).ConfigureAwait(false);
    }

    /// <summary>"judged", "failed" or "pending".</summary>
    public static string Name(JudgmentOutcome outcome) => outcome switch
    {
        JudgmentOutcome.Judged => "judged",
        JudgmentOutcome.Failed => "failed",
        _ => "pending",
    };

    private sealed class PlainLines(TextWriter stderr) : IJudgeProgress
    {
        private readonly Lock _gate = new();
        private int _total;
        private int _done;

        public void Started(int total, int cached)
        {
            lock (_gate)
            {
                _total = total;
                _done = cached;
                stderr.WriteLine(cached > 0
                    ? string.Create(CultureInfo.InvariantCulture, $"judge: {total} answers, {cached} judged before")
                    : string.Create(CultureInfo.InvariantCulture, $"judge: {total} answers"));
            }
        }

        public void Advanced(RecordId id, JudgmentOutcome outcome)
        {
            lock (_gate)
            {
                _done++;
                stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"judge: {_done}/{_total} id {ErrorLine.EscapeControl(id.ToString())} {Name(outcome)}"));
            }
        }
    }

    private sealed class Bar(ProgressContext context) : IJudgeProgress
    {
        private readonly Lock _gate = new();
        private ProgressTask? _task;

        public void Started(int total, int cached)
        {
            lock (_gate)
            {
                _task = context.AddTask("judge", maxValue: Math.Max(total, 1));
                _task.Value = cached;
            }
        }

        public void Advanced(RecordId id, JudgmentOutcome outcome)
        {
            lock (_gate)
            {
                _task?.Increment(1);
            }
        }
    }
}
