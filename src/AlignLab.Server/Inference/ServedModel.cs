using AlignLab.Engine.Generation;
using AlignLab.Engine.Inference;
using AlignLab.Engine.Models;
using AlignLab.Engine.Templates;
using AlignLab.Engine.Tokenizers;

namespace AlignLab.Server.Inference;

/// <summary>
/// The served model: weights, tokenizer, chat template and end-of-generation ids, opened once through
/// <see cref="LocalModel"/>, and the conversions between request text and ids. Thread-safe (tokenizer and
/// template are immutable; the weights are only read).
/// </summary>
internal sealed class ServedModel : IDisposable
{
    private readonly LocalModel _files;
    private readonly Lazy<ChatTemplate> _template;

    private ServedModel(LocalModel files, LlamaModel model, string name, int contextSize, string? templatePath)
    {
        _files = files;
        Model = model;
        Name = name;
        ContextSize = contextSize;
        Tokenizer = files.LoadTokenizer();
        EndOfGenerationIds = GenerationDefaults.EndOfGenerationIds(files, Tokenizer);
        _template = new(() => templatePath is null ? files.LoadChatTemplate() : ChatTemplate.ReadFile(templatePath));
    }

    public LlamaModel Model { get; }

    public Tokenizer Tokenizer { get; }

    public string Name { get; }

    /// <summary>Where the model was loaded from, as given.</summary>
    public string Reference => _files.Reference.Text;

    /// <summary>Most tokens a sequence holds on this server (max_model_len).</summary>
    public int ContextSize { get; }

    public IReadOnlyList<int> EndOfGenerationIds { get; }

    public int VocabSize => Model.VocabSize;

    public static ServedModel Open(ServerOptions options)
    {
        var files = LocalModel.Open(options.Model);
        LlamaModel? model = null;
        try
        {
            model = LlamaModel.Load(files);
            var context = options.ContextSize ?? Math.Min(model.Config.ContextLength, 4096);
            if (context > model.Config.ContextLength)
            {
                throw new ArgumentOutOfRangeException(nameof(options), $"context size {context} exceeds the model's context length of {model.Config.ContextLength}");
            }
            return new ServedModel(files, model, options.ModelName, context, options.ChatTemplatePath);
        }
        catch
        {
            model?.Dispose();
            files.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Prompt text to ids. <paramref name="addSpecialTokens"/>: BOS first when the tokenizer adds one and the
    /// text does not already start with it (the engine's <see cref="Prompts.Plain"/>); <paramref name="parseSpecial"/>:
    /// special-token text such as "&lt;/s&gt;" becomes that token (else it is plain text).
    /// </summary>
    public int[] Encode(string text, bool addSpecialTokens, bool parseSpecial)
    {
        if (addSpecialTokens && parseSpecial)
        {
            return Prompts.Plain(Tokenizer, text);
        }
        var ids = Tokenizer.Encode(text, EncodeOptions.Default with { ParseSpecial = parseSpecial });
        return addSpecialTokens && Tokenizer.AddBosByDefault && Tokenizer.BosId is int bos && (ids.Count == 0 || ids[0] != bos)
            ? [bos, .. ids]
            : [.. ids];
    }

    /// <summary>A conversation rendered by the chat template (a <see cref="Engine.Templates.TemplateException"/> when the template refuses it).</summary>
    public string RenderChat(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt)
    {
        var list = messages.Select(m => (object?)new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["role"] = m.Role,
            ["content"] = m.Content,
        }).ToList();
        return _template.Value.RenderConversation(list, addGenerationPrompt, _files.BosToken ?? "", _files.EosToken ?? "");
    }

    /// <summary>The text one token adds after others (for logprobs and decoded_token).</summary>
    public string TokenText(int id) => (uint)id < (uint)Tokenizer.VocabSize ? Tokenizer.DecodeToken(id) : "";

    public void Dispose()
    {
        Model.Dispose();
        _files.Dispose();
    }
}

/// <summary>One chat message: its role and its text.</summary>
internal sealed record ChatMessage(string Role, string Content);
