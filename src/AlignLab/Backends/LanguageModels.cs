using AlignLab.Backends.Remote;

namespace AlignLab.Backends;

/// <summary>
/// The one way research code opens a MODEL argument: <c>http(s)://HOST:PORT/v1#MODEL</c> is a model behind an
/// OpenAI-compatible server (<see cref="RemoteLanguageModel"/>); anything else is model files on this machine
/// (<see cref="LocalLanguageModel"/>: a GGUF file, a Hugging Face folder or a cached hub id).
/// </summary>
public static class LanguageModels
{
    /// <summary>Whether <paramref name="reference"/> names a served model rather than local files.</summary>
    public static bool IsRemote(string reference)
        => reference is not null
           && (reference.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || reference.StartsWith("https://", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Opens <paramref name="reference"/>. <paramref name="local"/> applies to both kinds for the chat template
    /// (<see cref="LocalModelOptions.ChatTemplatePath"/>) and to local models for threads; <paramref name="remote"/>
    /// (tokenizer, API key, timeouts, retries, concurrency) to served ones.
    /// </summary>
    public static ILanguageModel Open(string reference, LocalModelOptions? local = null, RemoteModelOptions? remote = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(reference);
        return IsRemote(reference)
            ? RemoteLanguageModel.Open(reference, remote, local?.ChatTemplatePath)
            : LocalLanguageModel.Open(reference, local);
    }
}
