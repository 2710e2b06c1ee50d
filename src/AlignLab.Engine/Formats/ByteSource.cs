namespace AlignLab.Engine.Formats;

/// <summary>Random access to a file's bytes: mapped from disk, or an in-memory buffer (tests, small files).</summary>
internal abstract class ByteSource : IDisposable
{
    public abstract long Length { get; }

    /// <summary>A view valid until <see cref="Dispose"/>; the caller has checked the range.</summary>
    public abstract ReadOnlySpan<byte> Read(long offset, int length);

    public virtual void Dispose()
    {
    }
}

internal sealed class ArrayByteSource(ReadOnlyMemory<byte> bytes) : ByteSource
{
    public override long Length => bytes.Length;

    public override ReadOnlySpan<byte> Read(long offset, int length) => bytes.Span.Slice(checked((int)offset), length);
}
