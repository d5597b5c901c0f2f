using System.Globalization;

namespace ChaosModular.Volume;

internal enum VolumeProfile
{
    /// <summary>The demo customer with a large history, and Demo Studio with many users.</summary>
    Account,

    /// <summary>Many customers with subscriptions renewing today and invoices due for automatic payment.</summary>
    Jobs,
}

/// <summary>
/// The profile and its sizes: <c>account|jobs [--name value]...</c>. Options the generator does not know are
/// passed to the host's configuration (<c>--Database:Provider PostgreSql</c>, <c>--ConnectionStrings:PostgreSql ...</c>).
/// </summary>
internal sealed record VolumeArguments
{
    public VolumeProfile Profile { get; init; }
    public int Seed { get; init; } = 20260101;
    public int BatchSize { get; init; } = 2000;

    // account
    public int Subscriptions { get; init; } = 1_000;
    public int Invoices { get; init; } = 5_000;
    public int PaymentMethods { get; init; } = 50;
    public int ServedLicenses { get; init; } = 200;
    public int OrganizationUsers { get; init; } = 5_000;

    // jobs
    public int Customers { get; init; } = 20_000;
    public int JobSubscriptions { get; init; } = 100_000;
    public int DuePercent { get; init; } = 100;
    public int AutoRenewOffPercent { get; init; } = 10;
    public int DecliningPercent { get; init; } = 5;
    public int OpenInvoices { get; init; } = 5_000;

    public IReadOnlyList<string> HostArguments { get; init; } = [];

    public const string Usage = """
        usage: ChaosModular.Volume account|jobs [options] [--Database:Provider Sqlite|PostgreSql|SqlServer --ConnectionStrings:<Provider> "..."]
          common:  --seed 20260101 --batch 2000
          account: --subscriptions 1000 --invoices 5000 --payment-methods 50 --served-licenses 200 --org-users 5000
          jobs:    --customers 20000 --subscriptions 100000 --due-percent 100 --auto-renew-off-percent 10
                   --declining-percent 5 --open-invoices 5000
        """;

    public static VolumeArguments Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || !Enum.TryParse<VolumeProfile>(args[0], ignoreCase: true, out var profile) || !Enum.IsDefined(profile))
        {
            throw new ArgumentException("The first argument is the profile: account or jobs.");
        }
        var result = new VolumeArguments { Profile = profile };
        var host = new List<string>();
        for (var i = 1; i < args.Count; i++)
        {
            var name = args[i];
            var value = i + 1 < args.Count ? args[i + 1] : null;
            int Number() => value is not null && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                ? n
                : throw new ArgumentException($"{name} needs a whole number, not '{value}'.");
            var known = true;
            result = name switch
            {
                "--seed" => result with { Seed = Number() },
                "--batch" => result with { BatchSize = Math.Max(1, Number()) },
                "--subscriptions" when profile == VolumeProfile.Account => result with { Subscriptions = Number() },
                "--subscriptions" => result with { JobSubscriptions = Number() },
                "--invoices" => result with { Invoices = Number() },
                "--payment-methods" => result with { PaymentMethods = Number() },
                "--served-licenses" => result with { ServedLicenses = Number() },
                "--org-users" => result with { OrganizationUsers = Number() },
                "--customers" => result with { Customers = Math.Max(1, Number()) },
                "--due-percent" => result with { DuePercent = Percent(name, Number()) },
                "--auto-renew-off-percent" => result with { AutoRenewOffPercent = Percent(name, Number()) },
                "--declining-percent" => result with { DecliningPercent = Percent(name, Number()) },
                "--open-invoices" => result with { OpenInvoices = Number() },
                _ => Unknown(result, out known),
            };
            if (known)
            {
                i++;
            }
            else
            {
                host.Add(name);
            }
        }
        return result with { HostArguments = host };
    }

    private static VolumeArguments Unknown(VolumeArguments result, out bool known)
    {
        known = false;
        return result;
    }

    private static int Percent(string name, int value) =>
        value is >= 0 and <= 100 ? value : throw new ArgumentException($"{name} is a percentage (0 to 100), not {value}.");
}
