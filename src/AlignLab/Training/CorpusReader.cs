using AlignLab.Data;

namespace AlignLab.Training;

/// <summary>
/// The documents of a pretraining corpus: a <c>.jsonl</c> or <c>.json</c> file of <c>{"text": ...}</c> records,
/// or plain text in which documents are separated by blank lines.
/// </summary>
public static class CorpusReader
{
    public static IReadOnlyList<string> Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            return TrainingRecords.Read(path, record => TrainingRecords.Text(record, "text"));
        }
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: file not found", path);
        }
        var documents = new List<string>();
        var current = new List<string>();
        foreach (var line in File.ReadLines(path))
        {
            if (line.Trim().Length == 0)
            {
                Flush();
                continue;
            }
            current.Add(line);
        }
        Flush();
        return documents.Count > 0 ? documents : throw DataFormatException.At(path, 0, "holds no text");

        void Flush()
        {
            if (current.Count > 0)
            {
                documents.Add(string.Join("\n", current));
                current.Clear();
            }
        }
    }
}
