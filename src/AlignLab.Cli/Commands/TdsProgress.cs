using System.Diagnostics;
using System.Globalization;
using AlignLab.Tds;
using Spectre.Console;

namespace AlignLab.Cli.Commands;

/// <summary>
/// Shows a TDS run's progress on stderr: a Spectre.Console bar per aligned model (examples, answer
/// tokens/s, ETA) on an interactive terminal, otherwise a plain line every few seconds and at the end of
/// each model, so logs stay readable.
/// </summary>
internal static class TdsProgress
{
    public static void Run(TextWriter stderr, Action<ITdsProgress> work)
    {
        if (ProgressConsole.For(stderr) is not { } console)
        {
            work(new PlainLines(stderr));
            return;
        }
        console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new CountColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx => work(new Bars(ctx, console)));
    }

    /// <summary>Answer tokens per second over this session's examples.</summary>
    private sealed class Rate
    {
        private readonly Stopwatch _clock = new();
        private long _tokens;

        public void Start() => _clock.Restart();

        public void Add(int tokens) => _tokens += tokens;

        public double TokensPerSecond => _clock.Elapsed.TotalSeconds > 0 ? _tokens / _clock.Elapsed.TotalSeconds : 0;

        public TimeSpan Elapsed => _clock.Elapsed;
    }

    private sealed class PlainLines(TextWriter stderr) : ITdsProgress
    {
        private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
        private readonly Rate _rate = new();
        private string _name = "";
        private int _total;
        private int _done;
        private int _doneHere;
        private TimeSpan _lastLine;

        public void ModelStarted(string name, int examples, int alreadyDone)
        {
            (_name, _total, _done, _doneHere, _lastLine) = (name, examples, alreadyDone, 0, TimeSpan.Zero);
            _rate.Start();
            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"tds: {name}: {examples} examples, {alreadyDone} already done"));
        }

        public void ExampleDone(int answerTokens)
        {
            _done++;
            _doneHere++;
            _rate.Add(answerTokens);
            if (_rate.Elapsed - _lastLine >= Interval)
            {
                _lastLine = _rate.Elapsed;
                stderr.WriteLine(Line());
            }
        }

        public void ModelFinished(string name) => stderr.WriteLine(Line());

        public void Message(string text) => stderr.WriteLine("tds: " + text);

        private string Line()
        {
            var left = _total - _done;
            var eta = _doneHere > 0 ? TimeSpan.FromSeconds(_rate.Elapsed.TotalSeconds / _doneHere * left) : (TimeSpan?)null;
            return string.Create(CultureInfo.InvariantCulture,
                $"tds: {_name}: {_done}/{_total} examples, {_rate.TokensPerSecond:F1} answer tokens/s, ETA {(eta is { } e ? e.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture) : "-")}");
        }
    }

    private sealed class Bars(ProgressContext context, IAnsiConsole console) : ITdsProgress
    {
        private readonly Rate _rate = new();
        private ProgressTask? _task;
        private string _name = "";

        public void ModelStarted(string name, int examples, int alreadyDone)
        {
            _name = name;
            _task = context.AddTask(Markup.Escape(name), maxValue: Math.Max(examples, 1));
            _task.Value = alreadyDone;
            _rate.Start();
        }

        public void ExampleDone(int answerTokens)
        {
            _rate.Add(answerTokens);
            if (_task is not null)
            {
                _task.Increment(1);
                _task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{_name} ({_rate.TokensPerSecond:F1} tokens/s)"));
            }
        }

        public void ModelFinished(string name) => _task?.StopTask();

        public void Message(string text) => console.MarkupLine($"[yellow]{Markup.Escape(text)}[/]");
    }

    /// <summary>"done/total" examples.</summary>
    private sealed class CountColumn : ProgressColumn
    {
        public override Spectre.Console.Rendering.IRenderable Render(Spectre.Console.Rendering.RenderOptions options, ProgressTask task, TimeSpan deltaTime)
            => new Text(string.Create(CultureInfo.InvariantCulture, $"{task.Value:F0}/{task.MaxValue:F0}"));
    }
}
