using AlignLab.Data;
using AlignLab.Runs;

namespace AlignLab.Pluralism.InContext;

/// <summary>One answer of the teacher: the record's id, its instruction and the answer (its "output").</summary>
public sealed record TeacherAnswer(RecordId Id, string Instruction, string Answer);

/// <summary>
/// The teacher: an aligned model's answer set in the Just-Eval format (<c>{"id", "instruction", "output", ...}</c>, as
/// AlignLab's answer sets write it), read strictly — every record needs its "output". Queries are matched by their
/// instruction text, surrounding whitespace aside; when the file answers one text twice, the first answer is used.
/// </summary>
public sealed class TeacherAnswers
{
    private readonly Dictionary<string, TeacherAnswer> _byQuery;

    private TeacherAnswers(string path, string sha256, IReadOnlyList<TeacherAnswer> answers)
    {
        Path = path;
        Sha256 = sha256;
        Answers = answers;
        _byQuery = answers.ToDictionary(a => QueryKey(a.Instruction), StringComparer.Ordinal);
    }

    public string Path { get; }

    /// <summary>SHA-256 of the file, for run.json.</summary>
    public string Sha256 { get; }

    /// <summary>One answer per distinct query, in file order.</summary>
    public IReadOnlyList<TeacherAnswer> Answers { get; }

    public static TeacherAnswers Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var answers = new List<TeacherAnswer>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in InstructionReader.Read(path, new BadRecordLog(skipBad: false)))
        {
            var output = record.Output ?? throw DataFormatException.At(path, record.Line, "field \"output\" is missing: the teacher's answer set needs its answers");
            if (seen.Add(QueryKey(record.Instruction)))
            {
                answers.Add(new TeacherAnswer(record.Id, record.Instruction, output));
            }
        }
        return new TeacherAnswers(path, FileHash.Sha256OfFile(path), answers);
    }

    /// <summary>Builds a teacher from answers in memory (tests, other sources); <paramref name="sha256"/> names them in run.json.</summary>
    public static TeacherAnswers Of(IReadOnlyList<TeacherAnswer> answers, string path, string sha256)
    {
        ArgumentNullException.ThrowIfNull(answers);
        return new TeacherAnswers(path, sha256, [.. answers.DistinctBy(a => QueryKey(a.Instruction))]);
    }

    /// <summary>Whether two instruction texts are the same query.</summary>
    public static bool SameQuery(string a, string b) => string.Equals(QueryKey(a), QueryKey(b), StringComparison.Ordinal);

    public TeacherAnswer? Find(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return _byQuery.GetValueOrDefault(QueryKey(query));
    }

    /// <summary>The teacher's answer to <paramref name="query"/>; when it has none, an error naming the file, the query and <paramref name="role"/>.</summary>
    public TeacherAnswer Require(string query, string role)
        => Find(query) ?? throw DataFormatException.At(Path, 0, $"the teacher has no answer to the query '{Snippet(query)}' ({role})");

    private static string QueryKey(string text) => text.Trim();

    private static string Snippet(string text)
    {
        var trimmed = text.Trim();
        return trimmed.Length <= 80 ? trimmed : string.Concat(trimmed.AsSpan(0, 80), "…");
    }
}
