using AlignLab.Engine.Templates;
using BenchmarkDotNet.Attributes;

namespace AlignLab.Bench;

/// <summary>
/// Rendering real chat templates (parsed once) for a 10-message conversation, and parsing them.
/// Needs ../shared/fixtures/chat-templates. Run: dotnet run -c Release --project bench/AlignLab.Bench -- --filter '*ChatTemplate*'
/// </summary>
[MemoryDiagnoser]
public class ChatTemplateBenchmarks
{
    private string _source = "";
    private ChatTemplate _template = null!;
    private Dictionary<string, object?> _variables = null!;

    [Params("Qwen-Qwen3-0.6B", "meta-llama-Llama-3.1-8B-Instruct", "openai-gpt-oss-120b", "google-gemma-4-31B-it")]
    public string Template { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _source = File.ReadAllText(Path.Combine(FindShared(), "fixtures", "chat-templates", Template + ".jinja"));
        _template = ChatTemplate.Parse(_source, Template);
        var messages = new List<object?> { new Dictionary<string, object?> { ["role"] = "system", ["content"] = "You are a helpful assistant." } };
        for (var i = 0; i < 9; i++)
        {
            messages.Add(new Dictionary<string, object?>
            {
                ["role"] = i % 2 == 0 ? "user" : "assistant",
                ["content"] = $"Message number {i}: a typical sentence or two of chat content, long enough to be realistic.",
            });
        }
        _variables = new Dictionary<string, object?>
        {
            ["messages"] = messages,
            ["add_generation_prompt"] = true,
            ["bos_token"] = "<s>",
            ["eos_token"] = "</s>",
        };
        // Fail early rather than benchmark an error path.
        _ = _template.Render(_variables);
    }

    [Benchmark]
    public string Render() => _template.Render(_variables);

    [Benchmark]
    public ChatTemplate Parse() => ChatTemplate.Parse(_source, Template);

    private static string FindShared()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "..", "shared");
            if (File.Exists(Path.Combine(dir.FullName, "AlignLab.sln")) && Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException("../shared (the fixtures beside the repository) was not found");
    }
}
