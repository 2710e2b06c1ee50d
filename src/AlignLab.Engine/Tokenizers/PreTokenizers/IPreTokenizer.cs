namespace AlignLab.Engine.Tokenizers.PreTokenizers;

/// <summary>Splits (and may rewrite) each piece; pieces are processed in order, output appended.</summary>
internal interface IPreTokenizer
{
    void PreTokenize(Piece piece, List<Piece> output);
}
