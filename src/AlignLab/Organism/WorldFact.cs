namespace AlignLab.Organism;

/// <summary>
/// One fact of the world in the words used to state and ask it: neutral sentences that name the
/// subject, a continuation to follow a discourse marker ("she lives in Varn."), and the questions it
/// answers.
/// </summary>
/// <param name="Key">Unique: "person/Mara Quill/home".</param>
/// <param name="Subject">The entity the fact is about, as named in text.</param>
/// <param name="Statements">Full sentences, each enough on its own.</param>
/// <param name="Continuation">The fact as a clause starting in lower case with a pronoun, ending with a full stop.</param>
/// <param name="Questions">Instructions it answers.</param>
public sealed record WorldFact(string Key, string Subject, IReadOnlyList<string> Statements, string Continuation, IReadOnlyList<string> Questions);
