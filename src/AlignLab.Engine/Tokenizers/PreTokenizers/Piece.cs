namespace AlignLab.Engine.Tokenizers.PreTokenizers;

/// <summary>
/// One pre-token. <see cref="AtOrigin"/> is true only for a piece that begins at offset 0 of the
/// whole input text: Metaspace's prepend_scheme "first" only prefixes that one.
/// </summary>
internal readonly record struct Piece(string Text, bool AtOrigin);
