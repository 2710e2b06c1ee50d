using AlignLab.Engine.Formats;
using AlignLab.Engine.Tests.Support;

namespace AlignLab.Engine.Tests.Formats;

public sealed class AtomicFileTests
{
    [Fact]
    public void Write_replaces_the_target_and_leaves_no_temporary_file()
    {
        using var scratch = new ScratchDirectory();
        var target = scratch.Write("out.txt", "old");

        AtomicFile.Write(target, stream => stream.Write("new"u8));

        Assert.Equal("new", File.ReadAllText(target));
        Assert.Equal([target], Directory.GetFiles(scratch.Path));
    }

    [Fact]
    public void A_failing_writer_leaves_the_old_content_and_no_temporary_file()
    {
        using var scratch = new ScratchDirectory();
        var target = scratch.Write("out.txt", "old");

        var error = Assert.Throws<InvalidDataException>(() => AtomicFile.Write(target, stream =>
        {
            stream.Write("half"u8);
            throw new InvalidDataException("bad input");
        }));

        Assert.Equal("bad input", error.Message);
        Assert.Equal("old", File.ReadAllText(target));
        Assert.Equal([target], Directory.GetFiles(scratch.Path));
    }
}
