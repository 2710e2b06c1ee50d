using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace AlignLab.Engine.Tests.Formats.Safetensors;

/// <summary>Hand-built safetensors bytes for tests: an arbitrary header and a data section.</summary>
internal static class SafetensorsTestFiles
{
    public static byte[] Build(string headerJson, int dataLength)
    {
        var header = Encoding.UTF8.GetBytes(headerJson);
        var bytes = new byte[8 + header.Length + dataLength];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        for (var i = 8 + header.Length; i < bytes.Length; i++)
        {
            bytes[i] = (byte)i;
        }
        return bytes;
    }

    public static byte[] Floats(params float[] values) => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
}
