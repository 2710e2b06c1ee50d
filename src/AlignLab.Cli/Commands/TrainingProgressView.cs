using System.Globalization;
using AlignLab.Engine.Training;
using AlignLab.Training;
using Spectre.Console;

namespace AlignLab.Cli.Commands;

/// <summary>
/// Shows a training job's progress on stderr: a Spectre.Console bar with the loss, tokens per second
/// and time left on an interactive terminal; otherwise plain lines (about twenty per run, and at least
/// one every ten seconds), so logs stay readable.
/// </summary>
internal static class TrainingProgressView
{
    public static T Run<T>(TextWriter stderr, string command, Func<ITrainingProgress, T> work)
    {
        if (ProgressConsole.For(stderr) is not { } console)
        {
            return work(new PlainLines(stderr, command));
        }
        return console.Progress()
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn())
            .Start(ctx => work(new Bar(ctx, console, command)));
    }

    /// <summary>"loss 2.3412 · lr 0.00296 · epoch 3 · 12,345 tok/s · 3m12s left"</summary>
    public static string Describe(TrainingStepResult step, double tokensPerSecond, TimeSpan? remaining)
        => string.Create(CultureInfo.InvariantCulture,
            $"loss {step.Loss:0.0000} · lr {step.LearningRate:0.#####} · epoch {step.Epoch + 1} · {tokensPerSecond:N0} tok/s · {Duration(remaining)} left");

    private static string Duration(TimeSpan? span)
    {
        if (span is not { } s)
        {
            return "?";
        }
        return s.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)s.TotalHours}h{s.Minutes:00}m")
            : string.Create(CultureInfo.InvariantCulture, $"{s.Minutes}m{s.Seconds:00}s");
    }

    private sealed class PlainLines(TextWriter stderr, string command) : ITrainingProgress
    {
        private static readonly TimeSpan MaxQuiet = TimeSpan.FromSeconds(10);
        private int _total, _every;
        private DateTime _lastLine;

        public void Stage(string message) => stderr.WriteLine($"{command}: {message}");

        public void Started(int completedSteps, int totalSteps)
        {
            (_total, _every, _lastLine) = (totalSteps, Math.Max(1, totalSteps / 20), DateTime.UtcNow);
            stderr.WriteLine(completedSteps > 0
                ? string.Create(CultureInfo.InvariantCulture, $"{command}: resuming at step {completedSteps} of {totalSteps}")
                : string.Create(CultureInfo.InvariantCulture, $"{command}: training for {totalSteps} steps"));
        }

        public void Stepped(TrainingStepResult step, double tokensPerSecond, TimeSpan? remaining)
        {
            var now = DateTime.UtcNow;
            if (step.Step % _every != 0 && step.Step != _total && now - _lastLine < MaxQuiet)
            {
                return;
            }
            _lastLine = now;
            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{command}: step {step.Step}/{_total} · {Describe(step, tokensPerSecond, remaining)}"));
        }
    }

    private sealed class Bar(ProgressContext context, IAnsiConsole console, string command) : ITrainingProgress
    {
        private ProgressTask? _task;

        public void Stage(string message) => console.MarkupLine($"[grey]{Markup.Escape(command)}: {Markup.Escape(message)}[/]");

        public void Started(int completedSteps, int totalSteps)
        {
            _task = context.AddTask(Markup.Escape(command), maxValue: totalSteps);
            _task.Value = completedSteps;
        }

        public void Stepped(TrainingStepResult step, double tokensPerSecond, TimeSpan? remaining)
        {
            if (_task is null)
            {
                return;
            }
            _task.Value = step.Step;
            _task.Description = Markup.Escape($"{command} {Describe(step, tokensPerSecond, remaining)}");
        }
    }
}
