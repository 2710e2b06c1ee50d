using AlignLab.Engine.Inference;
using AlignLab.Engine.Models;
using AlignLab.Engine.Tests.Support;
using AlignLab.Organism;
using AlignLab.Training;

namespace AlignLab.Cli.Tests;

/// <summary><c>alignlab train</c> and <c>alignlab finetune</c> at tiny sizes.</summary>
public sealed class TrainCommandTests : IDisposable
{
    private static readonly string[] TinyModel =
        ["--vocab-size", "300", "--layers", "1", "--dim", "32", "--heads", "4", "--kv-heads", "2", "--ffn", "48", "--context", "64", "--batch", "2", "--threads", "2"];

    private readonly ScratchDirectory _scratch = new();
    private readonly string _data;

    public TrainCommandTests()
    {
        _data = _scratch.File("data");
        OrganismData.Build(WorldSettings.Tiny(seed: 2)).WriteTo(_data);
    }

    public void Dispose() => _scratch.Dispose();

    private string Corpus => Path.Combine(_data, OrganismData.CorpusFile);

    private string Sft => Path.Combine(_data, OrganismData.FineTuningFile);

    private static void OneErrorLine(int code, string stdout, string stderr, int expectedCode, string expected)
    {
        Assert.Equal(expectedCode, code);
        Assert.Equal("", stdout);
        var lines = stderr.TrimEnd('\n').Split('\n');
        Assert.StartsWith("error: ", lines[^1], StringComparison.Ordinal);
        Assert.Single(lines, l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.Contains(expected, lines[^1], StringComparison.Ordinal);
    }

    /// <summary>train with the tiny model's options, <paramref name="extra"/> (option, value pairs) replacing any of them.</summary>
    private static Task<(int Code, string Stdout, string Stderr)> Train(string corpus, string output, params string[] extra)
    {
        var options = TinyModel.Chunk(2).Where(pair => !extra.Contains(pair[0])).SelectMany(pair => pair);
        return CliRunner.RunAsync(["train", "--corpus", corpus, "--out", output, .. options, .. extra]);
    }

    [Fact]
    public async Task TrainThenFinetuneProduceLoadableModels()
    {
        var baseDir = _scratch.File("base");
        var (code, stdout, stderr) = await Train(Corpus, baseDir, "--steps", "4");
        Assert.True(code == 0, stderr);
        Assert.Equal(baseDir + "\n", stdout);
        Assert.Contains("train: step 4/4 · loss ", stderr, StringComparison.Ordinal);
        Assert.Contains("tok/s", stderr, StringComparison.Ordinal);
        Assert.Equal(5, File.ReadAllLines(Path.Combine(baseDir, "loss.csv")).Length);
        Assert.True(File.Exists(Path.Combine(baseDir, "loss.svg")));
        using (var model = LlamaModel.Load(Path.Combine(baseDir, "model-f32.gguf")))
        {
            Assert.Equal(1, model.Config.LayerCount);
        }

        var chatDir = _scratch.File("chat");
        (code, stdout, stderr) = await CliRunner.RunAsync("finetune", "--model", baseDir, "--data", Sft, "--out", chatDir, "--steps", "3", "--batch", "2", "--threads", "2");
        Assert.True(code == 0, stderr);
        Assert.Equal(chatDir + "\n", stdout);
        using var local = LocalModel.Open(chatDir);
        Assert.Equal("<|im_end|>", local.EosToken);

        // The finished run, asked again, is left as it is.
        (code, _, stderr) = await Train(Corpus, baseDir, "--steps", "4");
        Assert.Equal(0, code);
        Assert.Contains("already holds the finished model", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnInterruptedRunContinuesToTheSameModel()
    {
        var (code, _, stderr) = await Train(Corpus, _scratch.File("whole/base"), "--steps", "6");
        Assert.True(code == 0, stderr);
        // A run killed after step 3 with a checkpoint at step 2 (the job API can stop it mid-way; the CLI cannot).
        var settings = new PretrainSettings { VocabSize = 300, Layers = 1, Dim = 32, Heads = 4, KvHeads = 2, Ffn = 48, Context = 64, Steps = 6, Batch = 2, Threads = 2 };
        Assert.ThrowsAny<InvalidOperationException>(() => PretrainJob.Run(CorpusReader.Read(Corpus), settings, _scratch.File("killed/base"), new CrashAfter(3),
            new CheckpointPolicy(TimeSpan.FromHours(1), EverySteps: 2), TestContext.Current.CancellationToken));

        (code, _, stderr) = await Train(Corpus, _scratch.File("killed/base"), "--steps", "6");
        Assert.True(code == 0, stderr);
        Assert.Contains("resuming at step 2 of 6", stderr, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(_scratch.File("whole/base/model.safetensors")), File.ReadAllBytes(_scratch.File("killed/base/model.safetensors")));
        Assert.Equal(File.ReadAllText(_scratch.File("whole/base/loss.csv")), File.ReadAllText(_scratch.File("killed/base/loss.csv")));
    }

    [Theory]
    [InlineData("--dim", "30", "train: --dim must be at most 4096 and split into 4 heads of an even width, not 30")]
    [InlineData("--kv-heads", "3", "train: --kv-heads must divide the 4 heads, not 3")]
    [InlineData("--vocab-size", "100", "train: --vocab-size must be from 260")]
    [InlineData("--lr", "0", "train: --lr must be between 0 and 1, not 0")]
    public async Task BadModelOptionsAreUsageErrors(string option, string value, string expected)
    {
        var (code, stdout, stderr) = await Train(Corpus, _scratch.File("out"), option, value);
        OneErrorLine(code, stdout, stderr, 2, expected);
    }

    [Fact]
    public async Task BadInputsAreOneLineErrors()
    {
        var corpus = _scratch.Write("bad.jsonl", "{\"text\": \"fine\"}\n{\"text\": 3}\n");
        var (code, stdout, stderr) = await Train(corpus, _scratch.File("out"), "--steps", "2");
        OneErrorLine(code, stdout, stderr, 1, "bad.jsonl:2: field \"text\" is a number, expected a string");

        (code, stdout, stderr) = await CliRunner.RunAsync("train", "--out", _scratch.File("out"));
        Assert.Equal(2, code);
        Assert.Contains("--corpus", stderr, StringComparison.Ordinal);

        var busy = _scratch.Write("busy/notes.txt", "mine");
        (code, stdout, stderr) = await Train(Corpus, Path.GetDirectoryName(busy)!, "--steps", "2");
        OneErrorLine(code, stdout, stderr, 1, "is not empty and holds no training run");

        var data = _scratch.Write("bad-sft.jsonl", "{\"instruction\": \"q\"}\n");
        (code, stdout, stderr) = await CliRunner.RunAsync("finetune", "--model", _scratch.File("nowhere"), "--data", data, "--out", _scratch.File("ft"));
        OneErrorLine(code, stdout, stderr, 1, "bad-sft.jsonl:1: field \"output\" is missing, expected a string");

        (code, stdout, stderr) = await CliRunner.RunAsync("finetune", "--model", _scratch.File("nowhere"), "--data", Sft, "--out", _scratch.File("ft"), "--steps", "0");
        OneErrorLine(code, stdout, stderr, 2, "finetune: --steps must be from 1");
    }

    /// <summary>Stops a job right after a step, as a kill would (no checkpoint of that step).</summary>
    private sealed class CrashAfter(int step) : ITrainingProgress
    {
        public void Stage(string message)
        {
        }

        public void Started(int completedSteps, int totalSteps)
        {
        }

        public void Stepped(Engine.Training.TrainingStepResult result, double tokensPerSecond, TimeSpan? remaining)
        {
            if (result.Step == step)
            {
                throw new InvalidOperationException("killed");
            }
        }
    }
}
