using System.Globalization;

namespace AlignLab.Data;

/// <summary>One line of a file: its bytes without the line break, where it starts, where the next one starts, and whether a '\n' ended it.</summary>
public readonly record struct FileLine(ReadOnlyMemory<byte> Bytes, long Number, long Offset, long NextOffset, bool Terminated);

/// <summary>
/// Reads a stream line by line ('\n', with a '\r' before it dropped) without ever holding more than one
/// line, refusing a line longer than the limit. The returned bytes are valid until the next read.
/// </summary>
public sealed class BoundedLineReader
{
    private readonly Stream _stream;
    private readonly string _path;
    private readonly int _maxLineBytes;
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private long _bufferOffset; // file offset of _buffer[0]
    private long _lineNumber;
    private bool _eof;

    public BoundedLineReader(Stream stream, string path, int maxLineBytes)
    {
        _stream = stream ?? throw new ArgumentNullException(nameof(stream));
        _path = path ?? throw new ArgumentNullException(nameof(path));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLineBytes);
        _maxLineBytes = maxLineBytes;
    }

    /// <summary>The next line, or false at the end of the stream (a final line without '\n' is returned unterminated).</summary>
    public bool TryRead(out FileLine line)
    {
        var scanned = _start;
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', scanned, _end - scanned);
            if (newline >= 0)
            {
                line = Take(newline, terminated: true);
                return true;
            }
            scanned = _end;
            if (_end - _start > _maxLineBytes)
            {
                throw DataFormatException.At(_path, _lineNumber + 1, string.Create(CultureInfo.InvariantCulture,
                    $"a line longer than the limit of {_maxLineBytes} bytes"));
            }
            if (_eof)
            {
                if (_end == _start)
                {
                    line = default;
                    return false;
                }
                line = Take(_end, terminated: false);
                return true;
            }
            var pending = _end - _start;
            Fill();
            scanned = _start + pending;
        }
    }

    private FileLine Take(int lineEnd, bool terminated)
    {
        var length = lineEnd - _start;
        if (length > _maxLineBytes)
        {
            throw DataFormatException.At(_path, _lineNumber + 1, string.Create(CultureInfo.InvariantCulture,
                $"a line longer than the limit of {_maxLineBytes} bytes"));
        }
        var contentLength = terminated && length > 0 && _buffer[lineEnd - 1] == (byte)'\r' ? length - 1 : length;
        _lineNumber++;
        var next = _bufferOffset + lineEnd + (terminated ? 1 : 0);
        var line = new FileLine(_buffer.AsMemory(_start, contentLength), _lineNumber, _bufferOffset + _start, next, terminated);
        _start = terminated ? lineEnd + 1 : lineEnd;
        return line;
    }

    /// <summary>Moves the partial line to the front (growing the buffer when it is full) and reads more.</summary>
    private void Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _bufferOffset += _start;
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, (int)Math.Min((long)_buffer.Length * 2, (long)_maxLineBytes + 2));
        }
        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _eof = true;
        }
        _end += read;
    }
}
