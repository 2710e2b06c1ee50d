using System.IO.MemoryMappedFiles;

namespace AlignLab.Engine.Formats;

/// <summary>
/// A read-only memory map of a whole file. Weights are read in place through spans, so a multi-gigabyte
/// shard costs address space, not a copy; the OS pages in only what is touched.
/// </summary>
internal sealed unsafe class MappedByteSource : ByteSource
{
    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private byte* _base;

    private MappedByteSource(MemoryMappedFile map, MemoryMappedViewAccessor view, long length)
    {
        _map = map;
        _view = view;
        Length = length;
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _base = pointer + view.PointerOffset;
    }

    public override long Length { get; }

    /// <summary>Maps <paramref name="path"/>; the file must not be empty (an empty file cannot be mapped).</summary>
    public static MappedByteSource Open(string path, long length)
    {
        var map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, mapName: null, 0, MemoryMappedFileAccess.Read);
        try
        {
            var view = map.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
            return new MappedByteSource(map, view, length);
        }
        catch
        {
            map.Dispose();
            throw;
        }
    }

    public override ReadOnlySpan<byte> Read(long offset, int length)
    {
        ObjectDisposedException.ThrowIf(_base == null, this);
        return new ReadOnlySpan<byte>(_base + offset, length);
    }

    public override void Dispose()
    {
        if (_base != null)
        {
            _base = null;
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
            _map.Dispose();
        }
    }
}
