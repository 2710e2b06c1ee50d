using System.Globalization;

namespace AlignLab.Cli.Commands;

/// <summary>Token ids on the command line: "1,2,3", or a JSON array "[1, 2, 3]" as <c>tokenize</c> prints.</summary>
internal static class TokenIdList
{
    public static int[] Parse(string text, string option)
    {
        var body = text.Trim();
        if (body.StartsWith('[') && body.EndsWith(']'))
        {
            body = body[1..^1];
        }
        if (string.IsNullOrWhiteSpace(body))
        {
            throw new UsageException($"{option}: no token ids (expected comma-separated integers like 1,2,3)");
        }
        var items = body.Split(',');
        var ids = new int[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            var item = items[i].Trim();
            if (!int.TryParse(item, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out ids[i]))
            {
                throw new UsageException($"{option}: item {i + 1} \"{item}\" is not a token id (expected comma-separated integers like 1,2,3)");
            }
        }
        return ids;
    }
}

/// <summary>The --threads option of the commands that run a model.</summary>
internal static class ThreadCount
{
    public static int? Check(int? threads, string command)
        => threads is null or > 0 ? threads : throw new UsageException($"{command}: --threads {threads} must be ≥ 1");
}
