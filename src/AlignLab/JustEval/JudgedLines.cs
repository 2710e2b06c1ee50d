using System.Text.Encodings.Web;
using System.Text.Json;

namespace AlignLab.JustEval;

/// <summary>
/// Writes a run's judgments file: one line per answer that was judged or failed, in the answers' order —
/// <c>{"id", "instruction", "output", "generator", "category", "dataset", "mode", "judge", "answer_sha256",
/// "prompt_sha256", "parsed_result" (null for a failure), "failure" (null unless failed), "replies", "usage",
/// "cached"}</c>. The answer's fields are kept as the answers file gave them (category and dataset null when absent),
/// except a missing generator, which becomes the answers file's name so the set still has one.
/// </summary>
public static class JudgedLines
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <param name="judged">Per item (same order), its judgment and whether it came from the cache; null: not judged in this run.</param>
    public static void Write(Stream stream, JudgeJob job, IReadOnlyList<(Judgment Judgment, bool Cached)?> judged)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(judged);
        var fallbackGenerator = Path.GetFileNameWithoutExtension(job.AnswersPath);
        for (var i = 0; i < job.Items.Count; i++)
        {
            if (judged[i] is not var (judgment, cached) || judgment.Outcome == JudgmentOutcome.Pending)
            {
                continue;
            }
            using (var json = new Utf8JsonWriter(stream, Options))
            {
                WriteLine(json, job.Items[i], job.JudgeModel.Reference, judgment, cached, fallbackGenerator);
            }
            stream.WriteByte((byte)'\n');
        }
    }

    private static void WriteLine(Utf8JsonWriter json, JudgeItem item, string judge, Judgment judgment, bool cached, string fallbackGenerator)
    {
        var record = item.Record;
        json.WriteStartObject();
        json.WritePropertyName("id");
        record.Id.WriteTo(json);
        json.WriteString("instruction", record.Instruction);
        json.WriteString("output", item.Output);
        json.WriteString("generator", record.Generator ?? fallbackGenerator);
        json.WriteString("category", record.Category);
        json.WriteString("dataset", record.Dataset);
        json.WriteString("mode", Aspects.Name(item.Mode));
        json.WriteString("judge", judge);
        json.WriteString("answer_sha256", item.AnswerHash);
        json.WriteString("prompt_sha256", item.PromptHash);
        if (judgment.Outcome == JudgmentOutcome.Judged)
        {
            JudgmentJson.WriteParsedResult(json, judgment.Scores);
        }
        else
        {
            json.WriteNull("parsed_result");
        }
        json.WriteString("failure", judgment.Failure);
        JudgmentJson.WriteReplies(json, judgment.Replies);
        JudgmentJson.WriteUsage(json, judgment.Usage);
        json.WriteBoolean("cached", cached);
        json.WriteEndObject();
    }
}
