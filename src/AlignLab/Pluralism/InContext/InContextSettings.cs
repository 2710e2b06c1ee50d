using System.Globalization;
using System.Text.Json.Nodes;
using AlignLab.AnswerSets;
using AlignLab.Embeddings;
using AlignLab.Urial;

namespace AlignLab.Pluralism.InContext;

/// <summary>
/// Everything an in-context variant needs, and the answer format it makes. What each variant needs: <c>urial</c>,
/// the prompt; <c>teacher</c> and <c>dynamic</c>, the teacher; a k-NN selection, the embedder; <c>+summary</c>, the
/// teacher and the summaries (whose summarizer's name, with the prompt's hash, is recorded).
/// </summary>
public sealed record InContextSettings
{
    public required InContextVariant Variant { get; init; }

    /// <summary>The URIAL prompt: its preamble and frame always, its examples for <c>urial</c>, its example queries for <c>teacher</c>.</summary>
    public required UrialPrompt Prompt { get; init; }

    public TeacherAnswers? Teacher { get; init; }

    /// <summary>Examples per query of the dynamic variant.</summary>
    public int K { get; init; } = 3;

    public ExampleSelection Selection { get; init; } = ExampleSelection.Random;

    /// <summary>The run's seed: random selection draws from it and the query's id.</summary>
    public ulong Seed { get; init; }

    /// <summary>For a k-NN selection (best wrapped in a <see cref="CachedEmbedder"/>).</summary>
    public IEmbedder? Embedder { get; init; }

    public CachedSummaries? Summaries { get; init; }

    /// <summary>
    /// The format: the URIAL prompt as it is for plain <c>urial</c> (<see cref="UrialAnswerFormat"/>, so such a run is
    /// the same run as without <c>--icl</c>), otherwise an <see cref="InContextAnswerFormat"/>. A missing piece is an
    /// <see cref="ArgumentException"/> naming it; so is an example query of the prompt that the teacher lacks.
    /// </summary>
    public IAnswerFormat CreateFormat()
    {
        if (Variant == InContextVariant.Plain)
        {
            return new UrialAnswerFormat(Prompt);
        }
        var teacher = Variant.NeedsTeacher ? Teacher ?? throw new ArgumentException($"--icl {Variant.Name} needs the teacher's answers (--teacher FILE)") : null;
        var summaries = Variant.Summary ? Summaries ?? throw new ArgumentException($"--icl {Variant.Name} needs a summarizer (--summarizer MODEL)") : null;
        IExampleSource examples = Variant.Examples switch
        {
            InContextExamples.Urial => new UrialExamples(Prompt),
            InContextExamples.Teacher => new TeacherExamples(Prompt, teacher!),
            _ => new DynamicExamples(teacher!, Selector(), K),
        };
        return new InContextAnswerFormat(new InContextPrompt(Prompt, examples, summaries, teacher), Label(), Describe());
    }

    private IExampleSelector Selector() => Selection == ExampleSelection.Random
        ? new RandomSelector(Seed)
        : new NearestSelector(Embedder ?? throw new ArgumentException($"--selection {ExampleSelections.Name(Selection)} needs an embedder (--embedder MODEL)"), Selection);

    private bool IsDynamic => Variant.Examples == InContextExamples.Dynamic;

    private bool UsesEmbedder => IsDynamic && ExampleSelections.NeedsEmbedder(Selection);

    private string Label() => IsDynamic
        ? string.Create(CultureInfo.InvariantCulture, $"dynamic:{ExampleSelections.Name(Selection)}:{K}{(Variant.Summary ? "+summary" : "")}")
        : Variant.Name;

    /// <summary>The run's identity: a resumed run with any of these different is refused.</summary>
    private JsonObject Describe() => new()
    {
        ["format"] = "urial-icl",
        ["icl"] = Variant.Name,
        ["prompt"] = Prompt.Name,
        ["prompt_sha256"] = Prompt.Sha256,
        ["teacher_sha256"] = Teacher?.Sha256,
        ["icl_k"] = IsDynamic ? K : null,
        ["selection"] = IsDynamic ? ExampleSelections.Name(Selection) : null,
        ["embedder"] = UsesEmbedder ? Embedder?.Name : null,
        ["summarizer"] = Variant.Summary ? Summaries?.Summarizer.Name : null,
        ["summary_prompt_sha256"] = Variant.Summary ? Summaries?.Summarizer.PromptSha256 : null,
    };
}
