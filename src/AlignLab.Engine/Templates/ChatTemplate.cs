namespace AlignLab.Engine.Templates;

/// <summary>
/// A parsed chat template. Parse once, render many times (also concurrently): rendering matches
/// Python Jinja2 as Hugging Face transformers applies chat templates — an ImmutableSandboxedEnvironment
/// with trim_blocks, lstrip_blocks and loop controls, json.dumps-based <c>tojson</c>, and the
/// <c>raise_exception</c> and <c>strftime_now</c> globals.
/// </summary>
public sealed class ChatTemplate
{
    private readonly IReadOnlyList<Node> _body;

    private ChatTemplate(string name, string source, IReadOnlyList<Node> body)
    {
        Name = name;
        Source = source;
        _body = body;
    }

    /// <summary>Largest chat template file <see cref="ReadFile"/> accepts.</summary>
    public const long MaxFileBytes = 1 << 20;

    /// <summary>A Jinja chat template file, parsed; refuses a missing file or one over <see cref="MaxFileBytes"/> in one line.</summary>
    public static ChatTemplate ReadFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"{path}: file not found", path);
        }
        if (info.Length > MaxFileBytes)
        {
            throw new InvalidDataException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{path}: {info.Length} bytes, more than the limit of {MaxFileBytes} for a chat template"));
        }
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>The name errors refer to (a file name, or "chat_template").</summary>
    public string Name { get; }

    public string Source { get; }

    /// <exception cref="TemplateSyntaxException">The source does not parse; the message names template, line and column.</exception>
    public static ChatTemplate Parse(string source, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        var templateName = string.IsNullOrEmpty(name) ? "chat_template" : name;
        return new ChatTemplate(templateName, source, Parser.Parse(templateName, source));
    }

    /// <summary>
    /// Renders with the given variables. Values may be JSON (<c>JsonElement</c>, <c>JsonNode</c>),
    /// .NET primitives, dictionaries and lists; see <see cref="TemplateValues.From"/>.
    /// </summary>
    /// <exception cref="TemplateException">The template failed (its message is Jinja2's), raised an error itself, or hit a sandbox limit.</exception>
    public string Render(IReadOnlyDictionary<string, object?> variables, TemplateOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var globals = new Scope(null);
        foreach (var (name, value) in variables)
        {
            globals.Set(name, TemplateValues.From(value));
        }
        return new Evaluator(options ?? TemplateOptions.Default).Render(_body, new Scope(globals));
    }

    /// <summary>
    /// Renders a conversation the way <c>tokenizer.apply_chat_template</c> does: <c>messages</c>,
    /// <c>add_generation_prompt</c>, <c>bos_token</c> and <c>eos_token</c>, plus any extra variables
    /// (<c>tools</c>, <c>enable_thinking</c>, ...), which win over the four.
    /// </summary>
    public string RenderConversation(
        object messages,
        bool addGenerationPrompt,
        string bosToken = "",
        string eosToken = "",
        IReadOnlyDictionary<string, object?>? extraVariables = null,
        TemplateOptions? options = null)
    {
        var variables = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["messages"] = messages,
            ["add_generation_prompt"] = addGenerationPrompt,
            ["bos_token"] = bosToken,
            ["eos_token"] = eosToken,
        };
        foreach (var (name, value) in extraVariables ?? new Dictionary<string, object?>())
        {
            variables[name] = value;
        }
        return Render(variables, options);
    }
}
