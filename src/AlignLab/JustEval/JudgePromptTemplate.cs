using System.Globalization;
using System.Text;
using AlignLab.Data;

namespace AlignLab.JustEval;

/// <summary>
/// A judge's user message with placeholders: <c>{{instruction}}</c> and <c>{{answer}}</c> (both required), and
/// optionally <c>{{aspects}}</c> (the aspects to score, "helpfulness, clarity, ...") and <c>{{format}}</c> (the JSON
/// object the reply must be). Spaces inside the braces are allowed. The text is split into literal pieces and
/// placeholders once; rendering fills them in one pass, so an answer that itself contains "{{instruction}}" stays
/// as written. Anything else in double braces is an error naming its line and column.
/// </summary>
public sealed class JudgePromptTemplate
{
    public const string Instruction = "instruction";
    public const string Answer = "answer";
    public const string AspectList = "aspects";
    public const string Format = "format";

    /// <summary>Largest prompt file read.</summary>
    public const int MaxBytes = 256 * 1024;

    private static readonly string[] Names = [Instruction, Answer, AspectList, Format];

    private readonly IReadOnlyList<(string Text, bool IsPlaceholder)> _parts;

    private JudgePromptTemplate(string text, IReadOnlyList<(string, bool)> parts)
    {
        Text = text;
        _parts = parts;
    }

    /// <summary>The template as written.</summary>
    public string Text { get; }

    /// <summary>Whether the template says which aspects to score ({{aspects}} or {{format}}), so it serves every mode.</summary>
    public bool NamesAspects => _parts.Any(p => p.IsPlaceholder && p.Text is AspectList or Format);

    public static JudgePromptTemplate ReadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"{path}: file not found", path);
        }
        if (info.Length > MaxBytes)
        {
            throw DataFormatException.At(path, 0, string.Create(CultureInfo.InvariantCulture, $"the judge prompt has {info.Length} bytes, more than the limit of {MaxBytes}"));
        }
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Splits <paramref name="text"/>; a <see cref="DataFormatException"/> "SOURCE:LINE:COLUMN: ..." for a bad placeholder or a missing required one.</summary>
    public static JudgePromptTemplate Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(source);
        var parts = new List<(string, bool)>();
        var at = 0;
        while (at < text.Length)
        {
            var open = text.IndexOf("{{", at, StringComparison.Ordinal);
            if (open < 0)
            {
                parts.Add((text[at..], false));
                break;
            }
            parts.Add((text[at..open], false));
            var close = text.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                throw Error(source, text, open, "\"{{\" is never closed by \"}}\"");
            }
            var name = text[(open + 2)..close].Trim();
            if (!Names.Contains(name, StringComparer.Ordinal))
            {
                throw Error(source, text, open, $"unknown placeholder {{{{{Shorten(name)}}}}}: the placeholders are {{{{instruction}}}}, {{{{answer}}}}, {{{{aspects}}}} and {{{{format}}}}");
            }
            parts.Add((name, true));
            at = close + 2;
        }
        foreach (var required in new[] { Instruction, Answer })
        {
            if (!parts.Any(p => p.Item2 && p.Item1 == required))
            {
                throw DataFormatException.At(source, 0, $"the judge prompt has no {{{{{required}}}}} placeholder: it must show the judge the {(required == Answer ? "answer" : "instruction")}");
            }
        }
        return new JudgePromptTemplate(text, parts);
    }

    /// <summary>The message for one answer: the placeholders filled with the texts, the aspects' names and their JSON skeleton.</summary>
    public string Render(string instruction, string answer, IReadOnlyList<string> aspects)
    {
        ArgumentNullException.ThrowIfNull(instruction);
        ArgumentNullException.ThrowIfNull(answer);
        ArgumentNullException.ThrowIfNull(aspects);
        var text = new StringBuilder(Text.Length + instruction.Length + answer.Length);
        foreach (var (part, isPlaceholder) in _parts)
        {
            text.Append(!isPlaceholder ? part : part switch
            {
                Instruction => instruction,
                Answer => answer,
                AspectList => string.Join(", ", aspects),
                _ => FormatSkeleton(aspects),
            });
        }
        return text.ToString();
    }

    /// <summary>The reply's shape: one <c>{"reason", "score"}</c> object per aspect.</summary>
    public static string FormatSkeleton(IReadOnlyList<string> aspects)
    {
        ArgumentNullException.ThrowIfNull(aspects);
        var lines = aspects.Select(a => $"  \"{a}\": {{\"reason\": \"<one or two sentences>\", \"score\": <an integer from 1 to 5>}}");
        return "{\n" + string.Join(",\n", lines) + "\n}";
    }

    private static DataFormatException Error(string source, string text, int offset, string what)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < offset; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }
        return new DataFormatException(string.Create(CultureInfo.InvariantCulture, $"{source}:{line}:{offset - lineStart + 1}: {what}"));
    }

    private static string Shorten(string name) => name.Length <= 40 ? name : name[..40] + "…";
}
