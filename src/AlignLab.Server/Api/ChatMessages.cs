using System.Text;
using System.Text.Json;
using AlignLab.Engine.Formats;
using AlignLab.Engine.Templates;
using AlignLab.Server.Inference;

namespace AlignLab.Server.Api;

/// <summary>
/// The "messages" of a chat or tokenize request rendered by the model's chat template: each message's role and
/// content (a string, or a list of text parts joined), add_generation_prompt (default true); a template that
/// refuses the conversation, or a model without one, is a 400.
/// </summary>
internal static class ChatMessages
{
    public static string Render(RequestFields f, ServedModel model)
    {
        var messages = ReadMessages(f);
        if (f.Bool("continue_final_message") == true)
        {
            throw ApiException.BadRequest("continue_final_message is not supported by this server", "continue_final_message");
        }
        try
        {
            return model.RenderChat(messages, f.Bool("add_generation_prompt") ?? true);
        }
        catch (TemplateException e)
        {
            throw ApiException.BadRequest("the chat template refused the messages: " + e.Message, "messages", "template_error");
        }
        catch (ModelFormatException e)
        {
            throw ApiException.BadRequest("the model has no chat template: " + e.Message, "messages", "no_chat_template");
        }
    }

    private static List<ChatMessage> ReadMessages(RequestFields f)
    {
        var list = f.Array("messages") ?? throw ApiException.BadRequest("messages is required", "messages", "missing_field");
        if (list.Count == 0)
        {
            throw ApiException.BadRequest("messages is an empty list", "messages", "invalid_value");
        }
        return [.. list.Select(item =>
        {
            var message = new RequestFields(item.Value, item.Path);
            var role = message.String("role") ?? throw ApiException.BadRequest(message.PathOf("role") + " is required", message.PathOf("role"), "missing_field");
            return new ChatMessage(role, Content(message));
        })];
    }

    /// <summary>A message's text: a string, or the text parts of a list joined (other part types are refused).</summary>
    private static string Content(RequestFields message)
    {
        var path = message.PathOf("content");
        switch (message.Get("content"))
        {
            case null:
                return "";
            case { ValueKind: JsonValueKind.String } text:
                return text.GetString()!;
            case { ValueKind: JsonValueKind.Array }:
                var joined = new StringBuilder();
                foreach (var (part, partPath) in message.Array("content")!)
                {
                    var fields = new RequestFields(part, partPath);
                    var type = fields.String("type") ?? "text";
                    if (type != "text")
                    {
                        throw ApiException.BadRequest($"{fields.PathOf("type")} is \"{type}\": only text parts are supported", fields.PathOf("type"), "invalid_value");
                    }
                    joined.Append(fields.String("text") ?? throw ApiException.BadRequest(fields.PathOf("text") + " is required", fields.PathOf("text"), "missing_field"));
                }
                return joined.ToString();
            case { } other:
                throw ApiException.BadRequest($"{path} must be a string or a list of text parts, not {RequestFields.KindOf(other)}", path, "invalid_type");
        }
    }
}
