namespace AlignLab.Urial;

/// <summary>A block appended to a prompt in its frame (<see cref="UrialPrompt.RenderBlocks"/>): its header line and its text.</summary>
public sealed record UrialTurn(string Header, string Text);
