using ChaosModular.E2E.Harness;
using ChaosModular.E2E.Pages;
using ChaosModular.E2E.Seeding;
using ChaosModular.Tools.LicenseServer;

namespace ChaosModular.E2E.Journeys;

/// <summary>
/// License servers and borrowing, end to end: the reference client writes a request file as a customer's license
/// server would, the customer uploads it and downloads the response, and the client verifies that response with
/// nothing but the portal's published keys; then seats are borrowed and returned, and deactivating the server frees
/// its seats. Availability on Licensing › Licenses follows each step.
/// </summary>
public sealed class LicenseServersJourney(PortalFixture portal, ITestOutputHelper output) : PortalTest(portal, output)
{
    [Fact]
    public Task Activates_a_server_by_file_verifies_the_response_borrows_returns_and_deactivates() => JourneyAsync(async page =>
    {
        var customer = await SeedAsync(CustomerBuilder.For().WithSubscription("vray-solo-annual", "EUR", seats: 5, activatedDaysAgo: 100));
        await ProductsJourney.SignInAsync(page, customer);
        var licenses = await LicensesPage.OpenAsync(page);
        await licenses.WaitForLicenseAsync("V-Ray Solo");
        await Expect(licenses.Row("V-Ray Solo").Available).ToHaveTextAsync("5");

        await licenses.Page.GetByTestId("tab-servers").ClickAsync();
        var servers = new LicenseServersPage(page);
        await servers.ExpectOpenAsync();
        await Expect(servers.Empty).ToBeVisibleAsync();

        // The license server (the reference client) writes its request file.
        var work = Directory.CreateTempSubdirectory("chaos-e2e-license-server").FullName;
        var state = Path.Combine(work, "state.json");
        var fingerprint = HostFingerprint.Of(Guid.NewGuid().ToString(), "farm-01");
        Assert.Equal(Cli.Success, await ClientAsync("request", "--state", state, "--server-id", "farm-01", "--name", "Render farm 01",
            "--fingerprint", fingerprint, "--seats", "vray-solo=2", "--out", Path.Combine(work, "request.json")));

        var activation = await servers.ActivateFromFileAsync(Path.Combine(work, "request.json"));
        await Expect(activation.ServerName).ToHaveTextAsync("Render farm 01");
        await Expect(activation.GrantedSeats).ToHaveTextAsync("2");
        var response = Path.Combine(work, "response.json");
        await activation.DownloadResponseAsync(response);

        // The server verifies the response offline, with only the published key set.
        Assert.Equal(Cli.Success, await ClientAsync("verify", "--state", state, "--file", response,
            "--keys", new Uri(Portal.BaseUrl, KeySet.WellKnownPath).ToString()));
        File.WriteAllText(response, File.ReadAllText(response).Replace("\"version\": 1", "\"version\": 1 ", StringComparison.Ordinal)
            .Replace("\"keyId\": \"", "\"keyId\": \"x", StringComparison.Ordinal));
        Assert.Equal(Cli.Refused, await ClientAsync("verify", "--state", state, "--file", response,
            "--keys", new Uri(Portal.BaseUrl, KeySet.WellKnownPath).ToString()));

        await servers.GotoAsync();
        await Expect(servers.Server("Render farm 01").GetByTestId("server-mode")).ToHaveTextAsync("Offline file");
        await Expect(servers.Server("Render farm 01")).ToHaveAttributeAsync("data-seats", "2");
        await licenses.GotoAsync();
        await Expect(licenses.Row("V-Ray Solo").Available).ToHaveTextAsync("3");

        // Borrow two seats for one laptop and one for another: 0 free; return the second: 1 free.
        var returnOn = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(5);
        await servers.GotoAsync();
        await servers.BorrowAsync("V-Ray Solo", 2, "laptop-anna", returnOn);
        await licenses.GotoAsync();
        await Expect(licenses.Row("V-Ray Solo").Available).ToHaveTextAsync("1");
        await servers.GotoAsync();
        await servers.BorrowAsync("V-Ray Solo", 1, "laptop-ben", returnOn);
        await licenses.GotoAsync();
        await Expect(licenses.Row("V-Ray Solo").Available).ToHaveTextAsync("0");

        await servers.GotoAsync();
        await Expect(servers.BorrowRows).ToHaveCountAsync(2);
        await servers.ReturnAsync("laptop-ben");
        await Expect(servers.BorrowRows).ToHaveCountAsync(1);
        await Expect(servers.Borrow("laptop-anna").GetByTestId("borrow-seats")).ToHaveTextAsync("2");
        await licenses.GotoAsync();
        await Expect(licenses.Row("V-Ray Solo").Available).ToHaveTextAsync("1");

        // Deactivating the server frees its two seats at once.
        await servers.GotoAsync();
        await servers.DeactivateAsync("Render farm 01");
        await Expect(servers.ServerRows).ToHaveCountAsync(0);
        await licenses.GotoAsync();
        await Expect(licenses.Row("V-Ray Solo").Available).ToHaveTextAsync("3");
    });

    [Fact]
    public Task Activates_a_server_online_with_a_code_which_leases_seats_until_it_is_deactivated() => JourneyAsync(async page =>
    {
        var customer = await SeedAsync(CustomerBuilder.For().WithSubscription("vray-solo-annual", "EUR", seats: 3, activatedDaysAgo: 30));
        await ProductsJourney.SignInAsync(page, customer);
        var licenses = await LicensesPage.OpenAsync(page);
        await licenses.WaitForLicenseAsync("V-Ray Solo");
        await Expect(licenses.Row("V-Ray Solo").Available).ToHaveTextAsync("3");
        var servers = new LicenseServersPage(page);
        await servers.GotoAsync();

        await page.GetByTestId("create-activation-code").ClickAsync();
        var code = await page.GetByTestId("activation-code").InnerTextAsync();

        // The license server (the reference client) activates with the code, leases two seats and keeps them by heartbeats.
        var state = Path.Combine(Directory.CreateTempSubdirectory("chaos-e2e-online-server").FullName, "state.json");
        var portal = Portal.BaseUrl.ToString().TrimEnd('/');
        Assert.Equal(Cli.Success, await ClientAsync("activate", "--state", state, "--portal", portal, "--code", code, "--server-id", "studio", "--name", "Studio server",
            "--fingerprint", HostFingerprint.Of(Guid.NewGuid().ToString(), "studio")));
        Assert.Equal(Cli.Refused, await ClientAsync("activate", "--state", Path.ChangeExtension(state, ".second.json"), "--portal", portal, "--code", code,
            "--server-id", "other", "--name", "Other", "--fingerprint", HostFingerprint.Of(Guid.NewGuid().ToString(), "other")));
        Assert.Equal(Cli.Success, await ClientAsync("lease", "--state", state, "--product", "vray-solo", "--seats", "2"));
        Assert.Equal(Cli.Success, await ClientAsync("heartbeat", "--state", state));

        await servers.GotoAsync();
        await Expect(servers.Server("Studio server").GetByTestId("server-mode")).ToHaveTextAsync("Online");
        await Expect(servers.Server("Studio server")).ToHaveAttributeAsync("data-seats", "2");
        await licenses.GotoAsync();
        await Expect(licenses.Row("V-Ray Solo").Available).ToHaveTextAsync("1");

        // Deactivated in the portal: its seats are free at once and its secret stops working.
        await servers.GotoAsync();
        await servers.DeactivateAsync("Studio server");
        await licenses.GotoAsync();
        await Expect(licenses.Row("V-Ray Solo").Available).ToHaveTextAsync("3");
        Assert.Equal(Cli.Refused, await ClientAsync("heartbeat", "--state", state));
    });

    private async Task<int> ClientAsync(params string[] args)
    {
        using var http = new HttpClient();
        using var output = new StringWriter();
        var exit = await Cli.RunAsync(args, new CommandContext(output, output, TimeProvider.System, http));
        Output.WriteLine($"chaos-license-server {args[0]} → {exit}\n{output}");
        return exit;
    }
}
