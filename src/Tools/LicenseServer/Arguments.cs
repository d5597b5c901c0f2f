namespace ChaosModular.Tools.LicenseServer;

/// <summary>A command line the user got wrong: exit code 2.</summary>
public sealed class UsageException : Exception
{
    public UsageException()
    {
    }

    public UsageException(string message) : base(message)
    {
    }

    public UsageException(string message, Exception innerException) : base(message, innerException)
    {
    }
}

/// <summary>The options of one command: <c>--name value</c> or <c>--name=value</c>; only the known names, repeated only where allowed.</summary>
internal sealed class Arguments
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    private Arguments()
    {
    }

    public static Arguments Parse(IEnumerable<string> args, string command, IReadOnlyCollection<string> known, IReadOnlyCollection<string>? repeatable = null)
    {
        var parsed = new Arguments();
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var arg = e.Current;
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                throw new UsageException($"{command}: unexpected argument \"{arg}\".");
            }
            var name = arg[2..];
            string? value = null;
            var equals = name.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
            {
                value = name[(equals + 1)..];
                name = name[..equals];
            }
            if (!known.Contains(name))
            {
                throw new UsageException($"{command}: unknown option --{name}.");
            }
            if (value is null)
            {
                if (!e.MoveNext())
                {
                    throw new UsageException($"{command}: --{name} needs a value.");
                }
                value = e.Current;
            }
            if (!parsed._values.TryGetValue(name, out var list))
            {
                parsed._values[name] = list = [];
            }
            else if (repeatable is null || !repeatable.Contains(name))
            {
                throw new UsageException($"{command}: --{name} is given more than once.");
            }
            list.Add(value);
        }
        return parsed;
    }

    public string? Optional(string name) => _values.TryGetValue(name, out var list) ? list[0] : null;

    public string Required(string name, string command) =>
        Optional(name) is { Length: > 0 } value ? value : throw new UsageException($"{command}: --{name} is required.");

    public IReadOnlyList<string> All(string name) => _values.TryGetValue(name, out var list) ? list : [];
}
