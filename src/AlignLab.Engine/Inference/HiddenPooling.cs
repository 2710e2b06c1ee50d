namespace AlignLab.Engine.Inference;

/// <summary>How <see cref="InferenceSession.PooledHiddenState"/> makes one vector of a sequence's hidden states.</summary>
public enum HiddenPooling
{
    /// <summary>The average over every position.</summary>
    Mean,

    /// <summary>The last position's, which has seen the whole sequence.</summary>
    Last,
}
