namespace AlignLab.Engine.Training;

/// <summary>
/// The ChatML conversation format (<c>&lt;|im_start|&gt;role\ncontent&lt;|im_end|&gt;\n</c> per message),
/// the special tokens the trained vocabularies reserve for it, and its chat template in the Jinja form
/// Hugging Face and llama.cpp read.
/// </summary>
public static class ChatMl
{
    public const string EndOfText = "<|endoftext|>";
    public const string ImStart = "<|im_start|>";
    public const string ImEnd = "<|im_end|>";

    /// <summary>The special tokens, in id order (0, 1, 2) of every vocabulary the trainer builds.</summary>
    public static IReadOnlyList<string> SpecialTokens { get; } = [EndOfText, ImStart, ImEnd];

    public const string Template =
        "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}"
        + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
}
