using AlignLab.Data;

namespace AlignLab.JustEval;

/// <summary>
/// Aggregates judged records as Just-Eval does (its report: each aspect's mean over the records that have it, N/A
/// counted as 5, answer length as <c>len(output.split())</c>), per answer set — records grouped by generator across
/// files, so the shards of one set form one set — plus the overall average (the mean of the aspect means, as the
/// leaderboard's), bootstrap intervals, and breakdowns by task type, topic, difficulty (from the tags, a record
/// counting in each of its task types and topics) and source dataset (the record's own, else the tags'), every
/// aspect in each. A set that has the same id twice is an error: two files overlap.
/// </summary>
public static class JudgeSummaryBuilder
{
    public static JudgeSummary Build(IReadOnlyList<string> files, TagTable? tags, ReadLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        var sets = new List<List<JudgedRecord>>();
        var bySet = new Dictionary<string, List<JudgedRecord>>(StringComparer.Ordinal);
        var seen = new Dictionary<(string Set, string Id), JudgedRecord>();
        foreach (var file in files)
        {
            foreach (var record in JudgedRecordReader.Read(file, limits))
            {
                if (seen.TryGetValue((record.Set, record.Id.Key), out var first))
                {
                    throw DataFormatException.At(file, record.Line,
                        $"id {record.Id} of the answer set \"{record.Set}\" is already in {DataFormatException.Where(first.File, first.Line)}: the files overlap");
                }
                seen[(record.Set, record.Id.Key)] = record;
                if (!bySet.TryGetValue(record.Set, out var list))
                {
                    bySet[record.Set] = list = [];
                    sets.Add(list);
                }
                list.Add(record);
            }
        }
        return new JudgeSummary([.. sets.Select(s => Summarize(s, tags))], tags is not null);
    }

    private static SetSummary Summarize(List<JudgedRecord> records, TagTable? tags)
    {
        var judged = records.Where(r => r.IsJudged).ToList();
        var aspects = AspectMeans(judged);
        return new SetSummary
        {
            Name = records[0].Set,
            Files = [.. records.Select(r => r.File).Distinct(StringComparer.Ordinal)],
            Judged = judged.Count,
            Failures = [.. records.Where(r => !r.IsJudged).Select(r => new JudgeFailure(r.Id, r.Failure!))],
            Uncategorized = records.Count(r => r.Uncategorized),
            Untagged = tags is null ? 0 : judged.Count(r => tags.Find(r.Id) is not { } t || (t.TaskTypes.Count == 0 && t.Topics.Count == 0 && t.Difficulty is null)),
            Aspects = aspects,
            Average = aspects.Count == 0 ? null : aspects.Average(a => a.Mean),
            Words = judged.Count == 0 ? null : judged.Average(r => WordCount.Of(r.Output)),
            Breakdowns = Breakdowns(judged, tags),
            Usage = records.Aggregate(default(TokenUsage), (total, r) => total + r.Usage),
        };
    }

    private static List<AspectMean> AspectMeans(IReadOnlyList<JudgedRecord> judged)
    {
        var means = new List<AspectMean>();
        foreach (var aspect in Aspects.InReportOrder(judged.SelectMany(r => r.Scores.Keys)))
        {
            var values = judged.Where(r => r.Scores.ContainsKey(aspect)).Select(r => r.Scores[aspect]).ToList();
            var (low, high) = MeanBootstrap.Interval(values);
            means.Add(new AspectMean(aspect, values.Average(), values.Count, low, high));
        }
        return means;
    }

    private static List<Breakdown> Breakdowns(IReadOnlyList<JudgedRecord> judged, TagTable? tags)
    {
        IReadOnlyList<string> none = [];
        InstructionTags? TagsOf(JudgedRecord r) => tags?.Find(r.Id);
        var dimensions = new (string Name, Func<JudgedRecord, IReadOnlyList<string>> Groups)[]
        {
            ("task", r => TagsOf(r)?.TaskTypes ?? none),
            ("topic", r => TagsOf(r)?.Topics ?? none),
            ("difficulty", r => TagsOf(r)?.Difficulty is { } d ? [d] : none),
            ("dataset", r => (r.Dataset ?? TagsOf(r)?.Dataset) is { } d ? [d] : none),
        };
        return [.. dimensions.Select(d => new Breakdown(d.Name, Groups(judged, d.Groups)))];
    }

    /// <summary>Each group's records' aspect means and average; groups by size, largest first, then by name.</summary>
    private static List<GroupScores> Groups(IReadOnlyList<JudgedRecord> judged, Func<JudgedRecord, IReadOnlyList<string>> groupsOf)
    {
        var members = new Dictionary<string, List<JudgedRecord>>(StringComparer.Ordinal);
        foreach (var record in judged)
        {
            foreach (var group in groupsOf(record).Distinct(StringComparer.Ordinal))
            {
                if (!members.TryGetValue(group, out var list))
                {
                    members[group] = list = [];
                }
                list.Add(record);
            }
        }
        return [.. members
            .Select(m =>
            {
                var means = Aspects.InReportOrder(m.Value.SelectMany(r => r.Scores.Keys))
                    .Select(a => (a, m.Value.Where(r => r.Scores.ContainsKey(a)).Average(r => r.Scores[a])))
                    .ToList();
                return new GroupScores(m.Key, m.Value.Count, means, means.Average(x => x.Item2));
            })
            .OrderByDescending(g => g.Count)
            .ThenBy(g => g.Group, StringComparer.Ordinal)];
    }
}
