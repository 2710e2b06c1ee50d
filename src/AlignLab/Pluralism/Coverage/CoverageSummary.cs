using System.Text.Json.Nodes;

namespace AlignLab.Pluralism.Coverage;

/// <summary>The summary's "coverage" object: the judge, prompts, what the run asked and used, failures, and the topic and stance totals per set.</summary>
public static class CoverageSummary
{
    public static JsonObject Describe(CoverageSettings settings, CoverageRunResult run, CoverageFindings findings, IEnumerable<string> sets)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(findings);
        return new JsonObject
        {
            ["judge"] = settings.Judge,
            ["prompt_sha256"] = new JsonObject(Enum.GetValues<CoverageTask>()
                .Select(t => KeyValuePair.Create(CoverageTasks.Name(t), (JsonNode?)CoveragePrompts.Hash(t, settings.MaxNewTokens)))),
            ["pairs"] = "the reference's first sample and the alternative's first, or the reference's second as its baseline (missing, topics); every sample (stance)",
            ["stance_instructions"] = settings.StanceIds.Count,
            ["questions"] = run.Items,
            ["cached"] = run.Cached,
            ["judged"] = run.Judged,
            ["failed"] = run.Failures.Count,
            ["pending"] = run.Pending,
            ["usage"] = new JsonObject
            {
                ["requests"] = run.Usage.Requests,
                ["prompt_tokens"] = run.Usage.PromptTokens,
                ["completion_tokens"] = run.Usage.CompletionTokens,
            },
            ["failures"] = new JsonArray([.. run.Failures.Select(f => (JsonNode)new JsonObject
            {
                ["id"] = JsonNode.Parse(f.Item.InstructionId),
                ["set"] = f.Item.Set,
                ["task"] = CoverageTasks.Name(f.Item.Task),
                ["sample"] = f.Item.Sample,
                ["reason"] = f.Reason,
            })]),
            ["totals"] = findings.Totals(sets),
        };
    }
}
