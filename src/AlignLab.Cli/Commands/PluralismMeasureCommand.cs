using System.CommandLine;
using AlignLab.Embeddings;
using AlignLab.Pluralism;

namespace AlignLab.Cli.Commands;

/// <summary>
/// <c>alignlab pluralism measure --ref FILE --alt FILE... --out DIR [--embedder MODEL] [--threads N]</c>: the
/// diversity of each set's samples and, with an embedder, each alternative's similarity to the reference.
/// </summary>
internal static class PluralismMeasureCommand
{
    private const string Name = "pluralism measure";

    public static Command Build(CliContext context)
    {
        var reference = new Option<string>("--ref") { HelpName = "FILE", Description = "The reference (aligned) samples: 'pluralism sample' output or a Just-Eval answer set." };
        var alternatives = new Option<string[]>("--alt") { HelpName = "FILE", AllowMultipleArgumentsPerToken = true, Description = "Alternative sample sets, compared with the reference (named after their files)." };
        var output = new Option<string>("--out") { HelpName = "DIR", Description = "Writes instructions.jsonl and summary.json there." };
        var embedder = new Option<string?>("--embedder") { HelpName = "MODEL", Description = "A local model whose last layer's mean-pooled hidden states embed the samples, or an OpenAI-compatible embeddings endpoint http(s)://HOST:PORT/v1#MODEL (embedding cosine, similarity to the reference)." };
        var threads = new Option<int?>("--threads") { HelpName = "N", Description = "Most threads the embedder's forward pass uses (default: all cores)." };
        var command = new Command("measure", "Diversity of each model's samples, and similarity of alternatives to the reference answers: per-instruction JSONL and a summary with bootstrap intervals.")
        {
            reference, alternatives, output, embedder, threads,
        };
        command.SetAction(parse => Run(context, parse.GetValue(reference), parse.GetValue(alternatives) ?? [], parse.GetValue(output), parse.GetValue(embedder), parse.GetValue(threads)));
        return command;
    }

    private static int Run(CliContext context, string? referencePath, string[] alternativePaths, string? output, string? embedderModel, int? threads)
    {
        if (string.IsNullOrWhiteSpace(referencePath))
        {
            throw new UsageException($"{Name}: --ref is required (the reference samples)");
        }
        if (string.IsNullOrWhiteSpace(output))
        {
            throw new UsageException($"{Name}: --out is required (a folder)");
        }
        ThreadCount.Check(threads, Name);
        var reference = SampleSet.Read(referencePath);
        var alternatives = alternativePaths.Select(SampleSet.Read).ToList();
        using var opened = embedderModel is null ? null : Embedders.Open(embedderModel, new EmbedderOptions { Threads = threads });
        var embedder = opened?.Embedder;
        try
        {
            PluralismMeasureRun.Execute(reference, alternatives, embedder, output);
        }
        catch (ArgumentException e) when (e.ParamName is null)
        {
            throw new UsageException($"{Name}: {ErrorLine.MessageOf(e)}", e);
        }
        context.Out.WriteLine(Path.Combine(output, PluralismMeasureRun.SummaryFile));
        return CliApp.ExitOk;
    }
}
