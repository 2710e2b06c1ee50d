namespace AlignLab.Urial;

/// <summary>
/// One query or answer as it stands in a prompt file. <see cref="HeaderLine"/> (with its line break),
/// <see cref="Opening"/> (blank space and the opening fence), <see cref="Content"/> (the text, without
/// surrounding whitespace) and <see cref="Closing"/> (the closing fence and the blank space up to the next
/// header) are consecutive pieces of the file: together, exactly its text.
/// </summary>
public sealed record UrialBlock(string HeaderLine, string Opening, string Content, string Closing, int Line)
{
    /// <summary>The block's text exactly as it stands in the file.</summary>
    public string Render() => HeaderLine + Opening + Content + Closing;
}

/// <summary>One example of a prompt: a query and the answer shown for it.</summary>
public sealed record UrialExample(UrialBlock Query, UrialBlock Answer);
