using System.Security.Cryptography;
using System.Text;

namespace AlignLab.Urial;

/// <summary>
/// A URIAL prompt, parsed: the preamble (a <c># Instruction</c> section, or nothing) and the examples, in
/// one <see cref="UrialFrame"/>. <see cref="Render"/> gives back the text it was parsed from, exactly;
/// <see cref="RenderQuery"/> and <see cref="RenderConversation"/> append a query in the same frame and end
/// where the model's answer begins.
/// </summary>
public sealed class UrialPrompt
{
    internal UrialPrompt(string name, string source, string preamble, IReadOnlyList<UrialExample> examples, UrialFrame frame)
    {
        Name = name;
        Source = source;
        Preamble = preamble;
        Examples = examples;
        Frame = frame;
        Text = preamble + string.Concat(examples.Select(e => e.Query.Render() + e.Answer.Render()));
    }

    /// <summary>A built-in name, or a file's name without its extension.</summary>
    public string Name { get; }

    /// <summary>The <see cref="Source"/> of the prompts AlignLab ships.</summary>
    public const string BuiltInSource = "built-in";

    /// <summary><see cref="BuiltInSource"/>, or the file's path as given.</summary>
    public string Source { get; }

    public bool IsBuiltIn => Source == BuiltInSource;

    /// <summary>Everything before the first example, exactly as written (empty when there is none).</summary>
    public string Preamble { get; }

    public IReadOnlyList<UrialExample> Examples { get; }

    public UrialFrame Frame { get; }

    /// <summary>The prompt's text: <see cref="Render"/>.</summary>
    public string Text { get; }

    /// <summary>SHA-256 of <see cref="Text"/> in UTF-8, lowercase hex: what a run records to name the prompt it used.</summary>
    public string Sha256 => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Text)));

    /// <summary>The preamble and examples, exactly as parsed.</summary>
    public string Render() => Text;

    /// <summary>The prompt, then <paramref name="query"/> in the prompt's frame, ending at the opening of the answer block.</summary>
    public string RenderQuery(string query) => RenderConversation([query]);

    /// <summary>
    /// The prompt, then a conversation — query, answer, query, …, query — as consecutive query/answer blocks in
    /// the prompt's frame, ending at the opening of the answer block of the last query. Turn texts are written
    /// as given. The prompt's trailing blank space is replaced by the frame's separator, so every prompt joins
    /// its first new block the same way.
    /// </summary>
    public string RenderConversation(IReadOnlyList<string> turns)
    {
        ArgumentNullException.ThrowIfNull(turns);
        if (turns.Count % 2 == 0)
        {
            throw new ArgumentException($"a conversation alternates query and answer and ends with a query, so it has an odd number of turns, not {turns.Count}", nameof(turns));
        }
        var blocks = new List<UrialTurn>(turns.Count);
        for (var i = 0; i < turns.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(turns[i], nameof(turns));
            blocks.Add(new UrialTurn(i % 2 == 0 ? Frame.Markers.Query : Frame.Markers.Answer, turns[i]));
        }
        return RenderBlocks(blocks, keepExamples: true);
    }

    /// <summary>
    /// The preamble — with the prompt's own examples, or without them when other examples take their place — then
    /// <paramref name="blocks"/> in the prompt's frame, ending at the opening of an answer block. The blocks may carry
    /// headers of the caller's (an in-context <c># Summary:</c>); they are laid out like queries and answers.
    /// </summary>
    public string RenderBlocks(IReadOnlyList<UrialTurn> blocks, bool keepExamples)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        var text = new StringBuilder((keepExamples ? Text : Preamble).TrimEnd());
        foreach (var block in blocks)
        {
            ArgumentNullException.ThrowIfNull(block, nameof(blocks));
            AppendSeparated(text, Frame.Block(block.Header, block.Text));
        }
        AppendSeparated(text, Frame.OpenBlock(Frame.Markers.Answer));
        return text.ToString();
    }

    private void AppendSeparated(StringBuilder text, string block)
    {
        if (text.Length > 0)
        {
            text.Append(Frame.Separator);
        }
        text.Append(block);
    }
}
