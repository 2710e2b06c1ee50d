using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using AlignLab.Engine.Formats;
using AlignLab.Engine.Models;
using AlignLab.Engine.Templates;

namespace AlignLab.Cli.Commands;

/// <summary>
/// <c>alignlab chat-template (MODEL | --template FILE) --cases CASES.json [--now ISO-8601]</c>: renders
/// each case with the chat template, as transformers' apply_chat_template would, and prints one
/// JSON array line: per case the rendered string, or {"error": message} when the template fails.
/// </summary>
internal static class ChatTemplateCommand
{
    private static readonly Argument<string?> ModelArgument = new("MODEL")
    {
        Description = "A model whose template to use: a GGUF file (tokenizer.chat_template), a model folder (tokenizer_config.json, else chat_template.jinja), or a hub id in the local cache.",
        Arity = ArgumentArity.ZeroOrOne,
    };

    private static readonly Option<string?> TemplateOption = new("--template")
    {
        HelpName = "FILE.jinja",
        Description = "A Jinja chat template file to use instead of MODEL.",
    };

    private static readonly Option<string> CasesOption = new("--cases")
    {
        HelpName = "CASES.json",
        Description = "JSON array of cases: {\"messages\": [...], \"add_generation_prompt\": bool, \"bos_token\": \"...\", \"eos_token\": \"...\"}; other keys become template variables.",
        Required = true,
    };

    private static readonly Option<string?> NowOption = new("--now")
    {
        HelpName = "ISO-8601",
        Description = "The time strftime_now reports (ISO-8601, e.g. 2026-01-02T03:04:05); default: the current local time.",
    };

    public static Command Create(CliContext context)
    {
        var command = new Command("chat-template", "Render conversations with a chat template exactly as Hugging Face transformers does.")
        {
            ModelArgument,
            TemplateOption,
            CasesOption,
            NowOption,
        };
        command.SetAction(parse => Run(context, ChatTemplateSettings.From(
            parse.GetValue(ModelArgument), parse.GetValue(TemplateOption), parse.GetValue(CasesOption)!, parse.GetValue(NowOption))));
        return command;
    }

    private static int Run(CliContext context, ChatTemplateSettings settings)
    {
        var template = LoadTemplate(settings);
        var cases = ChatTemplateCases.Load(settings.CasesPath);
        var options = new TemplateOptions { Now = settings.Now };
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartArray();
            foreach (var variables in cases)
            {
                WriteResult(writer, template, variables, options);
            }
            writer.WriteEndArray();
        }
        context.Out.WriteLine(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
        return CliApp.ExitOk;
    }

    private static ChatTemplate LoadTemplate(ChatTemplateSettings settings)
    {
        if (settings.TemplatePath is { } path)
        {
            return File.Exists(path) ? ChatTemplate.Parse(File.ReadAllText(path), path) : throw new FileNotFoundException($"{path}: file not found");
        }
        using var model = LocalModel.Open(settings.ModelPath!);
        return model.LoadChatTemplate();
    }

    /// <summary>A template failure is that case's result, not the command's: the others still render.</summary>
    private static void WriteResult(Utf8JsonWriter writer, ChatTemplate template, IReadOnlyDictionary<string, object?> variables, TemplateOptions options)
    {
        string rendered;
        try
        {
            rendered = template.Render(variables, options);
        }
        catch (TemplateException e)
        {
            writer.WriteStartObject();
            writer.WriteString("error", e.Message);
            writer.WriteEndObject();
            return;
        }
        writer.WriteStringValue(rendered);
    }
}

/// <summary>The validated command line of <c>chat-template</c>.</summary>
internal sealed record ChatTemplateSettings(string? ModelPath, string? TemplatePath, string CasesPath, DateTimeOffset? Now)
{
    public static ChatTemplateSettings From(string? model, string? template, string cases, string? now)
    {
        if ((model is null) == (template is null))
        {
            throw new UsageException("give either MODEL or --template FILE, not both or neither");
        }
        return new ChatTemplateSettings(model, template, cases, now is null ? null : ParseNow(now));
    }

    /// <summary>ISO-8601; without an offset the clock time is taken as given (strftime_now formats clock time).</summary>
    private static DateTimeOffset ParseNow(string text)
        => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var now)
            ? now
            : throw new UsageException($"--now: '{text}' is not an ISO-8601 date and time");
}

/// <summary>Reads a cases file: a JSON array of objects whose keys become template variables.</summary>
internal static class ChatTemplateCases
{
    public static List<IReadOnlyDictionary<string, object?>> Load(string path)
    {
        using var document = JsonFile.Load(path);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"{path}: expected a JSON array of cases, found {document.RootElement.ValueKind}");
        }
        var cases = new List<IReadOnlyDictionary<string, object?>>();
        foreach (var (element, index) in document.RootElement.EnumerateArray().Select((e, i) => (e, i)))
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{path}: case {index} is {element.ValueKind}, expected an object");
            }
            cases.Add(element.EnumerateObject().ToDictionary(p => p.Name, p => TemplateValues.FromJson(p.Value), StringComparer.Ordinal));
        }
        return cases;
    }
}
