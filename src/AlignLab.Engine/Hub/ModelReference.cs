using AlignLab.Engine.Formats.Gguf;

namespace AlignLab.Engine.Hub;

public enum ModelReferenceKind
{
    /// <summary>A GGUF file (given directly, or the single .gguf in a folder or snapshot).</summary>
    GgufFile,

    /// <summary>A Hugging Face style folder: it has config.json or tokenizer.json.</summary>
    ModelFolder,

    /// <summary>An OpenAI-compatible server and the model name to ask it for.</summary>
    Endpoint,
}

/// <summary>
/// What a model argument on the command line refers to. <see cref="Resolve(string)"/> tries, in
/// order: an existing file (must be GGUF); an existing folder (config.json or tokenizer.json makes it
/// a model folder, else exactly one *.gguf in it is used); <c>http(s)://HOST:PORT/v1#MODEL</c>; a hub
/// id <c>ORG/NAME[@REVISION]</c> already in the Hugging Face cache (revision default "main"), whose
/// snapshot folder is then read by the folder rule. Nothing is downloaded here.
/// </summary>
public sealed record ModelReference
{
    public required ModelReferenceKind Kind { get; init; }

    /// <summary>The text the user gave.</summary>
    public required string Text { get; init; }

    /// <summary>The GGUF file or model folder; null for an endpoint.</summary>
    public string? Path { get; init; }

    /// <summary>For an endpoint: the base URL, e.g. http://127.0.0.1:8000/v1.</summary>
    public Uri? EndpointBase { get; init; }

    /// <summary>For an endpoint: the model name after '#'.</summary>
    public string? EndpointModel { get; init; }

    /// <summary>The hub repository when the reference came from the cache.</summary>
    public RepoId? Repo { get; init; }

    public string? Revision { get; init; }

    public static ModelReference Resolve(string text) => Resolve(text, new HubCache(HubSettings.FromEnvironment().CacheDirectory));

    public static ModelReference Resolve(string text, HubCache cache)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(cache);
        var tried = new List<string>();
        if (File.Exists(text))
        {
            return GgufFile.HasMagic(text)
                ? new ModelReference { Kind = ModelReferenceKind.GgufFile, Text = text, Path = text }
                : throw new ModelReferenceException($"model \"{text}\": a file, but not a GGUF file (no GGUF magic); for a Hugging Face model give its folder");
        }
        tried.Add("not a file");
        if (Directory.Exists(text))
        {
            return FromFolder(text, text) ?? throw new ModelReferenceException(
                $"model \"{text}\": a folder, but without config.json, tokenizer.json or exactly one .gguf file");
        }
        tried.Add("not a folder");
        if (TryEndpoint(text) is { } endpoint)
        {
            return endpoint;
        }
        tried.Add("not an http(s)://HOST:PORT/v1#MODEL endpoint");
        if (RepoId.TryParseWithRevision(text, out var repo, out var revision))
        {
            if (cache.TryResolveSnapshot(repo!, revision ?? "main") is { } snapshot)
            {
                return (FromFolder(snapshot, text) ?? throw new ModelReferenceException(
                    $"model \"{text}\": the cached snapshot {snapshot} has no config.json, tokenizer.json or single .gguf file (run: alignlab pull {text})"))
                    with { Repo = repo, Revision = revision ?? "main" };
            }
            tried.Add($"not in the Hugging Face cache at {cache.Root} (run: alignlab pull {repo}{(revision is null ? "" : " --revision " + revision)})");
        }
        else
        {
            tried.Add("not a hub id ORG/NAME[@REVISION]");
        }
        throw new ModelReferenceException($"model \"{text}\": {string.Join(", ", tried)}");
    }

    private static ModelReference? FromFolder(string folder, string text)
    {
        if (File.Exists(System.IO.Path.Combine(folder, "config.json")) || File.Exists(System.IO.Path.Combine(folder, "tokenizer.json")))
        {
            return new ModelReference { Kind = ModelReferenceKind.ModelFolder, Text = text, Path = folder };
        }
        var ggufs = Directory.GetFiles(folder, "*.gguf");
        return ggufs.Length == 1 ? new ModelReference { Kind = ModelReferenceKind.GgufFile, Text = text, Path = ggufs[0] } : null;
    }

    private static ModelReference? TryEndpoint(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Fragment.Length < 2)
        {
            return null;
        }
        return new ModelReference
        {
            Kind = ModelReferenceKind.Endpoint,
            Text = text,
            EndpointBase = new Uri(uri.GetLeftPart(UriPartial.Query)),
            EndpointModel = Uri.UnescapeDataString(uri.Fragment[1..]),
        };
    }

    public override string ToString() => Kind switch
    {
        ModelReferenceKind.Endpoint => $"{EndpointBase}#{EndpointModel}",
        _ => Path!,
    };
}

/// <summary>A model argument that names nothing usable; the message lists everything that was tried.</summary>
public sealed class ModelReferenceException : Exception
{
    public ModelReferenceException(string message) : base(message) { }

    public ModelReferenceException(string message, Exception inner) : base(message, inner) { }

    public ModelReferenceException() : base("model not found") { }
}
