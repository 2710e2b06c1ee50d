using System.Globalization;
using AlignLab.Engine.Formats;
using AlignLab.Engine.Training;

namespace AlignLab.Training;

/// <summary>One logged step.</summary>
public readonly record struct LossPoint(int Step, double Loss, double GradientNorm, double LearningRate);

/// <summary>
/// The loss curve as CSV (<c>step,loss,grad_norm,learning_rate,tokens,targets</c>), one line appended and
/// flushed per step. On resume, lines past the checkpoint (steps that will be redone) and a torn last
/// line (a kill in mid-write) are dropped, so the file always describes the run the weights came from.
/// </summary>
public sealed class LossLog : IDisposable
{
    public const string Header = "step,loss,grad_norm,learning_rate,tokens,targets";

    private readonly StreamWriter _writer;

    private LossLog(string path, List<LossPoint> points)
    {
        Path = path;
        Points = points;
        _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = false };
    }

    public string Path { get; }

    /// <summary>Every step logged so far, the resumed ones included.</summary>
    public List<LossPoint> Points { get; }

    /// <summary>Opens the log for a run that has completed <paramref name="completedSteps"/> steps, rewriting it to exactly those.</summary>
    public static LossLog Open(string path, int completedSteps)
    {
        var kept = new List<string> { Header };
        var points = new List<LossPoint>();
        if (File.Exists(path))
        {
            foreach (var line in WholeLines(path))
            {
                if (Parse(line) is { } point && point.Step <= completedSteps && point.Step == points.Count + 1)
                {
                    kept.Add(line);
                    points.Add(point);
                }
            }
        }
        AtomicFile.WriteAllText(path, string.Join("\n", kept) + "\n");
        return new LossLog(path, points);
    }

    /// <summary>Every whole, well-formed step of the log at <paramref name="path"/>, in file order; the file is only read.</summary>
    public static IReadOnlyList<LossPoint> Read(string path)
        => [.. WholeLines(path).Select(Parse).OfType<LossPoint>()];

    /// <summary>The lines after the header; every whole line ends with '\n', and whatever follows the last one is a torn write.</summary>
    private static IEnumerable<string> WholeLines(string path) => File.ReadAllText(path).Split('\n').Skip(1).SkipLast(1);

    public void Append(TrainingStepResult step)
    {
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{step.Step},{step.Loss:R},{step.GradientNorm:R},{step.LearningRate:R},{step.Tokens},{step.Targets}");
        _writer.Write(line + "\n");
        _writer.Flush();
        Points.Add(new LossPoint(step.Step, step.Loss, step.GradientNorm, step.LearningRate));
    }

    public void Dispose() => _writer.Dispose();

    /// <summary>A whole, well-formed line, or null (a torn or foreign line).</summary>
    private static LossPoint? Parse(string line)
    {
        var fields = line.Split(',');
        if (fields.Length != 6
            || !int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var step)
            || !double.TryParse(fields[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var loss)
            || !double.TryParse(fields[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var norm)
            || !double.TryParse(fields[3], NumberStyles.Float, CultureInfo.InvariantCulture, out var rate)
            || !int.TryParse(fields[4], NumberStyles.None, CultureInfo.InvariantCulture, out _)
            || !int.TryParse(fields[5], NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return null;
        }
        return new LossPoint(step, loss, norm, rate);
    }
}
