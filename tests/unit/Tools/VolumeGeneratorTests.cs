using ChaosModular.Accounts.Data;
using ChaosModular.Billing.Data;
using ChaosModular.Licensing.Data;
using ChaosModular.Modules.Infrastructure.Hosting;
using ChaosModular.Organizations.Data;
using ChaosModular.Subscriptions.Data;
using ChaosModular.Subscriptions.Domain;
using ChaosModular.Volume;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace ChaosModular.UnitTests.Tools;

/// <summary>
/// The volume generator (src/Tools/Volume) on tiny sizes and SQLite: the rows each profile promises are in the
/// database, and the same seed on the same day gives the same data.
/// </summary>
public sealed class VolumeGeneratorTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 3, 31, 9, 30, 0, TimeSpan.Zero);
    private readonly string _directory = Directory.CreateTempSubdirectory("chaos-volume-tests-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private IHost Host(VolumeArguments arguments, string database) => VolumeHost.Build(arguments,
        configuration => configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["ConnectionStrings:Sqlite"] = $"Data Source={Path.Combine(_directory, database)}-{{module}}.db",
            ["Licensing:Signing:KeyDirectory"] = Path.Combine(_directory, "keys"),
            ["Licensing:Signing:GenerateIfMissing"] = "true",
            ["Smtp:PickupDirectory"] = Path.Combine(_directory, "mail"),
            // The jobs profile needs no demo (the account profile turns it on itself).
            ["Seed:Demo"] = "false",
        }),
        services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(new FakeTimeProvider(Now))));

    private static VolumeArguments Account => VolumeArguments.Parse(
        ["account", "--subscriptions", "12", "--invoices", "20", "--payment-methods", "3", "--served-licenses", "4", "--org-users", "15", "--batch", "7"]);

    private static VolumeArguments Jobs => VolumeArguments.Parse(
        ["jobs", "--customers", "10", "--subscriptions", "40", "--due-percent", "75", "--auto-renew-off-percent", "25", "--declining-percent", "30",
         "--open-invoices", "8", "--batch", "9"]);

    [Fact]
    public async Task The_account_profile_gives_the_demo_customer_and_Demo_Studio_what_it_promises()
    {
        using var host = Host(Account, "account");
        await host.Services.InitializeModulesAsync();
        var before = await CountsAsync(host);

        var report = await VolumeHost.RunAsync(host, Account, CancellationToken.None);

        var after = await CountsAsync(host);
        Assert.Equal(12, after.Subscriptions - before.Subscriptions);
        Assert.Equal(12, after.Licenses - before.Licenses);
        Assert.Equal(20, after.Invoices - before.Invoices);
        Assert.True(after.InvoiceLines - before.InvoiceLines >= 20);
        Assert.Equal(3, after.PaymentMethods - before.PaymentMethods);
        Assert.Equal(15, after.Memberships - before.Memberships);
        Assert.Equal(15, after.Accounts - before.Accounts);
        Assert.Equal(4, after.Leases - before.Leases);
        Assert.Equal(report.Rows["license allocations"], after.Allocations - before.Allocations);
        Assert.True(report.Rows["license allocations"] > 0);

        await using var scope = host.Services.CreateAsyncScope();
        var subscriptions = scope.ServiceProvider.GetRequiredService<SubscriptionsDbContext>();
        var today = DateOnly.FromDateTime(Now.UtcDateTime);
        // Some expired (ended before today), the others active and renewing after today.
        Assert.Contains(await subscriptions.Subscriptions.ToListAsync(), s => s.Status == SubscriptionStatus.Expired && s.ExpiredOn <= today);
        Assert.All(await subscriptions.Subscriptions.Where(s => s.Status == SubscriptionStatus.Active).ToListAsync(), s => Assert.True(s.RenewsOn > today));
        // Numbered after the demo's invoices, without a gap or a repeat.
        var billing = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
        var numbers = await billing.Invoices.Select(i => i.Number).ToListAsync();
        Assert.Equal(numbers.Count, numbers.Distinct().Count());
        var counters = await billing.InvoiceNumbers.ToListAsync();
        Assert.True(numbers.Count == counters.Sum(c => c.Last), string.Join(",", numbers.Order()) + " | " + string.Join(",", counters.Select(c => $"{c.Year}:{c.Last}")));
    }

    [Fact]
    public async Task The_jobs_profile_gives_customers_cards_subscriptions_due_today_and_invoices_due_for_automatic_payment()
    {
        using var host = Host(Jobs, "jobs");

        var report = await VolumeHost.RunAsync(host, Jobs, CancellationToken.None);

        await using var scope = host.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountsDbContext>();
        var customers = await accounts.Users.Where(u => u.Email!.StartsWith("volume-customer-")).Select(u => u.Id).ToListAsync();
        Assert.Equal(10, customers.Count);
        var billing = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
        Assert.Equal(10, await billing.Profiles.CountAsync(p => customers.Contains(p.CustomerId) && p.Country != ""));
        var cards = await billing.PaymentMethods.Where(p => customers.Contains(p.CustomerId) && p.IsDefault).ToListAsync();
        Assert.Equal(10, cards.Count);
        Assert.Equal(report.Rows["declining default cards"], cards.Count(c => JobsVolume.DecliningLast4.Contains(c.Last4)));
        Assert.InRange(report.Rows["declining default cards"], 1, 9);

        var today = DateOnly.FromDateTime(Now.UtcDateTime);
        var subscriptions = await scope.ServiceProvider.GetRequiredService<SubscriptionsDbContext>().Subscriptions.ToListAsync();
        Assert.Equal(40, subscriptions.Count);
        Assert.Equal(report.Rows["subscriptions renewing today"], subscriptions.Count(s => s.RenewsOn == today));
        // 75 per cent asked for, on the 31st: renewals keep the activation day, so each is activated on a 31st.
        Assert.InRange(subscriptions.Count(s => s.RenewsOn == today), 20, 39);
        Assert.All(subscriptions.Where(s => s.RenewsOn == today), s => Assert.Equal(31, s.ActivatedOn.Day));
        Assert.All(subscriptions, s => Assert.True(s.RenewsOn >= today && s.Status == SubscriptionStatus.Active));
        Assert.Equal(report.Rows["subscriptions auto-renew off"], subscriptions.Count(s => !s.AutoRenew));
        Assert.InRange(subscriptions.Count(s => !s.AutoRenew), 1, 39);
        Assert.Equal(40, await scope.ServiceProvider.GetRequiredService<LicensingDbContext>().Licenses.CountAsync());

        var invoices = await billing.Invoices.Include(i => i.Lines).ToListAsync();
        Assert.Equal(8, invoices.Count);
        Assert.All(invoices, i =>
        {
            Assert.True(i.IsPayable);
            Assert.Equal(Now.UtcDateTime.Date, i.DueUtc);
            Assert.True(i.NextAutoPayUtc <= Now.UtcDateTime);
            Assert.Single(i.Lines);
        });
    }

    [Fact]
    public async Task The_same_seed_on_the_same_day_gives_the_same_data()
    {
        var first = await SnapshotAsync(Jobs, "first");
        var second = await SnapshotAsync(Jobs, "second");
        var otherSeed = await SnapshotAsync(Jobs with { Seed = Jobs.Seed + 1 }, "other");

        Assert.Equal(first, second);
        Assert.NotEqual(first, otherSeed);
    }

    private async Task<string> SnapshotAsync(VolumeArguments arguments, string database)
    {
        using var host = Host(arguments, database);
        await VolumeHost.RunAsync(host, arguments, CancellationToken.None);
        await using var scope = host.Services.CreateAsyncScope();
        var users = await scope.ServiceProvider.GetRequiredService<AccountsDbContext>().Users
            .Select(u => $"{u.Id} {u.Email} {u.CustomerNumber} {u.CreatedUtc:O}").ToListAsync();
        var subscriptions = await scope.ServiceProvider.GetRequiredService<SubscriptionsDbContext>().Subscriptions
            .Select(s => $"{s.Id} {s.CustomerId} {s.PlanCode} {s.Currency} {s.PricePerSeat} {s.Seats} {s.ActivatedOn} {s.RenewsOn} {s.AutoRenew}").ToListAsync();
        var billing = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
        var cards = await billing.PaymentMethods.Select(p => $"{p.CustomerId} {p.Last4} {p.IsDefault} {p.GatewayToken}").ToListAsync();
        var invoices = (await billing.Invoices.Include(i => i.Lines).ToListAsync())
            .Select(i => $"{i.Number} {i.CustomerId} {i.Currency} {i.Total} {i.DueUtc:O} {string.Join(",", i.Lines.Select(l => $"{l.Description} {l.Quantity} {l.UnitPrice}"))}");
        return string.Join("\n", users.Concat(subscriptions).Concat(cards).Concat(invoices).Order(StringComparer.Ordinal));
    }

    private sealed record Counts(int Accounts, int Subscriptions, int Licenses, int Invoices, int InvoiceLines, int PaymentMethods, int Memberships,
        int Leases, int Allocations);

    private static async Task<Counts> CountsAsync(IHost host)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var billing = sp.GetRequiredService<BillingDbContext>();
        var licensing = sp.GetRequiredService<LicensingDbContext>();
        return new Counts(
            await sp.GetRequiredService<AccountsDbContext>().Users.CountAsync(),
            await sp.GetRequiredService<SubscriptionsDbContext>().Subscriptions.CountAsync(),
            await licensing.Licenses.CountAsync(),
            await billing.Invoices.CountAsync(),
            await billing.Set<ChaosModular.Billing.Domain.InvoiceLine>().CountAsync(),
            await billing.PaymentMethods.CountAsync(),
            await sp.GetRequiredService<OrganizationsDbContext>().Memberships.CountAsync(),
            await licensing.Leases.CountAsync(),
            await licensing.Allocations.CountAsync());
    }
}
