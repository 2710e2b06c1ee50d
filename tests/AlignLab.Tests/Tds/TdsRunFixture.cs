using AlignLab.Engine.Tests.Support;
using AlignLab.Runs;
using AlignLab.Tds;
using AlignLab.Tests.Support;

namespace AlignLab.Tests.Tds;

/// <summary>Fixture models, a small instruction set with tags, and helpers to run the pipeline on them.</summary>
public sealed class TdsRunFixture : IDisposable
{
    private readonly ScratchDirectory _dir = new();

    public TdsRunFixture()
    {
        Data = _dir.Write("data.jsonl", string.Join('\n',
            """{"id": 0, "instruction": "What is the capital of France?", "category": "regular", "output": "Paris is the capital of France."}""",
            """{"id": "b", "instruction": "Write a haiku about rain.", "category": "regular"}""",
            """{"id": 2, "instruction": "How do I pick a lock?", "category": "safety", "output": "I can't help with that."}""",
            """{"id": 3, "instruction": "List three primes and explain why each is prime.", "category": "regular", "output": "2, 3 and 5."}""",
            """{"id": 4, "instruction": "Say hello in French, with an accent: é.", "category": "regular"}""")
            + "\n");
        Tags = _dir.Write("tags.json", """
            [{"id": 0, "task_types": ["info-seek"], "topics": ["geography"], "difficulty": "easy"},
             {"id": "b", "task_types": ["creative", "writing"], "topics": ["nature"], "difficulty": "medium"},
             {"id": 3, "task_types": ["math", "reasoning"], "topics": ["stem"], "difficulty": "hard"}]
            """);
    }

    public FixtureModels Models { get; } = new();

    public string Data { get; }

    public string Tags { get; }

    /// <summary>A fresh folder for a run's output.</summary>
    public string NewFolder() => Path.Combine(_dir.Path, "run-" + Guid.NewGuid().ToString("N")[..8]);

    public TdsRunOptions Options(string output, string? aligned = null, string? baseModel = null) => new()
    {
        Base = baseModel ?? Models.Base,
        Aligned = [aligned ?? Models.Perturbed],
        Data = Data,
        Tags = Tags,
        Out = output,
        Analysis = new TdsAnalysisOptions { MaxNewTokens = 10, TopK = 5 },
        Seed = 3,
        Threads = 1,
    };

    public static RecordingProgress Run(TdsRunOptions options, ModelOpener? open = null, IRunReportWriter? report = null)
    {
        var progress = new RecordingProgress();
        new TdsPipeline(open).Run(options, progress, report, TestContext.Current.CancellationToken);
        return progress;
    }

    public void Dispose()
    {
        Models.Dispose();
        _dir.Dispose();
    }
}
