using System.CommandLine;
using AlignLab.Organism;

namespace AlignLab.Cli.Commands;

/// <summary>
/// <c>alignlab demo [--out DIR] [--fresh] [--threads N]</c>: builds (or reuses from the cache) the model organism — a
/// base model pretrained on a synthetic world and its fine-tuned assistant — then runs TDS on the held-out set with
/// the plain and the URIAL base prompt (<see cref="OrganismDemo"/>). Prints the report's path.
/// </summary>
internal static class DemoCommand
{
    public static Command Build(CliContext context)
    {
        var output = new Option<string>("--out") { HelpName = "DIR", DefaultValueFactory = _ => "alignlab-demo", Description = "Where the two TDS runs (DIR/plain, DIR/urial) and DIR/report.html go." };
        var fresh = new Option<bool>("--fresh") { Description = "Rebuild the organism's models (and the TDS runs) instead of reusing the cached ones." };
        var cache = new Option<string?>("--cache") { HelpName = "DIR", Description = "The organism cache (default: $XDG_CACHE_HOME/alignlab/organism, else ~/.cache/alignlab/organism); models live in DIR/<hash of the settings>." };
        var size = new Option<string>("--size") { HelpName = "demo|minimal", DefaultValueFactory = _ => "demo", Description = "demo: the organism sized for a first run of minutes; minimal: a seconds-long smoke test whose models learn little." };
        size.AcceptOnlyFromAmong("demo", "minimal");
        var threads = new Option<int?>("--threads") { HelpName = "N", Description = "Threads for training and inference (default: all cores)." };
        var command = new Command("demo", "Train a tiny base/aligned model pair on a synthetic world (cached under $XDG_CACHE_HOME/alignlab/organism), measure its token distribution shift with the plain and the URIAL base prompt, and write a report.")
        {
            output, fresh, cache, size, threads,
        };
        command.SetAction((parse, cancel) =>
        {
            var folder = parse.GetValue(output);
            if (string.IsNullOrWhiteSpace(folder))
            {
                throw new UsageException("demo: --out DIR must not be empty");
            }
            var count = ThreadCount.Check(parse.GetValue(threads), "demo");
            var organism = parse.GetValue(size) == "minimal" ? OrganismSettings.Minimal : OrganismSettings.Demo;
            var cacheRoot = parse.GetValue(cache) is { Length: > 0 } root ? root : OrganismPipeline.DefaultCacheRoot();
            return Task.FromResult(Run(context, new DemoRequest(folder, parse.GetValue(fresh), organism, cacheRoot, count), cancel));
        });
        return command;
    }

    private sealed record DemoRequest(string Out, bool Fresh, OrganismSettings Organism, string CacheRoot, int? Threads);

    private static int Run(CliContext context, DemoRequest request, CancellationToken cancel)
    {
        var settings = request.Threads is { } n
            ? request.Organism with { Base = request.Organism.Base with { Threads = n }, Aligned = request.Organism.Aligned with { Threads = n } }
            : request.Organism;
        if (request.Fresh)
        {
            OrganismPipeline.Discard(settings, request.CacheRoot);
        }
        var models = TrainingProgressView.Run(context.Err, "demo", progress => OrganismPipeline.Build(settings, request.CacheRoot, progress, cancel));
        var demo = new OrganismDemo(models, request.Out);
        if (request.Fresh)
        {
            demo.DiscardResults();
        }
        TdsProgress.Run(context.Err, progress => demo.RunTds(progress, RunReport.Writer(context), request.Threads, cancel));
        var report = demo.WriteReport();
        context.Err.WriteLine("demo: models in " + models.Directory);
        context.Err.WriteLine("demo: open the report: " + report);
        context.Out.WriteLine(report);
        return CliApp.ExitOk;
    }
}
