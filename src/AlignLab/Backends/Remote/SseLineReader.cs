using System.Globalization;
using System.Text;

namespace AlignLab.Backends.Remote;

/// <summary>The lines of a server-sent event stream ('\n' or "\r\n"), read asynchronously, each at most a limit (an untrusted server cannot make one line eat the memory).</summary>
internal sealed class SseLineReader(Stream stream, long maxLineBytes, Uri url)
{
    private readonly byte[] _buffer = new byte[16 * 1024];
    private readonly MemoryStream _line = new();
    private int _start;
    private int _end;

    /// <summary>The next line without its break; null at the end of the stream.</summary>
    public async Task<string?> ReadLineAsync(CancellationToken cancel)
    {
        _line.SetLength(0);
        while (true)
        {
            if (_start == _end)
            {
                _start = 0;
                _end = await stream.ReadAsync(_buffer, cancel).ConfigureAwait(false);
                if (_end == 0)
                {
                    return _line.Length == 0 ? null : Text();
                }
            }
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            var stop = newline < 0 ? _end : newline;
            if (_line.Length + (stop - _start) > maxLineBytes)
            {
                throw new RemoteModelException(string.Create(CultureInfo.InvariantCulture, $"{url}: a streamed event exceeds the limit of {maxLineBytes} bytes"));
            }
            _line.Write(_buffer, _start, stop - _start);
            _start = newline < 0 ? _end : newline + 1;
            if (newline >= 0)
            {
                return Text();
            }
        }
    }

    private string Text()
    {
        var bytes = _line.GetBuffer().AsSpan(0, (int)_line.Length);
        if (bytes.Length > 0 && bytes[^1] == (byte)'\r')
        {
            bytes = bytes[..^1];
        }
        return Encoding.UTF8.GetString(bytes);
    }
}
