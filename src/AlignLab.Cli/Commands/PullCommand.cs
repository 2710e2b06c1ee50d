using System.CommandLine;
using AlignLab.Engine.Hub;

namespace AlignLab.Cli.Commands;

/// <summary>
/// <c>alignlab pull ORG/NAME [--revision R] [--include GLOB]...</c>: downloads a model from the
/// Hugging Face hub into the shared hub cache and prints the snapshot folder on stdout.
/// </summary>
internal static class PullCommand
{
    public static Command Build(CliContext context)
    {
        var model = new Argument<string>("MODEL") { Description = "Hub id ORG/NAME, optionally ORG/NAME@REVISION." };
        var revision = new Option<string?>("--revision") { Description = "Branch, tag or commit to download (default: main)." };
        var include = new Option<string[]>("--include")
        {
            Description = "Also download files matching this glob (repeatable; * and ? stay within a folder, ** crosses folders), "
                + "e.g. --include \"*Q4_K_M.gguf\". Always downloaded: " + string.Join(", ", HubFileSelection.DefaultPatterns) + ".",
        };
        var command = new Command("pull",
            "Download a model from the Hugging Face hub into its cache ($HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub) "
            + "and print the snapshot folder. Uses HF_TOKEN for gated or private models and HF_ENDPOINT for mirrors; "
            + "an interrupted download resumes when run again.");
        command.Arguments.Add(model);
        command.Options.Add(revision);
        command.Options.Add(include);
        command.SetAction((parse, cancel) =>
        {
            var (repo, rev) = ParseModel(parse.GetValue(model)!, parse.GetValue(revision));
            return RunAsync(context, repo, rev, new HubFileSelection(parse.GetValue(include)), cancel);
        });
        return command;
    }

    private static (RepoId Repo, string Revision) ParseModel(string text, string? revisionOption)
    {
        if (!RepoId.TryParseWithRevision(text, out var repo, out var revision))
        {
            throw new UsageException($"\"{text}\" is not a hub model id ORG/NAME[@REVISION]");
        }
        if (revision is not null && revisionOption is not null && revision != revisionOption)
        {
            throw new UsageException($"revision given twice: @{revision} and --revision {revisionOption}");
        }
        var chosen = revisionOption ?? revision ?? "main";
        return RepoId.IsSafeRevision(chosen) ? (repo!, chosen) : throw new UsageException($"\"{chosen}\" is not a usable revision name");
    }

    private static async Task<int> RunAsync(CliContext context, RepoId repo, string revision, HubFileSelection selection, CancellationToken cancel)
    {
        using var downloader = new HubDownloader(HubSettings.FromEnvironment());
        var result = await PullProgress.RunAsync(context.Err,
            progress => downloader.PullAsync(repo, revision, selection, progress, cancel)).ConfigureAwait(false);
        context.Out.WriteLine(result.SnapshotFolder);
        return CliApp.ExitOk;
    }
}
