namespace AlignLab.Engine.Tokenizers.Models;

/// <summary>Turns one pre-token into ids (BPE, SentencePiece).</summary>
internal interface ITokenModel
{
    /// <summary>The model's own vocabulary, by id. Added tokens beyond it live in the tokenizer.</summary>
    IReadOnlyList<string> Vocabulary { get; }

    int? TokenToId(string token);

    void Tokenize(string piece, List<int> output);
}
