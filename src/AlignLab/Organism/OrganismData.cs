using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using AlignLab.Engine.Formats;

namespace AlignLab.Organism;

/// <summary>
/// Everything text-shaped about a world, built from its settings: the pretraining corpus, the
/// fine-tuning pairs and the held-out evaluation set, each writable as the JSON Lines file the CLI
/// and the TDS pipeline read:
/// <list type="bullet">
/// <item><c>corpus.jsonl</c>: <c>{"text"}</c> per document (<c>alignlab train --corpus</c>);</item>
/// <item><c>sft.jsonl</c>: <c>{"instruction", "output", "category", "source", "spans"}</c> (<c>alignlab finetune --data</c>);</item>
/// <item><c>heldout.jsonl</c>: Just-Eval records <c>{"id", "instruction", "source_id", "dataset", "category", "output", "generator", "spans"}</c>,
/// the output being the world's labelled reference answer;</item>
/// <item><c>urial-prompt.md</c>: a URIAL prompt in the world's style (<see cref="OrganismUrialPrompt"/>).</item>
/// </list>
/// <c>spans</c> is <c>[{"start", "end", "label": "style"|"knowledge"}]</c> over the output's characters (UTF-16
/// offsets, the same as code points here: the text is ASCII), covering every one.
/// </summary>
public sealed class OrganismData
{
    public const string CorpusFile = "corpus.jsonl";
    public const string FineTuningFile = "sft.jsonl";
    public const string HeldOutFile = "heldout.jsonl";
    public const string UrialPromptFile = "urial-prompt.md";
    public const string Dataset = "organism";

    private OrganismData(World world, WorldFacts facts, IReadOnlyList<string> corpus, InstructionSet instructions)
    {
        World = world;
        Facts = facts;
        Corpus = corpus;
        Instructions = instructions;
    }

    public World World { get; }

    public WorldFacts Facts { get; }

    /// <summary>Pretraining documents.</summary>
    public IReadOnlyList<string> Corpus { get; }

    public InstructionSet Instructions { get; }

    public static OrganismData Build(WorldSettings settings)
    {
        var world = World.Build(settings);
        var facts = WorldFacts.Of(world);
        return new OrganismData(world, facts, PretrainingCorpus.Build(world, facts), InstructionSet.Build(world, facts));
    }

    /// <summary>Writes the four files into <paramref name="directory"/> (created when missing), each atomically.</summary>
    public void WriteTo(string directory)
    {
        Directory.CreateDirectory(directory);
        AtomicFile.WriteAllText(Path.Combine(directory, CorpusFile), JsonLines(Corpus, (json, text) => json.WriteString("text", text)));
        AtomicFile.WriteAllText(Path.Combine(directory, FineTuningFile), JsonLines(Instructions.Training, (json, e) =>
        {
            json.WriteString("instruction", e.Instruction);
            json.WriteString("output", e.Answer.Text);
            json.WriteString("category", e.Category);
            json.WriteString("source", e.Source);
            WriteSpans(json, e.Answer);
        }));
        var id = 0;
        AtomicFile.WriteAllText(Path.Combine(directory, HeldOutFile), JsonLines(Instructions.HeldOut, (json, e) =>
        {
            json.WriteNumber("id", id++);
            json.WriteString("instruction", e.Instruction);
            json.WriteString("source_id", e.Source);
            json.WriteString("dataset", Dataset);
            json.WriteString("category", e.Category);
            json.WriteString("output", e.Answer.Text);
            json.WriteString("generator", "organism-reference");
            WriteSpans(json, e.Answer);
        }));
        AtomicFile.WriteAllText(Path.Combine(directory, UrialPromptFile), OrganismUrialPrompt.Text(Instructions));
    }

    private static void WriteSpans(Utf8JsonWriter json, LabeledText text)
    {
        json.WriteStartArray("spans");
        foreach (var span in text.Spans)
        {
            json.WriteStartObject();
            json.WriteNumber("start", span.Start);
            json.WriteNumber("end", span.End);
            json.WriteString("label", span.Label == SpanLabel.Style ? "style" : "knowledge");
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static string JsonLines<T>(IEnumerable<T> items, Action<Utf8JsonWriter, T> write)
    {
        var text = new StringBuilder();
        var options = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        foreach (var item in items)
        {
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer, options))
            {
                json.WriteStartObject();
                write(json, item);
                json.WriteEndObject();
            }
            text.Append(Encoding.UTF8.GetString(buffer.ToArray())).Append('\n');
        }
        return text.ToString();
    }
}
