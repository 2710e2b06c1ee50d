using System.Globalization;
using AlignLab.AnswerSets;
using AlignLab.Data;
using Spectre.Console;

namespace AlignLab.Cli.Commands;

/// <summary>
/// Shows an answer-set run's progress on stderr: a Spectre.Console bar on an interactive terminal, otherwise
/// one plain line per instruction, so logs stay readable.
/// </summary>
internal static class AnswerSetProgress
{
    public static T Run<T>(TextWriter stderr, string command, Func<IAnswerSetProgress, T> work)
    {
        if (ProgressConsole.For(stderr) is not { } console)
        {
            return work(new PlainLines(stderr, command));
        }
        return console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context => work(new Bar(context, command)));
    }

    private sealed class PlainLines(TextWriter stderr, string command) : IAnswerSetProgress
    {
        private int _total;
        private int _done;

        public void Started(int total, int alreadyAnswered)
        {
            _total = total;
            _done = alreadyAnswered;
            stderr.WriteLine(alreadyAnswered > 0
                ? string.Create(CultureInfo.InvariantCulture, $"{command}: {total} instructions, {alreadyAnswered} answered before: resuming")
                : string.Create(CultureInfo.InvariantCulture, $"{command}: {total} instructions"));
        }

        public void Advanced(RecordId id, bool skipped)
        {
            _done++;
            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{command}: {_done}/{_total} id {id}{(skipped ? " skipped" : "")}"));
        }
    }

    private sealed class Bar(ProgressContext context, string command) : IAnswerSetProgress
    {
        private ProgressTask? _task;

        public void Started(int total, int alreadyAnswered)
        {
            _task = context.AddTask(Markup.Escape(command), maxValue: Math.Max(total, 1));
            _task.Value = alreadyAnswered;
        }

        public void Advanced(RecordId id, bool skipped) => _task?.Increment(1);
    }
}
