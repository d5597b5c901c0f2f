using System.Net;
using ChaosModular.Billing.Contracts;
using ChaosModular.Billing.Features;
using ChaosModular.Licensing.Features;
using ChaosModular.Organizations.Contracts;
using ChaosModular.Organizations.Data;
using ChaosModular.Organizations.Domain;
using ChaosModular.UnitTests.Billing;
using ChaosModular.UnitTests.Subscriptions;
using Xunit.Abstractions;

namespace ChaosModular.UnitTests.Performance;

/// <summary>
/// The portal with every module DbContext's commands counted per request (<see cref="SqlCommandCounter"/>). The catalog's
/// version check and the administrator role are remembered for an hour here so a warm page's count does not depend on
/// when it is measured.
/// </summary>
public sealed class CountingPortalFactory : SqlitePortalFactory
{
    public CountingPortalFactory()
    {
        With("Catalog:RefreshSeconds", "3600");
        With("Organizations:AdministratorRoleSeconds", "3600");
        TestServices = SqlCommandCounter.AddTo;
    }

    public SqlCommandCounter Counter => Services.GetRequiredService<SqlCommandCounter>();
}

/// <summary>
/// A page costs a fixed number of SQL commands whatever the account holds: each listed page is viewed (warm) by an
/// account with 3 of everything and one with 60, and both views must run the same number of commands.
/// </summary>
public sealed class PageCommandCountTests(CountingPortalFactory factory, ITestOutputHelper output) : IClassFixture<CountingPortalFactory>
{
    private static readonly string[] Plans =
    [
        "vray-solo-annual", "vray-premium-annual", "vray-next-workstation-annual", "corona-solo-monthly", "corona-premium-annual",
        "enscape-fixed-annual", "enscape-floating-annual", "vantage-annual", "phoenix-monthly", "vray-solo-monthly",
    ];

    private static readonly string[] Currencies = ["EUR", "USD", "GBP"];

    /// <summary>An account with <paramref name="rows"/> active and expired subscriptions (with licenses), invoices, invoice lines and organization users.</summary>
    private sealed record Account(BillingCustomer Customer, Guid FirstSubscription, Guid LongInvoice, string InvoiceNumber, Guid FirstLicense);

    private async Task<Account> AccountWithAsync(int rows)
    {
        var customer = await BillingCustomer.SignUpAsync(factory);
        var first = Guid.Empty;
        for (var i = 0; i < rows; i++)
        {
            var id = await customer.GiveSubscriptionAsync(Plans[i % Plans.Length], Currencies[i % Currencies.Length], 1 + (i % 3),
                ProductsPortalToday.AddDays(-400 + i));
            first = first == Guid.Empty ? id : first;
            await using var scope = factory.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<FollowSubscription>().HandleAsync(id, CancellationToken.None);
            await customer.GiveSubscriptionAsync(Plans[(i + 3) % Plans.Length], Currencies[i % Currencies.Length], 1,
                ProductsPortalToday.AddDays(-900 + i), autoRenew: false, expired: true);
        }
        InvoiceSummary? invoice = null;
        for (var i = 0; i < rows; i++)
        {
            invoice = await customer.InvoiceAsync(Currencies[i % Currencies.Length], 100m + i);
        }
        Guid longInvoice;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var lines = Enumerable.Range(1, rows)
                .Select(i => new CreateInvoiceLine($"V-Ray Solo seat {i}", 1, 470m, new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31), "vray-solo")).ToList();
            longInvoice = (await scope.ServiceProvider.GetRequiredService<IssueInvoice>().HandleAsync(new CreateInvoice(customer.UserId, "EUR", lines), CancellationToken.None)).Id;
        }
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OrganizationsDbContext>();
            var organization = Organization.SetUp(customer.UserId, $"Studio {Guid.NewGuid():N}"[..20], "support-test", DateTime.UtcNow);
            db.Organizations.Add(organization);
            db.Memberships.Add(Membership.Join(organization.Id, customer.UserId, customer.Email, OrganizationRole.Administrator, DateTime.UtcNow));
            for (var i = 0; i < rows; i++)
            {
                db.Memberships.Add(Membership.Join(organization.Id, $"member-{Guid.NewGuid():N}", $"member{i:D3}-{Guid.NewGuid():N}@example.test",
                    i % 5 == 0 ? OrganizationRole.Guest : OrganizationRole.Member, DateTime.UtcNow));
            }
            await db.SaveChangesAsync();
        }
        Guid firstLicense;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            firstLicense = await scope.ServiceProvider.GetRequiredService<ChaosModular.Licensing.Data.LicensingDbContext>().Licenses
                .Where(l => l.SubscriptionId == first).Select(l => l.Id).SingleAsync();
        }
        return new Account(customer, first, longInvoice, invoice!.Number, firstLicense);
    }

    private static DateOnly ProductsPortalToday => DateOnly.FromDateTime(DateTime.UtcNow);

    public static TheoryData<string> Pages => new()
    {
        "Products › Active", "Products › Expired", "Products › Details", "Billing › Invoices", "Billing › Invoices search", "Billing › Invoice PDF",
        "Licensing › Licenses", "Organization › Users", "Licensing › License", "Organization › Products", "Cloud Credits", "Learning",
    };

    private static string PathOf(string page, Account account) => page switch
    {
        "Products › Active" => "/products",
        "Products › Expired" => "/products/expired",
        "Products › Details" => $"/products/{account.FirstSubscription}",
        "Billing › Invoices" => "/billing",
        "Billing › Invoices search" => $"/billing?q={Uri.EscapeDataString(account.InvoiceNumber[..4])}",
        "Billing › Invoice PDF" => BillingRoutes.InvoicePdf(account.LongInvoice),
        "Licensing › Licenses" => "/licensing",
        "Organization › Users" => "/organization",
        "Licensing › License" => $"/licensing/licenses/{account.FirstLicense}",
        "Organization › Products" => "/organization/products",
        "Cloud Credits" => "/products/cloud-credits",
        "Learning" => "/learning",
        _ => throw new ArgumentOutOfRangeException(nameof(page), page, null),
    };

    /// <summary>The commands of a warm view: the first view fills what a process keeps (catalog, role), the second is counted.</summary>
    private async Task<IReadOnlyList<RecordedCommand>> CommandsOfAsync(string page, Account account)
    {
        var path = PathOf(page, account);
        var (warm, _) = await factory.Counter.RequestAsync(account.Customer.Client.Http, path);
        Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        var (response, commands) = await factory.Counter.RequestAsync(account.Customer.Client.Http, path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return commands;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task A_page_runs_the_same_number_of_SQL_commands_for_3_rows_as_for_60(string page)
    {
        var small = await AccountWithAsync(3);
        var large = await AccountWithAsync(60);

        var few = await CommandsOfAsync(page, small);
        var many = await CommandsOfAsync(page, large);

        output.WriteLine($"{page}: {few.Count} SQL commands with 3 rows, {many.Count} with 60.");
        Assert.True(few.Count == many.Count,
            $"{page} ran {few.Count} SQL commands with 3 rows and {many.Count} with 60:\n--- 60 rows:\n{string.Join("\n---\n", many)}");
        Assert.InRange(many.Count, 1, 12);
    }

    /// <summary>The commands of a warm view of each list page, pinned: a change that adds one to every request or to a page shows here.</summary>
    [Theory]
    [InlineData("/learning", 3)]            // session, the account's licenses, the seats allocated to it (the catalog's learning links are in memory)
    [InlineData("/products", 6)]            // session, membership, currencies with counts, the page with payment-due flags, keys, payment method
    [InlineData("/products/expired", 4)]    // session, membership, currencies with counts, the page
    public async Task A_warm_page_view_runs_a_pinned_number_of_SQL_commands(string path, int expected)
    {
        var account = await AccountWithAsync(30);

        var (warm, _) = await factory.Counter.RequestAsync(account.Customer.Client.Http, path);
        Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        var (response, commands) = await factory.Counter.RequestAsync(account.Customer.Client.Http, path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(commands.Count == expected, $"{path} ran {commands.Count} SQL commands, expected {expected}:\n{string.Join("\n---\n", commands)}");
    }

    [Fact]
    public async Task A_signed_in_view_checks_the_session_in_one_command_and_keeps_the_cookie()
    {
        var customer = await BillingCustomer.SignUpAsync(factory, card: null);
        await factory.Counter.RequestAsync(customer.Client.Http, "/account/password");

        // A page that reads nothing itself: only the session check is left.
        var (response, commands) = await factory.Counter.RequestAsync(customer.Client.Http, "/account/password");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var command = Assert.Single(commands);
        Assert.Contains("AspNetUsers", command.Text, StringComparison.Ordinal);
        // An unchanged session is not re-issued: no new sign-in cookie with every response.
        Assert.DoesNotContain(response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith("chaos.auth", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_administrator_role_is_read_once_per_window_and_forgotten_when_support_removes_the_administrator()
    {
        var first = await BillingCustomer.SignUpAsync(factory, card: null);
        var second = await BillingCustomer.SignUpAsync(factory, card: null);
        Guid organizationId, membershipId;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OrganizationsDbContext>();
            var organization = Organization.SetUp(first.UserId, $"Studio {Guid.NewGuid():N}"[..20], "support-test", DateTime.UtcNow);
            var membership = Membership.Join(organization.Id, first.UserId, first.Email, OrganizationRole.Administrator, DateTime.UtcNow);
            db.Organizations.Add(organization);
            db.Memberships.AddRange(membership, Membership.Join(organization.Id, second.UserId, second.Email, OrganizationRole.Administrator, DateTime.UtcNow));
            await db.SaveChangesAsync();
            (organizationId, membershipId) = (organization.Id, membership.Id);
        }

        var (firstView, firstCommands) = await factory.Counter.RequestAsync(first.Client.Http, "/organization");
        var (secondView, secondCommands) = await factory.Counter.RequestAsync(first.Client.Http, "/organization");
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (firstView.StatusCode, secondView.StatusCode));
        Assert.Equal(firstCommands.Count - 1, secondCommands.Count);   // the role query is not repeated inside the window

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var removed = await scope.ServiceProvider.GetRequiredService<ChaosModular.Organizations.Features.RemoveAdministrator>()
                .HandleAsync(organizationId, membershipId, CancellationToken.None);
            Assert.Equal(ChaosModular.Organizations.Features.RemoveAdministrator.Outcome.Removed, removed.Outcome);
        }
        // Removed in this process: the role is gone on the next request, not an hour (the window here) later.
        var (afterRemoval, _) = await factory.Counter.RequestAsync(first.Client.Http, "/organization");
        Assert.NotEqual(HttpStatusCode.OK, afterRemoval.StatusCode);
    }
}
