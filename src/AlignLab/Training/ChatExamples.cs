using AlignLab.Engine.Generation;
using AlignLab.Engine.Models;
using AlignLab.Engine.Templates;
using AlignLab.Engine.Tokenizers;
using AlignLab.Engine.Training;

namespace AlignLab.Training;

/// <summary>
/// Instruction–answer pairs as the model will see them in chat: the prompt is exactly what
/// <see cref="Prompts.Chat"/> gives at inference (the chat template with the generation prompt), and
/// the answer is the rest of the rendered conversation (the output and the end-of-turn), tokenized
/// after it. Only the answer's tokens are targets.
/// </summary>
internal static class ChatExamples
{
    public static List<TrainingSequence> Tokenize(LocalModel model, Tokenizer tokenizer, ChatTemplate template, IReadOnlyList<InstructionPair> pairs)
    {
        var sequences = new List<TrainingSequence>(pairs.Count);
        foreach (var pair in pairs)
        {
            var prompt = Prompts.RenderChat(model, pair.Instruction, null, template);
            List<object?> messages =
            [
                new Dictionary<string, object?> { ["role"] = "user", ["content"] = pair.Instruction },
                new Dictionary<string, object?> { ["role"] = "assistant", ["content"] = pair.Output },
            ];
            var full = template.RenderConversation(messages, addGenerationPrompt: false, model.BosToken ?? "", model.EosToken ?? "");
            if (!full.StartsWith(prompt, StringComparison.Ordinal))
            {
                throw new TrainingRunException($"{model.Path}: the chat template does not continue the generation prompt with the answer, so it cannot be fine-tuned on");
            }
            int[] promptIds = Prompts.Plain(tokenizer, prompt);
            var answerIds = tokenizer.Encode(full[prompt.Length..], EncodeOptions.Default);
            var targets = new bool[promptIds.Length + answerIds.Count];
            targets.AsSpan(promptIds.Length).Fill(true);
            sequences.Add(new TrainingSequence([.. promptIds, .. answerIds], targets));
        }
        return sequences;
    }
}
