namespace AlignLab.Engine.Kernels;

/// <summary>Argument checks shared by the kernels' public entry points (the inner loops trust them).</summary>
internal static class KernelGuard
{
    public static void SameLength(int expected, int actual, string paramName)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"length {actual} does not match {expected}", paramName);
        }
    }

    public static void AtLeast(int actual, long required, string paramName)
    {
        if (actual < required)
        {
            throw new ArgumentException($"length {actual} is less than the {required} required", paramName);
        }
    }
}
