namespace AlignLab.Pluralism.Coverage;

/// <summary>
/// The questions a measure run asks the coverage judge. For every instruction of the reference and every alternative
/// that answered it: "missing" and "topics" on the FIRST sample of each (the samples are exchangeable draws, and one
/// pair keeps the cost at two requests per instruction and alternative); and the same two for the reference's SECOND
/// sample against its first, the baseline: how much one aligned sample adds to another (never a sample against
/// itself, which would lack nothing by definition). For every contentious question
/// (<see cref="CoverageSettings.StanceIds"/>): a stance for EVERY sample of every set, the reference included, so the
/// rates are over all of a model's answers.
/// </summary>
public static class CoveragePlan
{
    public static IReadOnlyList<CoverageItem> Items(SampleSet reference, IReadOnlyList<SampleSet> alternatives, CoverageSettings settings)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(alternatives);
        ArgumentNullException.ThrowIfNull(settings);
        var hashes = Enum.GetValues<CoverageTask>().ToDictionary(t => t, t => CoveragePrompts.Hash(t, settings.MaxNewTokens));
        var items = new List<CoverageItem>();
        foreach (var instruction in reference.Instructions)
        {
            var id = instruction.Id.ToString();
            if (instruction.Samples.Count >= 2)
            {
                items.Add(Item(CoverageTask.Missing, instruction, reference.Name, 1, instruction.Samples[0], instruction.Samples[1], settings, hashes));
                items.Add(Item(CoverageTask.Topics, instruction, reference.Name, 1, instruction.Samples[0], instruction.Samples[1], settings, hashes));
            }
            foreach (var alternative in alternatives)
            {
                if (alternative.ById.TryGetValue(id, out var answers))
                {
                    items.Add(Item(CoverageTask.Missing, instruction, alternative.Name, 0, instruction.Samples[0], answers.Samples[0], settings, hashes));
                    items.Add(Item(CoverageTask.Topics, instruction, alternative.Name, 0, instruction.Samples[0], answers.Samples[0], settings, hashes));
                }
            }
            if (!settings.StanceIds.Contains(id))
            {
                continue;
            }
            foreach (var set in alternatives.Prepend(reference))
            {
                if (set.ById.TryGetValue(id, out var answers))
                {
                    items.AddRange(answers.Samples.Select((sample, i) => Item(CoverageTask.Stance, instruction, set.Name, i, null, sample, settings, hashes)));
                }
            }
        }
        return items;
    }

    private static CoverageItem Item(CoverageTask task, SampledInstruction instruction, string set, int sample, string? reference, string answer,
        CoverageSettings settings, Dictionary<CoverageTask, string> hashes) => new()
    {
        Task = task,
        Id = instruction.Id,
        Set = set,
        Sample = sample,
        Instruction = instruction.Instruction,
        Reference = reference,
        Answer = answer,
        Judge = settings.Judge,
        PromptHash = hashes[task],
    };
}
