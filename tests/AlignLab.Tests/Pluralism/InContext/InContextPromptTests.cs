using System.Text.Json.Nodes;
using AlignLab.Data;
using AlignLab.Engine.Tests.Support;
using AlignLab.Pluralism.InContext;
using AlignLab.Runs;
using AlignLab.Urial;
using static AlignLab.Tests.Pluralism.InContext.InContextData;

namespace AlignLab.Tests.Pluralism.InContext;

/// <summary>The prompt of every variant, written out by hand on a one-example prompt.</summary>
public sealed class InContextPromptTests : IDisposable
{
    private const string Preamble = "# Instruction\n\nBe helpful.";

    private static readonly UrialPrompt Tiny = UrialPromptParser.Parse(
        Preamble + "\n\n# Query:\n```\nName a fruit.\n```\n\n# Answer:\n```\nApple.\n```\n", "tiny.txt", "tiny");

    /// <summary>The prompt's example query, the target (id 9) and one other query, all answered.</summary>
    private static readonly TeacherAnswers TeacherSet = Teacher(
        Answer(1, "Name a fruit.", "A banana is a fine fruit."),
        Answer(9, "Name a colour.", "Blue, like the sky."),
        Answer(3, "Name a planet.", "Mars, the red planet."));

    private static readonly InstructionRecord Target = Record(RecordId.FromNumber(9), "Name a colour.");

    private readonly ScratchDirectory _dir = new();
    private readonly CountingSummarizer _summarizer = new();
    private JsonlCache? _cache;

    public void Dispose()
    {
        _cache?.Dispose();
        _dir.Dispose();
    }

    private static string Block(string header, string text) => $"{header}\n```\n{text}\n```\n\n";

    private const string OpenAnswer = "# Answer:\n```\n";

    private string Render(InContextVariant variant, UrialPrompt? prompt = null, int k = 1)
    {
        _cache ??= JsonlCache.Open(_dir.File("summaries.jsonl"));
        var settings = new InContextSettings
        {
            Variant = variant,
            Prompt = prompt ?? Tiny,
            Teacher = TeacherSet,
            K = k,
            Selection = ExampleSelection.Random,
            Summaries = new CachedSummaries(_summarizer, _cache),
        };
        var format = Assert.IsType<InContextAnswerFormat>(settings.CreateFormat());
        return format.InContextPrompt.Render(Target, TestContext.Current.CancellationToken);
    }

    [Fact]
    public void Teacher_keeps_the_prompt_s_example_queries_with_the_teacher_s_answers()
        => Assert.Equal(
            Preamble + "\n\n" + Block("# Query:", "Name a fruit.") + Block("# Answer:", "A banana is a fine fruit.") + Block("# Query:", "Name a colour.") + OpenAnswer,
            Render(new InContextVariant(InContextExamples.Teacher, Summary: false)));

    [Fact]
    public void Dynamic_shows_another_query_s_teacher_answer()
    {
        // K = 2 of the two other queries: both are shown, whatever the draw's order; never the target's own.
        var prompt = Render(new InContextVariant(InContextExamples.Dynamic, Summary: false), k: 2);
        var fruit = Block("# Query:", "Name a fruit.") + Block("# Answer:", "A banana is a fine fruit.");
        var planet = Block("# Query:", "Name a planet.") + Block("# Answer:", "Mars, the red planet.");
        var tail = Block("# Query:", "Name a colour.") + OpenAnswer;
        Assert.Contains(prompt, new[] { Preamble + "\n\n" + fruit + planet + tail, Preamble + "\n\n" + planet + fruit + tail });
    }

    [Fact]
    public void Urial_with_summary_summarizes_the_prompt_s_own_answer_and_the_teacher_s_answer_to_the_target()
    {
        Assert.Equal(
            Preamble + "\n\n" + Block("# Query:", "Name a fruit.") + Block("# Summary:", "Summary of: Apple.") + Block("# Answer:", "Apple.")
            + Block("# Query:", "Name a colour.") + Block("# Summary:", "Summary of: Blue, like the sky.") + OpenAnswer,
            Render(new InContextVariant(InContextExamples.Urial, Summary: true)));
        Assert.Equal([("Name a fruit.", "Apple."), ("Name a colour.", "Blue, like the sky.")], _summarizer.Calls);
    }

    [Fact]
    public void Summary_alone_is_teacher_examples_with_summaries()
        => Assert.Equal(
            Preamble + "\n\n" + Block("# Query:", "Name a fruit.") + Block("# Summary:", "Summary of: A banana is a fine fruit.")
            + Block("# Answer:", "A banana is a fine fruit.") + Block("# Query:", "Name a colour.") + Block("# Summary:", "Summary of: Blue, like the sky.") + OpenAnswer,
            Render(InContextVariant.Parse("summary")));

    [Fact]
    public void Dynamic_with_summary_summarizes_each_shown_answer()
    {
        var pool = Teacher(Answer(9, "Name a colour.", "Blue, like the sky."), Answer(3, "Name a planet.", "Mars, the red planet."));
        _cache = JsonlCache.Open(_dir.File("other.jsonl"));
        var settings = new InContextSettings
        {
            Variant = InContextVariant.Parse("dynamic+summary"),
            Prompt = UrialPrompts.BuiltIn("zero"),
            Teacher = pool,
            K = 1,
            Summaries = new CachedSummaries(_summarizer, _cache),
        };
        var format = Assert.IsType<InContextAnswerFormat>(settings.CreateFormat());
        Assert.Equal(
            Block("# Query:", "Name a planet.") + Block("# Summary:", "Summary of: Mars, the red planet.") + Block("# Answer:", "Mars, the red planet.")
            + Block("# Query:", "Name a colour.") + Block("# Summary:", "Summary of: Blue, like the sky.") + OpenAnswer,
            format.InContextPrompt.Render(Target, TestContext.Current.CancellationToken));
    }

    [Fact]
    public void An_unfenced_prompt_lays_the_summary_out_like_its_other_blocks()
    {
        var plain = UrialPromptParser.Parse("# User:\n\nName a fruit.\n\n\n\n# Assistant:\n\nApple.\n", "plain.txt", "plain");
        Assert.Equal(
            "# User:\n\nName a fruit.\n\n\n\n# Summary:\n\nSummary of: A banana is a fine fruit.\n\n\n\n# Assistant:\n\nA banana is a fine fruit.\n\n\n\n"
            + "# User:\n\nName a colour.\n\n\n\n# Summary:\n\nSummary of: Blue, like the sky.\n\n\n\n# Assistant:\n\n",
            Render(InContextVariant.Parse("teacher+summary"), plain));
    }

    [Fact]
    public void Plain_urial_is_the_urial_format_itself()
    {
        var format = new InContextSettings { Variant = InContextVariant.Parse("urial"), Prompt = Tiny }.CreateFormat();
        Assert.IsType<UrialAnswerFormat>(format);
        Assert.Equal(Tiny.RenderQuery("Name a colour."), Tiny.RenderBlocks([new UrialTurn("# Query:", "Name a colour.")], keepExamples: true));
    }

    [Fact]
    public void The_format_records_every_setting_that_decides_the_answers()
    {
        _cache = JsonlCache.Open(_dir.File("s.jsonl"));
        var settings = new InContextSettings
        {
            Variant = InContextVariant.Parse("dynamic+summary"),
            Prompt = Tiny,
            Teacher = TeacherSet,
            K = 2,
            Selection = ExampleSelection.KnnAnswer,
            Embedder = new HandEmbedder(new Dictionary<string, float[]>(), "hand-embedder"),
            Summaries = new CachedSummaries(_summarizer, _cache),
        };
        var format = settings.CreateFormat();
        var expected = new JsonObject
        {
            ["format"] = "urial-icl",
            ["icl"] = "dynamic+summary",
            ["prompt"] = "tiny",
            ["prompt_sha256"] = Tiny.Sha256,
            ["teacher_sha256"] = "teacher-sha",
            ["icl_k"] = 2,
            ["selection"] = "knn-answer",
            ["embedder"] = "hand-embedder",
            ["summarizer"] = "counting",
            ["summary_prompt_sha256"] = "prompt-1",
        };
        Assert.True(JsonNode.DeepEquals(expected, format.Describe()), format.Describe().ToJsonString());
        Assert.Equal("base+URIAL=tiny+ICL=dynamic:knn-answer:2+summary", format.GeneratorName("base"));
    }

    [Fact]
    public void A_prompt_example_query_the_teacher_lacks_is_named()
    {
        var settings = new InContextSettings
        {
            Variant = InContextVariant.Parse("teacher"),
            Prompt = Tiny,
            Teacher = Teacher(Answer(9, "Name a colour.", "Blue.")),
        };
        var error = Assert.Throws<DataFormatException>(settings.CreateFormat);
        Assert.Equal("teacher.jsonl: the teacher has no answer to the query 'Name a fruit.' (an example query of prompt 'tiny')", error.Message);
    }

    [Fact]
    public void A_target_the_teacher_lacks_is_named_when_summaries_need_it()
    {
        var format = Assert.IsType<InContextAnswerFormat>(new InContextSettings
        {
            Variant = InContextVariant.Parse("teacher+summary"),
            Prompt = Tiny,
            Teacher = TeacherSet,
            Summaries = new CachedSummaries(_summarizer, _cache ??= JsonlCache.Open(_dir.File("t.jsonl"))),
        }.CreateFormat());
        var error = Assert.Throws<DataFormatException>(() => format.InContextPrompt.CheckTargets([Target, Record(RecordId.FromString("x"), "Name a river.")]));
        Assert.Equal("teacher.jsonl: the teacher has no answer to the query 'Name a river.' (instruction \"x\" of the data, whose summary the summary variant shows)", error.Message);
        Assert.Empty(_summarizer.Calls);
    }
}
