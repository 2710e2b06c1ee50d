using AlignLab.Engine.Formats.Gguf;
using AlignLab.Engine.Generation;
using AlignLab.Engine.Inference;
using AlignLab.Engine.Models;
using AlignLab.Engine.Tokenizers;

namespace AlignLab.Engine.Tests.Inference.Generation;

/// <summary>Generation on small random models (peaked distributions), checked against one scoring pass.</summary>
public sealed class TextGeneratorTests : IDisposable
{
    private readonly LlamaModel _model;
    private readonly TextGenerator _generator;
    private readonly int[] _prompt;

    public TextGeneratorTests()
    {
        (_model, var tokenizer) = TestModels.LoadWithTokenizer(TestModels.Gguf(TestModels.Checkpoint(TestModels.Config())));
        _generator = new TextGenerator(_model, tokenizer);
        _prompt = TestModels.Tokens(9, _model.VocabSize);
    }

    public void Dispose()
    {
        _generator.Dispose();
        _model.Dispose();
    }

    /// <summary>No stop tokens: the synthetic vocabulary's default EOS is an ordinary token.</summary>
    private static GenerationOptions Options(int maxTokens = 24, SamplingOptions? sampling = null) => new()
    {
        MaxTokens = maxTokens,
        StopTokens = [],
        Sampling = sampling ?? SamplingOptions.Greedy,
        TopLogProbs = 4,
    };

    private (GenerationResult Result, List<(int Id, float LogProb, int Rank, int[] Top, float[] TopLogProbs, string Text)> Tokens) Run(
        int[] prompt, GenerationOptions options)
    {
        var tokens = new List<(int, float, int, int[], float[], string)>();
        var result = _generator.Generate(prompt, options, t => tokens.Add((t.Id, t.LogProb, t.Rank, t.TopIds.ToArray(), t.TopLogProbs.ToArray(), t.Text)));
        return (result, tokens);
    }

    [Fact]
    public void Greedy_generation_is_the_argmax_of_one_scoring_pass_at_every_step()
    {
        var (result, tokens) = Run(_prompt, Options());
        Assert.Equal(GenerationEndReason.MaxTokens, result.EndReason);
        Assert.Equal(24, result.GeneratedTokenCount);
        Assert.Equal(tokens.Select(t => t.Id), result.Tokens);

        int[] sequence = [.. _prompt, .. result.Tokens];
        var scored = _model.Score(sequence, _prompt.Length - 1, new ScoreOptions { TopK = 4 });
        for (var i = 0; i < tokens.Count; i++)
        {
            var p = _prompt.Length - 1 + i;
            Assert.Equal(scored.TopIds(p)[0], tokens[i].Id);
            Assert.Equal(1, tokens[i].Rank);
            Assert.Equal(scored.TopIds(p).ToArray(), tokens[i].Top);
            Assert.Equal(scored.NextLogProb(p), tokens[i].LogProb, 1e-4);
            Assert.Equal(scored.TopLogProbs(p).ToArray(), tokens[i].TopLogProbs, (a, b) => Math.Abs(a - b) < 1e-4);
        }
    }

    [Fact]
    public void Sampled_tokens_report_logprob_and_rank_under_the_unmodified_distribution()
    {
        var sampling = new SamplingOptions { Temperature = 1.5, TopK = 20, RepetitionPenalty = 1.3, Seed = 4 };
        var (result, tokens) = Run(_prompt, Options(30, sampling));
        int[] sequence = [.. _prompt, .. result.Tokens];
        var scored = _model.Score(sequence, _prompt.Length - 1);
        Assert.Contains(tokens, t => t.Rank > 1);
        for (var i = 0; i < tokens.Count; i++)
        {
            var p = _prompt.Length - 1 + i;
            Assert.Equal(scored.NextRank(p), tokens[i].Rank);
            Assert.Equal(scored.NextLogProb(p), tokens[i].LogProb, 1e-4);
        }
    }

    [Fact]
    public void Seeded_sampling_repeats_for_a_seed_and_differs_across_seeds()
    {
        GenerationResult Sample(ulong seed) => _generator.Generate(_prompt, Options(40, new SamplingOptions { Temperature = 1.2, Seed = seed }));
        var a = Sample(1);
        Assert.Equal(a.Tokens, Sample(1).Tokens);
        Assert.Equal(a.Text, Sample(1).Text);
        Assert.NotEqual(a.Tokens, Sample(2).Tokens);
        Assert.NotEqual(_generator.Generate(_prompt, Options(40)).Tokens, a.Tokens);
    }

    [Fact]
    public void Top_k_one_is_greedy()
    {
        var greedy = _generator.Generate(_prompt, Options());
        var topOne = _generator.Generate(_prompt, Options(sampling: new SamplingOptions { Temperature = 0.9, TopK = 1, Seed = 9 }));
        Assert.Equal(greedy.Tokens, topOne.Tokens);
    }

    [Fact]
    public void A_stop_token_ends_generation_is_reported_last_and_adds_no_text()
    {
        var greedy = _generator.Generate(_prompt, Options());
        var stop = greedy.Tokens[5];
        var first = greedy.Tokens.ToList().IndexOf(stop);
        var (result, tokens) = Run(_prompt, Options() with { StopTokens = [stop] });
        Assert.Equal(GenerationEndReason.StopToken, result.EndReason);
        Assert.Equal(greedy.Tokens.Take(first + 1), result.Tokens);
        Assert.Equal("", tokens[^1].Text);
        Assert.Equal(_generator.Tokenizer.Decode([.. greedy.Tokens.Take(first)]), result.Text);
    }

    [Fact]
    public void A_stop_string_across_tokens_cuts_the_text_before_it_and_is_never_streamed()
    {
        var (full, fullTokens) = Run(_prompt, Options());
        // A stop string from the middle of token 4's text to the middle of token 6's.
        var starts = new List<int>();
        var at = 0;
        foreach (var t in fullTokens)
        {
            starts.Add(at);
            at += t.Text.Length;
        }
        var stop = full.Text[(starts[4] + 1)..(starts[6] + 1)];
        var cut = full.Text.IndexOf(stop, StringComparison.Ordinal);

        var (result, tokens) = Run(_prompt, Options() with { StopStrings = [stop] });
        Assert.Equal(GenerationEndReason.StopString, result.EndReason);
        Assert.Equal(full.Text[..cut], result.Text);
        Assert.Equal(result.Text, string.Concat(tokens.Select(t => t.Text)));
        Assert.Equal(full.Tokens.Take(tokens.Count), result.Tokens);
        Assert.True(tokens.Count <= 7);
        // Nothing streamed ever reached into the stop string.
        var streamed = "";
        foreach (var t in tokens)
        {
            streamed += t.Text;
            Assert.True(cut >= streamed.Length, $"streamed past the stop string: \"{streamed}\"");
        }
    }

    [Fact]
    public void A_full_context_ends_generation()
    {
        using var generator = new TextGenerator(_model, _generator.Tokenizer, sessionOptions: new SessionOptions { ContextSize = _prompt.Length + 5 });
        var result = generator.Generate(_prompt, Options(100));
        Assert.Equal(GenerationEndReason.ContextFull, result.EndReason);
        // Five tokens fed back fill the context; the sixth comes from the last logits.
        Assert.Equal(6, result.GeneratedTokenCount);
        Assert.Equal(_generator.Generate(_prompt, Options(6)).Tokens, result.Tokens);
    }

    [Fact]
    public void Batched_decoding_gives_each_prompt_what_it_gets_alone()
    {
        int[][] prompts = [_prompt, TestModels.Tokens(3, _model.VocabSize, seed: 8), TestModels.Tokens(17, _model.VocabSize, seed: 9)];
        var streamed = prompts.Select(_ => new List<int>()).ToArray();
        var batch = _generator.GenerateBatch(prompts, Options(20) with { StopStrings = ["t7"] }, (i, t) => streamed[i].Add(t.Id));
        var sampled = _generator.GenerateBatch(prompts, Options(20, new SamplingOptions { Temperature = 1, Seed = 100 }));
        for (var i = 0; i < prompts.Length; i++)
        {
            var alone = _generator.Generate(prompts[i], Options(20) with { StopStrings = ["t7"] });
            Assert.Equal(alone.Tokens, batch[i].Tokens);
            Assert.Equal(alone.Text, batch[i].Text);
            Assert.Equal(alone.EndReason, batch[i].EndReason);
            Assert.Equal(alone.Tokens, streamed[i]);
            var aloneSampled = _generator.Generate(prompts[i], Options(20, new SamplingOptions { Temperature = 1, Seed = 100 + (ulong)i }));
            Assert.Equal(aloneSampled.Tokens, sampled[i].Tokens);
        }
    }

    [Fact]
    public void A_generation_streams_lazily_and_runs_once()
    {
        var generation = _generator.Start(_prompt, Options(3));
        Assert.Throws<InvalidOperationException>(() => generation.Result);
        var ids = generation.Select(t => t.Id).ToList();
        Assert.Equal(ids, generation.Result.Tokens);
        Assert.Throws<InvalidOperationException>(() => generation.ToList());
    }

    [Fact]
    public void Bad_prompts_and_options_are_refused_in_one_line()
    {
        var tooLong = TestModels.Tokens(129, _model.VocabSize);
        var e = Assert.Throws<ArgumentException>(() => _generator.Start(tooLong, Options()));
        Assert.StartsWith("the prompt has 129 tokens, more than the context of 128", e.Message);
        Assert.StartsWith("token id 96 at index 1 of the prompt is outside the vocabulary of 96",
            Assert.Throws<ArgumentOutOfRangeException>(() => _generator.Start([1, 96], Options())).Message);
        Assert.Throws<ArgumentException>(() => _generator.Start([], Options()));
        Assert.Throws<ArgumentOutOfRangeException>(() => _generator.Start(_prompt, Options() with { MaxTokens = 0 }));
        Assert.Throws<ArgumentException>(() => _generator.Start(_prompt, Options() with { StopStrings = [""] }));
        Assert.Throws<ArgumentOutOfRangeException>(() => _generator.Start(_prompt, Options(sampling: new SamplingOptions { TopK = 97 })));
    }

    [Fact]
    public void Nan_in_the_activations_stops_generation_with_an_inference_error()
    {
        var checkpoint = TestModels.Checkpoint(TestModels.Config());
        checkpoint.Weights[(TensorRole.FeedForwardDown, 1)][0] = float.NaN;
        var (model, tokenizer) = TestModels.LoadWithTokenizer(TestModels.Gguf(checkpoint));
        using (model)
        {
            using var generator = new TextGenerator(model, tokenizer);
            var e = Assert.Throws<InferenceException>(() => generator.Generate(_prompt, Options()));
            Assert.Equal("NaN or infinity in the activations after layer 1 (feed-forward) at position 0", e.Message);
        }
    }
}

/// <summary>Generation with real vocabularies from ../shared: text streams in whole characters.</summary>
public class StreamingTextTests
{
    [Theory]
    [InlineData("llama-spm")]
    [InlineData("qwen2")]
    public void Streamed_text_never_splits_a_character(string vocab)
    {
        var file = Support.SharedFixtures.Require($"fixtures/vocab/ggml-vocab-{vocab}.gguf");
        var (model, tokenizer) = TestModels.LoadWithTokenizer(TestModels.GgufWithVocab(file, type: GgmlType.Q8_0));
        using (model)
        {
            const string text = "naïve café — 😀🎉 世界 𓀀 ok";
            var ids = tokenizer.Encode(text, EncodeOptions.Default);
            // A sequence whose every step is forced: each id's logit far above the rest.
            var options = new GenerationOptions { MaxTokens = ids.Count, StopTokens = [], TopLogProbs = 0 };
            var state = new SequenceState(tokenizer, model.VocabSize, [ids[0]], options, [], 0);
            var logits = new float[model.VocabSize];
            var pieces = new List<string>();
            foreach (var id in ids)
            {
                Array.Clear(logits);
                logits[id] = 100;
                pieces.Add(state.Next(logits, cacheFull: false).Text);
            }
            Assert.Contains(pieces, p => p.Length == 0); // some character did span tokens
            var strict = new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true);
            Assert.All(pieces, p =>
            {
                Assert.DoesNotContain('\uFFFD', p);
                strict.GetBytes(p); // throws on a lone surrogate
            });
            Assert.Equal(tokenizer.Decode([.. ids]), string.Concat(pieces));
            Assert.Equal(GenerationEndReason.MaxTokens, state.EndReason);
        }
    }
}
