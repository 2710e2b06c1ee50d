using AlignLab.Engine.Formats;
using AlignLab.Engine.Formats.Gguf;
using AlignLab.Engine.Inference;
using AlignLab.Engine.Models;
using AlignLab.Engine.Tests.Support;

namespace AlignLab.Engine.Tests.Inference;

/// <summary>One way from a model reference to a model (LocalModel), thread caps, and batches of sequences.</summary>
public class ModelLoadingTests
{
    [Fact]
    public void A_gguf_file_loads_through_local_model_with_the_same_logprobs()
    {
        using var dir = new ScratchDirectory();
        var bytes = TestModels.Gguf(TestModels.Checkpoint(TestModels.Config()));
        File.WriteAllBytes(dir.File("m.gguf"), bytes);
        var tokens = TestModels.Tokens(20, 96);
        using var inMemory = LlamaModel.FromGguf(GgufFile.Parse(bytes, "m.gguf"));
        var expected = inMemory.Score(tokens, 0, new ScoreOptions { KeepLogProbs = true });

        using (var byPath = LlamaModel.Load(dir.File("m.gguf")))
        {
            Assert.Equal(expected.LogProbs(19).ToArray(), byPath.Score(tokens, 0, new ScoreOptions { KeepLogProbs = true }).LogProbs(19).ToArray());
        }
        using var local = LocalModel.Open(dir.File("m.gguf"));
        using var model = LlamaModel.Load(local);
        Assert.Equal(expected.LogProbs(19).ToArray(), model.Score(tokens, 0, new ScoreOptions { KeepLogProbs = true }).LogProbs(19).ToArray());
    }

    [Fact]
    public void Files_without_weights_are_format_errors_in_one_line()
    {
        var vocab = SharedFixtures.Require("fixtures/vocab/ggml-vocab-llama-spm.gguf");
        var e = Assert.Throws<ModelFormatException>(() => LlamaModel.Load(vocab));
        Assert.Equal($"{vocab}: tensors: missing: a vocabulary-only file", e.Message);

        using var dir = new ScratchDirectory();
        dir.Write("tok/tokenizer.json", """{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": []}}""");
        var folder = Assert.Throws<ModelFormatException>(() => LlamaModel.Load(dir.File("tok")));
        Assert.Contains("config.json: missing: the folder holds only tokenizer files", folder.Message);
    }

    [Fact]
    public void A_thread_cap_gives_the_same_numbers()
    {
        using var model = TestModels.Load(TestModels.Config());
        var tokens = TestModels.Tokens(40, model.VocabSize);
        using var allSession = model.CreateSession();
        using var oneSession = model.CreateSession(new SessionOptions { Threads = 1 });
        Assert.Equal(1, oneSession.BatchThreads);
        Assert.Equal(1, oneSession.DecodeThreads);
        var all = allSession.Score(tokens, 0, new ScoreOptions { KeepLogProbs = true });
        var one = oneSession.Score(tokens, 0, new ScoreOptions { KeepLogProbs = true });
        for (var p = 0; p < tokens.Length; p++)
        {
            Assert.Equal(all.LogProbs(p).ToArray(), one.LogProbs(p).ToArray());
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => model.CreateSession(new SessionOptions { Threads = 0 }));
    }

    [Fact]
    public void A_batch_of_sequences_steps_as_each_sequence_would_alone()
    {
        using var model = TestModels.Load(TestModels.Config(ModelArchitecture.Qwen2));
        var vocab = model.VocabSize;
        int[][] sequences = [TestModels.Tokens(12, vocab, 1), TestModels.Tokens(5, vocab, 2), TestModels.Tokens(20, vocab, 3)];
        const int prompt = 4;
        using var batch = model.CreateBatchSession(3, new SessionOptions { ContextSize = 32 });
        for (var i = 0; i < 3; i++)
        {
            batch.Prefill(i, sequences[i].AsSpan(0, prompt));
        }
        var singles = sequences.Select(s =>
        {
            var session = model.CreateSession(new SessionOptions { ContextSize = 32 });
            session.Prefill(s.AsSpan(0, prompt));
            return session;
        }).ToArray();
        // Steps over shrinking subsets: sequence 1 ends after 5 tokens, the others go on.
        for (var p = prompt; p < 20; p++)
        {
            int[] active = [.. Enumerable.Range(0, 3).Where(i => p < sequences[i].Length).Reverse()];
            if (active.Length == 0)
            {
                break;
            }
            var rows = batch.Step(active, [.. active.Select(i => sequences[i][p])]).ToArray();
            for (var j = 0; j < active.Length; j++)
            {
                var alone = singles[active[j]].Step(sequences[active[j]][p]);
                var row = rows.AsSpan(j * vocab, vocab);
                for (var v = 0; v < vocab; v++)
                {
                    Assert.True(Math.Abs(alone[v] - row[v]) < 1e-4, $"sequence {active[j]}, position {p}, id {v}");
                }
                Assert.Equal(p + 1, batch.Position(active[j]));
            }
        }
        Assert.Throws<ArgumentException>(() => batch.Step([0, 0], [1, 2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => batch.Step([3], [1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => batch.Step([0], [vocab]));
        foreach (var session in singles)
        {
            session.Dispose();
        }
    }
}
