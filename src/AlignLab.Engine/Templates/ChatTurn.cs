namespace AlignLab.Engine.Templates;

/// <summary>One message of a conversation: its role ("system", "user", "assistant") and text.</summary>
public sealed record ChatTurn(string Role, string Content);
