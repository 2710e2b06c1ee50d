using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using AlignLab.Data;

namespace AlignLab.Runs;

/// <summary>
/// A run's run.json: <c>{"tool": "alignlab", "version", "created", "command", ...models..., "options", "seed", "timings"}</c>.
/// Each command decides how it lists its models (TDS: "base" and "aligned"; a one-model command: "model")
/// by adding entries to <see cref="Models"/>, which are written at the top level in the order added.
/// Written atomically; a resumed run reads the previous one to keep its creation time and check that
/// it continues the same job.
/// </summary>
public sealed class RunManifest
{
    public const string FileName = "run.json";

    private static readonly JsonSerializerOptions WriteOptions = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public RunManifest(string command, DateTimeOffset created)
    {
        Command = command ?? throw new ArgumentNullException(nameof(command));
        Created = created;
    }

    /// <summary>The version of AlignLab that wrote the file.</summary>
    public static string ToolVersion { get; } =
        typeof(RunManifest).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(RunManifest).Assembly.GetName().Version?.ToString() ?? "unknown";

    public string Command { get; }

    public DateTimeOffset Created { get; }

    /// <summary>Model entries by key ("base", "aligned", "model", ...), see <see cref="ModelFingerprint.ToJson"/>.</summary>
    public JsonObject Models { get; } = [];

    /// <summary>Every option of the command, by its CLI name without dashes, snake_case.</summary>
    public JsonObject Options { get; } = [];

    public ulong? Seed { get; set; }

    /// <summary>Seconds and timestamps of the run's phases (the command decides the entries).</summary>
    public JsonObject Timings { get; } = [];

    /// <summary>What the run produced, for commands whose results have no summary file of their own (written when not empty).</summary>
    public JsonObject Results { get; } = [];

    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["tool"] = "alignlab",
            ["version"] = ToolVersion,
            ["created"] = Created.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["command"] = Command,
        };
        foreach (var (key, value) in Models)
        {
            json[key] = value?.DeepClone();
        }
        json["options"] = Options.DeepClone();
        json["seed"] = Seed;
        json["timings"] = Timings.DeepClone();
        if (Results.Count > 0)
        {
            json["results"] = Results.DeepClone();
        }
        return json;
    }

    public void Write(string path) => AtomicFile.WriteAllText(path, ToJson().ToJsonString(WriteOptions) + "\n");

    /// <summary>A previous run's run.json in <paramref name="folder"/>, or null when there is none.</summary>
    public static JsonObject? ReadPrevious(string folder, ReadLimits? limits = null) => ReadFile(Path.Combine(folder, FileName), limits);

    /// <summary>A previous run's manifest at <paramref name="path"/> (for runs that name it after their output), or null when there is none.</summary>
    public static JsonObject? ReadFile(string path, ReadLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            return null;
        }
        (limits ?? ReadLimits.Default).CheckFileSize(path, new FileInfo(path).Length);
        try
        {
            return JsonNode.Parse(File.ReadAllBytes(path)) as JsonObject
                ?? throw DataFormatException.At(path, 1, "expected a JSON object");
        }
        catch (JsonException e)
        {
            throw DataFormatException.At(path, (e.LineNumber ?? 0) + 1, "not valid JSON: " + e.Message);
        }
    }
}
