using System.Globalization;
using System.Text.Json;

namespace AlignLab.Backends;

/// <summary>Whether two models can be compared token by token: the same ids mean the same tokens.</summary>
public static class VocabularyCheck
{
    private const int ListedDifferences = 3;

    /// <summary>
    /// Throws a <see cref="ModelMismatchException"/> unless both models have the same output vocabulary
    /// size, the same tokenizer size and the same token string at every id; the message names the first
    /// differing ids.
    /// </summary>
    public static void EnsureSame(ILanguageModel first, string firstName, ILanguageModel second, string secondName)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.VocabSize != second.VocabSize || first.Tokenizer.VocabSize != second.Tokenizer.VocabSize)
        {
            throw new ModelMismatchException(string.Create(CultureInfo.InvariantCulture,
                $"vocabularies differ in size: {firstName} has {first.VocabSize} outputs and {first.Tokenizer.VocabSize} tokens, {secondName} has {second.VocabSize} outputs and {second.Tokenizer.VocabSize} tokens"));
        }
        var differences = new List<string>();
        var count = 0;
        for (var id = 0; id < first.VocabSize; id++)
        {
            var a = first.Tokenizer.TokenString(id);
            var b = second.Tokenizer.TokenString(id);
            if (!string.Equals(a, b, StringComparison.Ordinal))
            {
                if (differences.Count < ListedDifferences)
                {
                    differences.Add(string.Create(CultureInfo.InvariantCulture, $"id {id}: {Show(a)} vs {Show(b)}"));
                }
                count++;
            }
        }
        if (count > 0)
        {
            throw new ModelMismatchException(string.Create(CultureInfo.InvariantCulture,
                $"vocabularies differ ({firstName} vs {secondName}) at {count} ids; first: {string.Join("; ", differences)}"));
        }
    }

    private static string Show(string? token) => token is null ? "(none)" : JsonSerializer.Serialize(token);
}
