using System.Globalization;
using AlignLab.Engine.Hub;
using Spectre.Console;

namespace AlignLab.Cli.Commands;

/// <summary>
/// Shows pull progress on stderr: Spectre.Console bars on an interactive terminal, otherwise one
/// plain line per file, so logs and CI output stay readable.
/// </summary>
internal static class PullProgress
{
    public static async Task<T> RunAsync<T>(TextWriter stderr, Func<IPullProgress, Task<T>> work)
    {
        if (ProgressConsole.For(stderr) is not { } console)
        {
            return await work(new PlainLines(stderr)).ConfigureAwait(false);
        }
        return await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn())
            .StartAsync(ctx => work(new Bars(ctx, console))).ConfigureAwait(false);
    }

    private sealed class PlainLines(TextWriter stderr) : IPullProgress
    {
        public void FileStarted(string file, long size, long resumedFrom)
            => stderr.WriteLine(resumedFrom > 0
                ? string.Create(CultureInfo.InvariantCulture, $"pull: {file} ({size} bytes, resuming at {resumedFrom})")
                : string.Create(CultureInfo.InvariantCulture, $"pull: {file} ({size} bytes)"));

        public void FileProgressed(string file, long bytesDone)
        {
        }

        public void FileFinished(string file, bool fromCache) => stderr.WriteLine($"pull: {file} {(fromCache ? "already cached" : "done")}");

        public void Message(string text) => stderr.WriteLine("pull: " + text);
    }

    private sealed class Bars(ProgressContext context, IAnsiConsole console) : IPullProgress
    {
        private readonly Dictionary<string, ProgressTask> _tasks = new(StringComparer.Ordinal);

        public void FileStarted(string file, long size, long resumedFrom)
        {
            var task = context.AddTask(Markup.Escape(file), maxValue: Math.Max(size, 1));
            task.Value = resumedFrom;
            _tasks[file] = task;
        }

        public void FileProgressed(string file, long bytesDone) => _tasks[file].Value = bytesDone;

        public void FileFinished(string file, bool fromCache)
        {
            if (_tasks.TryGetValue(file, out var task))
            {
                task.Value = task.MaxValue;
                task.StopTask();
            }
            else
            {
                console.MarkupLine($"[grey]{Markup.Escape(file)} already cached[/]");
            }
        }

        public void Message(string text) => console.MarkupLine($"[yellow]{Markup.Escape(text)}[/]");
    }
}
