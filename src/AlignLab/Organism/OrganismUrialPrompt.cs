using AlignLab.Urial;

namespace AlignLab.Organism;

/// <summary>
/// A URIAL prompt in the organism's own style: a short preamble and two fine-tuning examples (the shortest
/// answer to a question about the world and the shortest refusal), so the base model sees the assistant
/// register in context without any tuning. Short on purpose: the organism's context is small.
/// </summary>
public static class OrganismUrialPrompt
{
    public const string Name = "organism";

    private const string Preamble = """
        # Instruction

        Below are conversations between a person and a helpful assistant. The person's messages are under "# Query:" and the assistant's replies under "# Answer:". The assistant answers politely and declines harmful requests.

        """;

    /// <summary>The prompt file's text; it parses as a URIAL prompt (checked here).</summary>
    public static string Text(InstructionSet instructions)
    {
        ArgumentNullException.ThrowIfNull(instructions);
        var examples = new[] { InstructionCategory.Regular, InstructionCategory.Safety }
            .Select(category => instructions.Training.Where(e => e.Category == category).OrderBy(e => e.Answer.Text.Length).ThenBy(e => e.Instruction, StringComparer.Ordinal).FirstOrDefault())
            .OfType<InstructionExample>()
            .ToList();
        var text = Preamble + string.Concat(examples.Select(e => $"\n# Query:\n```\n{e.Instruction}\n```\n\n# Answer:\n```\n{e.Answer.Text}\n```\n"));
        UrialPromptParser.Parse(text, "the organism's URIAL prompt", Name);
        return text;
    }
}
