using System.Net;
using ChaosModular.Modules.Abstractions;
using ChaosModular.Licensing.Domain;

namespace ChaosModular.UnitTests.Licensing;

/// <summary>The real server, activation not rate limited: several servers are set up in one test.</summary>
public sealed class LicenseServerPostgresFactory : PostgresPortalFactory
{
    public LicenseServerPostgresFactory() => With("Licensing:Api:ActivationsPerMinute", "1000");
}

/// <summary>On PostgreSQL: servers racing for the seats of one license never get more than it has.</summary>
public sealed class LicenseServerRaceTests(LicenseServerPostgresFactory factory) : IClassFixture<LicenseServerPostgresFactory>
{
    private const int Servers = 10;
    private const int CallsPerServer = 5;

    [Fact]
    public async Task Fifty_lease_calls_at_once_for_a_five_seat_license_get_exactly_five_seats()
    {
        var account = await ServerAccount.SignUpAsync(factory);
        var licenseId = await account.LicenseAsync(seats: 5);
        var servers = new List<LicenseServerClient>();
        for (var i = 0; i < Servers; i++)
        {
            servers.Add(await account.ActivateServerAsync());
        }

        using var start = new SemaphoreSlim(0);
        var calls = servers.SelectMany(s => Enumerable.Range(0, CallsPerServer).Select(async _ =>
        {
            await start.WaitAsync();
            var response = await s.LeaseAsync(licenseId);
            return (response.StatusCode, Detail: response.StatusCode == HttpStatusCode.Created ? "" : await LicenseServerClient.ProblemAsync(response, HttpStatusCode.Conflict));
        })).ToList();
        start.Release(calls.Count);
        var answers = await Task.WhenAll(calls);

        Assert.Equal(Servers * CallsPerServer, answers.Length);
        Assert.Equal(5, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        Assert.Equal(45, answers.Count(a => a.StatusCode == HttpStatusCode.Conflict));
        Assert.All(answers.Where(a => a.StatusCode == HttpStatusCode.Conflict), a => Assert.StartsWith("No seats free", a.Detail, StringComparison.Ordinal));
        var license = await account.LicenseOfAsync(licenseId);
        Assert.Equal((5, 0), (license.InUse, license.Availability.Available));
        Assert.Equal(5, await factory.InLicensing(db => db.Leases.CountAsync(l => l.LicenseId == licenseId && l.EndedUtc == null)));
        Assert.Equal(5, await factory.InLicensing(db => db.Leases.Where(l => l.LicenseId == licenseId && l.EndedUtc == null).SumAsync(l => l.Seats)));
    }

    [Fact]
    public async Task Borrows_from_the_portal_and_leases_from_servers_racing_for_five_seats_get_exactly_five()
    {
        var account = await ServerAccount.SignUpAsync(factory);
        var licenseId = await account.LicenseAsync(seats: 5);
        var servers = new List<LicenseServerClient>();
        for (var i = 0; i < 5; i++)
        {
            servers.Add(await account.ActivateServerAsync());
        }
        var token = LicenseServerScenario.Token(await account.Customer.Client.GetPageAsync(ChaosModular.Licensing.Contracts.LicensingRoutes.Borrow));
        var returnOn = factory.Services.GetRequiredService<TimeProvider>().Today().AddDays(3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        using var start = new SemaphoreSlim(0);
        var leases = servers.SelectMany(s => Enumerable.Range(0, 5).Select(async _ =>
        {
            await start.WaitAsync();
            var response = await s.LeaseAsync(licenseId);
            return (Won: response.StatusCode == HttpStatusCode.Created, Refusal: response.StatusCode == HttpStatusCode.Conflict ? await LicenseServerClient.ProblemAsync(response, HttpStatusCode.Conflict) : "");
        }));
        var borrows = Enumerable.Range(0, 25).Select(async i =>
        {
            await start.WaitAsync();
            var response = await account.Customer.Client.Http.PostAsync(new Uri(ChaosModular.Licensing.Contracts.LicensingRoutes.Borrow, UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token,
                ["Form.LicenseId"] = licenseId.ToString(),
                ["Form.Seats"] = "1",
                ["Form.Machine"] = $"laptop-{i}",
                ["Form.ReturnOn"] = returnOn,
            }));
            return (Won: response.StatusCode == HttpStatusCode.Redirect, Refusal: response.StatusCode == HttpStatusCode.Redirect ? "" : PortalClient.Decode(await response.Content.ReadAsStringAsync()));
        });
        var calls = leases.Concat(borrows).ToList();
        start.Release(calls.Count);
        var answers = await Task.WhenAll(calls);

        Assert.Equal(50, answers.Length);
        Assert.Equal(5, answers.Count(a => a.Won));
        Assert.All(answers.Where(a => !a.Won), a => Assert.Contains("No seats free", a.Refusal, StringComparison.Ordinal));
        var license = await account.LicenseOfAsync(licenseId);
        Assert.Equal(5, license.InUse + license.Borrowed);
        Assert.Equal(license.InUse, await factory.InLicensing(db => db.Leases.Where(l => l.LicenseId == licenseId && l.EndedUtc == null).SumAsync(l => l.Seats)));
        Assert.Equal(license.Borrowed, await factory.InLicensing(db => db.Borrows.Where(b => b.LicenseId == licenseId && b.EndedUtc == null).SumAsync(b => b.Seats)));
    }

    [Fact]
    public async Task One_activation_code_raced_by_many_servers_activates_one()
    {
        var account = await ServerAccount.SignUpAsync(factory);
        var code = await account.ActivationCodeAsync();
        var servers = Enumerable.Range(0, 8).Select(_ => new LicenseServerClient(factory)).ToList();

        using var start = new SemaphoreSlim(0);
        var calls = servers.Select(async s =>
        {
            await start.WaitAsync();
            return (await s.ActivateAsync(code)).StatusCode;
        }).ToList();
        start.Release(calls.Count);
        var answers = await Task.WhenAll(calls);

        Assert.Equal(1, answers.Count(a => a == HttpStatusCode.Created));
        Assert.Equal(7, answers.Count(a => a == HttpStatusCode.Forbidden));
        Assert.Equal(1, await factory.InLicensing(db => db.Servers.CountAsync(s => s.CustomerId == account.UserId && s.Mode == ActivationMode.Online)));
    }
}
