using AlignLab.Backends;
using AlignLab.Engine.Generation;
using AlignLab.Engine.Inference;
using AlignLab.Engine.Models;
using AlignLab.Tests.Support;

namespace AlignLab.Tests.Backends;

public sealed class LocalLanguageModelTests(FixtureModels models) : IClassFixture<FixtureModels>
{
    [Fact]
    public void Scoring_gives_the_engine_pass_without_the_last_position_and_whole_rows_on_request()
    {
        using var model = LocalLanguageModel.Open(models.Base, new LocalModelOptions { Threads = 1 });
        var tokens = model.EncodePrompt("The quick brown fox jumps over the lazy dog");
        var rows = new Dictionary<int, float[]>();
        var scores = model.Score(tokens, 2, new ScoreRequest { TopK = 5, KeepFullLogProbs = true, OnFullLogProbs = (p, row) => rows[p] = row.ToArray() });
        Assert.Equal((2, tokens.Count - 1), (scores.Start, scores.End));
        using var engine = LlamaModel.Load(models.Base);
        var expected = engine.Score([.. tokens], 2, new ScoreOptions { TopK = 5, KeepLogProbs = true }, threads: 1);
        for (var p = scores.Start; p < scores.End; p++)
        {
            Assert.Equal(tokens[p + 1], scores.NextToken(p));
            Assert.Equal(expected.TopIds(p).ToArray(), scores.TopIds(p).ToArray());
            Assert.Equal(expected.NextLogProb(p), scores.NextLogProb(p));
            Assert.Equal(expected.NextRank(p), scores.NextRank(p));
            Assert.Equal(expected.Entropy(p), scores.Entropy(p));
            Assert.Equal(expected.LogProbs(p).ToArray(), scores.FullLogProbs(p).ToArray());
            Assert.Equal(expected.LogProbs(p).ToArray(), rows[p]);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => scores.NextToken(tokens.Count - 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Score(tokens, tokens.Count - 1, new ScoreRequest()));
    }

    [Fact]
    public void A_sequence_longer_than_the_context_is_refused_in_one_line()
    {
        using var model = LocalLanguageModel.Open(models.Base);
        var error = Assert.Throws<ArgumentException>(() => model.Score(new int[model.ContextLength + 1], 0, new ScoreRequest()));
        Assert.Contains("exceed the context length of 256", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Greedy_answers_are_the_engine_generation_without_the_end_of_turn_token()
    {
        using var model = LocalLanguageModel.Open(models.Aligned, new LocalModelOptions { Threads = 1 });
        var prompt = model.ChatPrompt("Tell me a story", "Be brief.");
        var answer = model.GenerateGreedy(prompt, 12, TestContext.Current.CancellationToken);
        using var files = LocalModel.Open(models.Aligned);
        var tokenizer = files.LoadTokenizer();
        Assert.Equal(Prompts.Chat(files, tokenizer, "Tell me a story", "Be brief."), prompt);
        using var engine = LlamaModel.Load(files);
        using var generator = new TextGenerator(engine, tokenizer, GenerationDefaults.EndOfGenerationIds(files, tokenizer));
        var expected = generator.Generate(prompt, new GenerationOptions { MaxTokens = 12 });
        var content = expected.EndReason == GenerationEndReason.StopToken ? expected.Tokens.SkipLast(1) : expected.Tokens;
        Assert.Equal(content, answer.Tokens);
        Assert.Equal(expected.EndReason == GenerationEndReason.StopToken ? AnswerEnd.EndOfTurn : AnswerEnd.MaxTokens, answer.End);
    }

    [Fact]
    public void A_chat_template_file_replaces_the_model_template()
    {
        var template = models.WriteText("template.jinja", "<<{% for m in messages %}{{ m['role'] }}={{ m['content'] }};{% endfor %}>>");
        using var model = LocalLanguageModel.Open(models.Base, new LocalModelOptions { ChatTemplatePath = template });
        Assert.Equal("<<system=S;user=U;>>", model.RenderChat("U", "S"));
        Assert.Equal("<<user=U;>>", model.RenderChat("U", null));
        Assert.Equal(model.EncodePrompt("<<user=U;>>"), model.ChatPrompt("U", null));
    }

    [Fact]
    public void Token_text_streams_release_whole_characters()
    {
        using var model = LocalLanguageModel.Open(models.Base);
        var ids = model.Tokenizer.Encode("naïve 🙂 text", parseSpecial: false);
        var stream = model.Tokenizer.CreateTextStream();
        var pieces = ids.Select(stream.Push).Append(stream.Flush()).ToList();
        Assert.Equal("naïve 🙂 text", string.Concat(pieces).TrimStart());
        Assert.DoesNotContain(pieces, p => p.Contains('\uFFFD', StringComparison.Ordinal));
        Assert.Equal(model.Tokenizer.Decode(ids), string.Concat(pieces));
    }

    [Fact]
    public void Untrusted_text_can_be_tokenized_without_parsing_special_tokens()
    {
        using var model = LocalLanguageModel.Open(models.Base);
        Assert.Equal([1], model.Tokenizer.Encode("<s>", parseSpecial: true));
        Assert.DoesNotContain(1, model.Tokenizer.Encode("<s>", parseSpecial: false));
    }

    [Fact]
    public void Vocabularies_must_match_in_size_and_in_every_token()
    {
        using var a = LocalLanguageModel.Open(models.Base);
        using var b = LocalLanguageModel.Open(models.Aligned);
        VocabularyCheck.EnsureSame(a, "base", b, "aligned");
        using var renamed = LocalLanguageModel.Open(models.RenamedTokens);
        var error = Assert.Throws<ModelMismatchException>(() => VocabularyCheck.EnsureSame(a, "base", renamed, "aligned"));
        Assert.StartsWith("vocabularies differ (base vs aligned) at 2 ids; first: id 100: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("vs \"renamed100\"; id 200: ", error.Message, StringComparison.Ordinal);
    }
}
