using System.Text.Json.Nodes;

namespace AlignLab.Pluralism.Coverage;

/// <summary>
/// What the coverage judge found, per instruction and sample set: the measures that join the run's others (and so get
/// means and bootstrap intervals over instructions), the verdicts themselves for the per-instruction file, and totals.
/// <list type="bullet">
/// <item><c>coverage_missing</c>: the 1–5 score, how much of the alternative's information the reference lacks.</item>
/// <item><c>topics_reference_only</c>, <c>topics_alternative_only</c>, <c>topics_both</c>: fractions of the pair's
/// topics (undefined when the judge found none).</item>
/// <item><c>stance_yes</c>, <c>stance_no</c>, <c>stance_both</c>, <c>stance_other</c>: fractions of the set's judged
/// samples of a contentious question (so their mean over instructions is the model's rate when every question has
/// the same number of samples).</item>
/// </list>
/// A failed or pending question adds nothing to the measures; failures are listed with their reason.
/// </summary>
public sealed class CoverageFindings
{
    public const string MissingMeasure = "coverage_missing";

    public static readonly IReadOnlyList<string> Sides = [CoverageReplyParser.Reference, CoverageReplyParser.Alternative, CoverageReplyParser.Both];

    private readonly Dictionary<(string Instruction, string Set), Entry> _entries = [];

    private CoverageFindings()
    {
    }

    /// <summary>The measure named for each topic side ("topics_reference_only", ...).</summary>
    public static string TopicMeasure(string side) => side == CoverageReplyParser.Both ? "topics_both" : "topics_" + side + "_only";

    public static string StanceMeasure(string stance) => "stance_" + stance;

    public static CoverageFindings Collect(IReadOnlyList<CoverageItem> items, CoverageRunResult run)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(run);
        var findings = new CoverageFindings();
        var failures = run.Failures.ToDictionary(f => f.Item.Key, f => f.Reason, StringComparer.Ordinal);
        foreach (var item in items)
        {
            var entry = findings.EntryOf(item);
            if (run.Verdicts.TryGetValue(item.Key, out var verdict))
            {
                entry.Add(item, verdict.Result!);
            }
            else if (failures.TryGetValue(item.Key, out var reason))
            {
                entry.Fail(item, reason);
            }
        }
        return findings;
    }

    /// <summary>The coverage measures of one set on one instruction (empty when nothing was asked or answered).</summary>
    public IReadOnlyList<(string Name, double? Value)> MeasuresOf(string instruction, string set)
        => _entries.TryGetValue((instruction, set), out var entry) ? entry.Measures() : [];

    /// <summary>The verdicts and failures for one set on one instruction, or null when none was asked.</summary>
    public JsonObject? DetailsOf(string instruction, string set)
        => _entries.TryGetValue((instruction, set), out var entry) ? entry.Details() : null;

    /// <summary>Per set, the topics over all instructions by side, and the stances of all judged samples.</summary>
    public JsonObject Totals(IEnumerable<string> sets)
    {
        ArgumentNullException.ThrowIfNull(sets);
        var totals = new JsonObject();
        foreach (var set in sets)
        {
            var entries = _entries.Where(e => e.Key.Set == set).Select(e => e.Value).ToList();
            totals[set] = new JsonObject
            {
                ["topics"] = new JsonObject(Sides.Select(s => KeyValuePair.Create(s, (JsonNode?)entries.Sum(e => e.TopicCount(s))))),
                ["stances"] = new JsonObject(CoverageReplyParser.Stances.Select(s => KeyValuePair.Create(s, (JsonNode?)entries.Sum(e => e.StanceCount(s))))),
            };
        }
        return totals;
    }

    private Entry EntryOf(CoverageItem item)
    {
        var key = (item.InstructionId, item.Set);
        return _entries.TryGetValue(key, out var entry) ? entry : _entries[key] = new Entry();
    }

    /// <summary>One set's verdicts on one instruction.</summary>
    private sealed class Entry
    {
        private readonly JsonObject _details = [];
        private readonly List<string> _stances = [];
        private JsonObject? _missing;
        private JsonArray? _topics;
        private bool _askedStance;

        public void Add(CoverageItem item, JsonObject result)
        {
            switch (item.Task)
            {
                case CoverageTask.Missing:
                    _missing = result;
                    _details["missing"] = result.DeepClone();
                    break;
                case CoverageTask.Topics:
                    _topics = result["topics"]!.AsArray();
                    _details["topics"] = _topics.DeepClone();
                    break;
                default:
                    _askedStance = true;
                    _stances.Add(result["stance"]!.GetValue<string>());
                    StanceList().Add(new JsonObject { ["sample"] = item.Sample, ["stance"] = result["stance"]!.DeepClone(), ["reason"] = result["reason"]?.DeepClone() });
                    break;
            }
        }

        public void Fail(CoverageItem item, string reason)
        {
            var failure = new JsonObject { ["failure"] = reason };
            if (item.Task == CoverageTask.Stance)
            {
                _askedStance = true;
                failure["sample"] = item.Sample;
                StanceList().Add(failure);
            }
            else
            {
                _details[CoverageTasks.Name(item.Task)] = failure;
            }
        }

        public int TopicCount(string side) => _topics?.Count(t => t!["side"]!.GetValue<string>() == side) ?? 0;

        public int StanceCount(string stance) => _stances.Count(s => s == stance);

        public IReadOnlyList<(string Name, double? Value)> Measures()
        {
            var measures = new List<(string, double?)>();
            if (_missing is not null)
            {
                measures.Add((MissingMeasure, _missing["score"]!.GetValue<int>()));
            }
            if (_topics is not null)
            {
                measures.AddRange(Sides.Select(s => (TopicMeasure(s), _topics.Count == 0 ? null : (double?)TopicCount(s) / _topics.Count)));
            }
            if (_askedStance)
            {
                measures.AddRange(CoverageReplyParser.Stances.Select(s => (StanceMeasure(s), _stances.Count == 0 ? null : (double?)StanceCount(s) / _stances.Count)));
            }
            return measures;
        }

        public JsonObject Details() => (JsonObject)_details.DeepClone();

        private JsonArray StanceList() => _details["stance"] as JsonArray ?? (JsonArray)(_details["stance"] = new JsonArray());
    }
}
