using AlignLab.Engine.Inference;
using AlignLab.Engine.Models;
using AlignLab.Engine.Tests.Support;
using AlignLab.Engine.Training;
using AlignLab.Training;
using static AlignLab.Tests.Training.TrainingTestData;

namespace AlignLab.Tests.Training;

/// <summary>Pretraining and fine-tuning jobs end to end at tiny sizes: outputs, resume after a crash, refusals.</summary>
public sealed class TrainingJobTests
{
    private static readonly CheckpointPolicy EveryTwoSteps = new(TimeSpan.FromHours(1), EverySteps: 2);

    private static TrainingOutcome Pretrain(PretrainSettings settings, string output, ITrainingProgress progress, CheckpointPolicy? policy = null)
        => PretrainJob.Run(World.Corpus, settings, output, progress, policy, TestContext.Current.CancellationToken);

    [Fact]
    public void PretrainWritesALoadableModelAndItsLossCurve()
    {
        using var scratch = new ScratchDirectory();
        var progress = new RecordingProgress();
        var outcome = Pretrain(TinyModel(), scratch.File("base"), progress);
        var folder = outcome.Folder;
        Assert.Equal(6, progress.Steps.Count);
        Assert.Equal(progress.Steps[^1].Loss, outcome.FinalLoss);
        Assert.Equal(7, File.ReadAllLines(folder.LossCsv).Length);
        Assert.Contains("<polyline", File.ReadAllText(folder.LossSvg), StringComparison.Ordinal);
        foreach (var path in new[] { folder.Output, folder.GgufF32, folder.GgufF16 })
        {
            using var model = LlamaModel.Load(path);
            Assert.Equal(32, model.Config.HiddenSize);
        }
        using var local = LocalModel.Open(folder.Output);
        Assert.Equal(local.LoadTokenizer().TokenToId(ChatMl.EndOfText), local.LoadTokenizer().EosId);

        // Run again: the model is there, nothing is trained.
        var again = new RecordingProgress();
        Assert.Null(Pretrain(TinyModel(), scratch.File("base"), again).FinalLoss);
        Assert.Empty(again.Steps);
    }

    [Fact]
    public void CrashedPretrainResumesToTheSameModelBitForBit()
    {
        using var scratch = new ScratchDirectory();
        // Same folder name in both places: the GGUF files record it as the model's name.
        Pretrain(TinyModel(), scratch.File("whole/base"), new RecordingProgress(), EveryTwoSteps);
        Assert.Throws<SimulatedCrash>(() => Pretrain(TinyModel(), scratch.File("crashed/base"), new RecordingProgress(crashAfterStep: 3), EveryTwoSteps));
        var resumed = new RecordingProgress();
        var outcome = Pretrain(TinyModel(), scratch.File("crashed/base"), resumed, EveryTwoSteps);
        Assert.Equal(2, outcome.ResumedFrom);
        Assert.Equal([(2, 6)], resumed.Starts);
        foreach (var file in new[] { "model.safetensors", "model-f32.gguf", "model-f16.gguf", "loss.csv", "config.json", "tokenizer.json" })
        {
            Assert.Equal(File.ReadAllBytes(scratch.File("whole/base/" + file)), File.ReadAllBytes(scratch.File("crashed/base/" + file)));
        }
    }

    [Fact]
    public void FinetuneExportsAChatModel()
    {
        using var scratch = new ScratchDirectory();
        var pretrained = Pretrain(TinyModel(), scratch.File("base"), new RecordingProgress()).Folder;
        var pairs = Pairs();
        var progress = new RecordingProgress();
        var outcome = FinetuneJob.Run(pretrained.Output, pairs, new FinetuneSettings { Steps = 4, Batch = 2, Threads = 2 }, scratch.File("chat"), progress, cancel: TestContext.Current.CancellationToken);
        Assert.Equal(4, progress.Steps.Count);
        using var local = LocalModel.Open(outcome.Folder.Output);
        var tokenizer = local.LoadTokenizer();
        Assert.Equal(tokenizer.TokenToId(ChatMl.ImEnd), tokenizer.EosId);
        Assert.Equal(ChatMl.Template, local.LoadChatTemplate().Source);
        Assert.Equal([tokenizer.EosId!.Value, tokenizer.TokenToId(ChatMl.EndOfText)!.Value], local.Folder!.GenerationConfig!.EosTokenIds!);
    }

    [Fact]
    public void FineTuningTargetsAreTheAnswerAndItsEndOfTurnOnly()
    {
        using var scratch = new ScratchDirectory();
        var pretrained = Pretrain(TinyModel(steps: 1), scratch.File("base"), new RecordingProgress()).Folder;
        using var local = LocalModel.Open(pretrained.Output);
        var tokenizer = local.LoadTokenizer();
        var pairs = Pairs(5);
        var sequences = ChatExamples.Tokenize(local, tokenizer, local.LoadChatTemplate(), pairs);
        for (var i = 0; i < pairs.Count; i++)
        {
            var tokens = sequences[i].Tokens;
            var targets = sequences[i].Targets!;
            var firstTarget = Array.IndexOf(targets, true);
            Assert.All(targets[firstTarget..], t => Assert.True(t));
            Assert.Equal($"<|im_start|>user\n{pairs[i].Instruction}<|im_end|>\n<|im_start|>assistant\n", tokenizer.Decode(tokens.AsSpan(0, firstTarget)));
            Assert.Equal(pairs[i].Output + "<|im_end|>\n", tokenizer.Decode(tokens.AsSpan(firstTarget)));
        }
    }

    [Fact]
    public void AFolderHoldingAnotherRunIsRefused()
    {
        using var scratch = new ScratchDirectory();
        Pretrain(TinyModel(), scratch.File("base"), new RecordingProgress());
        var error = Assert.Throws<TrainingRunException>(() => Pretrain(TinyModel(steps: 7), scratch.File("base"), new RecordingProgress()));
        Assert.Contains("other settings", error.Message, StringComparison.Ordinal);
        Directory.CreateDirectory(scratch.File("busy"));
        File.WriteAllText(scratch.File("busy/notes.txt"), "mine");
        Assert.Throws<TrainingRunException>(() => Pretrain(TinyModel(), scratch.File("busy"), new RecordingProgress()));
        Assert.Equal("mine", File.ReadAllText(scratch.File("busy/notes.txt")));
    }

    [Fact]
    public void ARunFolderInUseIsRefused()
    {
        using var scratch = new ScratchDirectory();
        using var other = AlignLab.Runs.RunLock.Acquire(scratch.File("base"));
        var error = Assert.Throws<IOException>(() => Pretrain(TinyModel(), scratch.File("base"), new RecordingProgress()));
        Assert.Contains("another run is writing into this folder", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadSettingsNameTheirField()
    {
        var error = Assert.Throws<ArgumentException>(() => (TinyModel() with { Dim = 30 }).Validate());
        Assert.Equal(nameof(PretrainSettings.Dim), error.ParamName);
        Assert.Equal(nameof(PretrainSettings.KvHeads), Assert.Throws<ArgumentException>(() => (TinyModel() with { KvHeads = 3 }).Validate()).ParamName);
        Assert.Equal(nameof(FinetuneSettings.Steps), Assert.Throws<ArgumentException>(() => new FinetuneSettings { Steps = 0 }.Validate()).ParamName);
    }
}
