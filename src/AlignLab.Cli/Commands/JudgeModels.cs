using AlignLab.Backends;
using AlignLab.Backends.Remote;
using AlignLab.Engine.Models;
using AlignLab.Runs;

namespace AlignLab.Cli.Commands;

/// <summary>Opening a judge model for the commands that ask one (<c>judge</c>, <c>pluralism measure</c>).</summary>
internal static class JudgeModels
{
    /// <summary>
    /// The judge, ready to chat: a served one with the API key from <paramref name="apiKeyVariable"/> (a warning when it
    /// would travel unencrypted to another machine) and the run's concurrency; a local one must have a chat template,
    /// checked now rather than per request.
    /// </summary>
    public static ILanguageModel Open(CliContext context, string judge, string apiKeyVariable, int? threads, int concurrency)
    {
        var model = LanguageModels.Open(judge,
            new LocalModelOptions { Threads = threads },
            new RemoteModelOptions { ApiKey = ServedApiKey.Read(context, judge, apiKeyVariable), Concurrency = concurrency });
        try
        {
            if (!LanguageModels.IsRemote(judge))
            {
                model.RenderChat("", null);
            }
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>What identifies the judge for a cache, without loading weights or contacting a server.</summary>
    public static ModelFingerprint FingerprintWithoutLoading(string judge)
    {
        if (LanguageModels.IsRemote(judge))
        {
            return new ModelFingerprint(judge, null, null);
        }
        using var files = LocalModel.Open(judge);
        return ModelFingerprint.Of(judge, files.Path);
    }
}
