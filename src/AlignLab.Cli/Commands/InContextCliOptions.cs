using System.CommandLine;
using System.Globalization;
using AlignLab.Pluralism.InContext;

namespace AlignLab.Cli.Commands;

/// <summary>What <c>--icl</c> and its companion options asked for, validated; <see cref="Variant"/> null when <c>--icl</c> was not given.</summary>
internal sealed record InContextChoice(
    InContextVariant Variant, string? Teacher, int K, ExampleSelection Selection, string? Embedder, string? Summarizer, string? SummaryCache)
{
    public bool IsPlain => Variant == InContextVariant.Plain;

    public bool UsesEmbedder => Variant.Examples == InContextExamples.Dynamic && ExampleSelections.NeedsEmbedder(Selection);
}

/// <summary>
/// The in-context options of <c>pluralism sample</c>: <c>--icl VARIANT</c>, <c>--teacher FILE</c>, <c>--icl-k K</c>,
/// <c>--selection random|knn-query|knn-answer</c>, <c>--embedder MODEL</c>, <c>--summarizer MODEL</c> and
/// <c>--summary-cache FILE</c>. Each companion option is accepted only with a variant that uses it, and required by one
/// that needs it, so a run never silently ignores what it was told.
/// </summary>
internal sealed class InContextCliOptions
{
    private readonly Option<string?> _icl = new("--icl")
    {
        HelpName = "VARIANT",
        Description = "In-context variant for a base model: urial (the prompt's examples; the default), teacher (the prompt's example queries answered by --teacher), "
            + "dynamic (--icl-k of the teacher's answers to other queries, chosen by --selection), or any of them with +summary (a '# Summary:' of each "
            + "answer, and of the teacher's answer to the target, by --summarizer); summary alone is teacher+summary.",
    };

    private readonly Option<string?> _teacher = new("--teacher") { HelpName = "FILE", Description = "The teacher: an aligned model's Just-Eval answer set (JSON or JSON Lines with \"instruction\" and \"output\"), matched by instruction text." };
    private readonly Option<int?> _k = new("--icl-k") { HelpName = "K", Description = "Examples per query of --icl dynamic (default 3)." };
    private readonly Option<string?> _selection = new("--selection") { HelpName = "random|knn-query|knn-answer", Description = "How --icl dynamic chooses: at random (by --seed and the query's id; the default), or the nearest to the target query's embedding by the other queries' embeddings or by the teacher answers' embeddings." };
    private readonly Option<string?> _embedder = new("--embedder") { HelpName = "MODEL", Description = "A local model whose last layer's mean-pooled hidden states embed the texts for a knn selection (cached in FILE.embeddings.jsonl beside --out)." };
    private readonly Option<string?> _summarizer = new("--summarizer") { HelpName = "MODEL", Description = "A chat model (local or http://HOST:PORT/v1#MODEL) that writes the summaries of +summary." };
    private readonly Option<string?> _summaryCache = new("--summary-cache") { HelpName = "FILE", Description = "Where summaries are cached (default FILE.summaries.jsonl beside --out); runs may share one." };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _icl, _teacher, _k, _selection, _embedder, _summarizer, _summaryCache })
        {
            command.Options.Add(option);
        }
    }

    /// <param name="chatPrompt">Whether <c>--prompt chat</c> was given: in-context examples need a URIAL prompt.</param>
    public InContextChoice Read(ParseResult parse, string command, bool chatPrompt)
    {
        var icl = parse.GetValue(_icl);
        if (icl is not null && chatPrompt)
        {
            throw new UsageException($"{command}: --icl builds a base model's URIAL prompt: it cannot be combined with --prompt chat");
        }
        InContextVariant variant;
        try
        {
            variant = icl is null ? InContextVariant.Plain : InContextVariant.Parse(icl);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"{command}: --icl: {ErrorLine.MessageOf(e)}", e);
        }
        var dynamic = variant.Examples == InContextExamples.Dynamic;
        var k = parse.GetValue(_k);
        var selectionName = parse.GetValue(_selection);
        Allow(command, "--icl-k", k is not null, dynamic, "--icl dynamic");
        Allow(command, "--selection", selectionName is not null, dynamic, "--icl dynamic");
        if (k is < 1)
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"{command}: --icl-k {k} must be at least 1"));
        }
        ExampleSelection selection;
        try
        {
            selection = selectionName is null ? ExampleSelection.Random : ExampleSelections.Parse(selectionName);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"{command}: --selection: {ErrorLine.MessageOf(e)}", e);
        }
        var choice = new InContextChoice(variant, parse.GetValue(_teacher), k ?? 3, selection, parse.GetValue(_embedder), parse.GetValue(_summarizer),
            parse.GetValue(_summaryCache));
        var variantName = "--icl " + variant.Name;
        Match(command, "--teacher FILE", choice.Teacher, variant.NeedsTeacher, "--icl teacher, dynamic or a +summary variant", variantName);
        Match(command, "--embedder MODEL", choice.Embedder, choice.UsesEmbedder, "--icl dynamic with --selection knn-query or knn-answer",
            "--selection " + ExampleSelections.Name(selection));
        Match(command, "--summarizer MODEL", choice.Summarizer, variant.Summary, "a +summary variant of --icl", variantName);
        Allow(command, "--summary-cache", choice.SummaryCache is not null, variant.Summary, "a +summary variant of --icl");
        return choice;
    }

    /// <summary>An option that is given must be used.</summary>
    private static void Allow(string command, string option, bool given, bool used, string usedBy)
    {
        if (given && !used)
        {
            throw new UsageException($"{command}: {option} applies only to {usedBy}");
        }
    }

    /// <summary>An option is given exactly when it is used.</summary>
    private static void Match(string command, string option, string? value, bool used, string usedBy, string neededBy)
    {
        Allow(command, option.Split(' ')[0], value is not null, used, usedBy);
        if (used && string.IsNullOrWhiteSpace(value))
        {
            throw new UsageException($"{command}: {neededBy} needs {option}");
        }
    }
}
