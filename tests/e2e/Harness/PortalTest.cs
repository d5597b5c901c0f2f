using System.Runtime.CompilerServices;
using ChaosModular.E2E.Seeding;

namespace ChaosModular.E2E.Harness;

/// <summary>
/// Journeys against the shared portal (<see cref="PortalFixture"/>): each signs up or seeds its own customers, so
/// they neither see nor change each other's data and run in any order.
/// </summary>
[Collection(PortalCollection.Name)]
public abstract class PortalTest(PortalFixture portal, ITestOutputHelper output) : JourneyTest(portal, output);

/// <summary>Journeys against the demo portal whose clock can be moved (<see cref="RenewalsPortalFixture"/>).</summary>
[Collection(RenewalsPortalCollection.Name)]
public abstract class RenewalsPortalTest(RenewalsPortalFixture portal, ITestOutputHelper output) : JourneyTest(portal, output)
{
    protected new RenewalsPortalFixture Portal { get; } = portal;
}

/// <summary>Journeys against the portal with Stripe (the fake one) as its gateway (<see cref="StripePortalFixture"/>).</summary>
[Collection(StripePortalCollection.Name)]
public abstract class StripePortalTest(StripePortalFixture portal, ITestOutputHelper output) : JourneyTest(portal, output)
{
    protected new StripePortalFixture Portal { get; } = portal;
}

/// <summary>
/// Base of the journey tests: each journey gets its own browser context (its own cookies) and, when it fails,
/// leaves for every browser session it opened a screenshot, the page's HTML and a Playwright trace under
/// artifacts/e2e/, and prints the browser's errors, the emails received and the Web/Worker logs.
/// The collection (which portal the journey runs against) is chosen by <see cref="PortalTest"/> or
/// <see cref="RenewalsPortalTest"/>.
/// </summary>
public abstract class JourneyTest(PortalFixture portal, ITestOutputHelper output)
{
    // xUnit creates a test class instance per test, so these belong to the running journey.
    private readonly List<(IBrowserContext Context, IPage Page)> _sessions = [];
    private readonly List<string> _browserErrors = [];

    private static readonly bool Traced = Environment.GetEnvironmentVariable("CHAOS_E2E_TRACE") == "1";

    protected PortalFixture Portal { get; } = portal;

    protected ITestOutputHelper Output { get; } = output;

    protected Mailbox Mailbox => Portal.Mailbox;

    /// <summary>Makes a customer of the journey's own in the portal (see <see cref="CustomerBuilder"/>).</summary>
    private protected Task<SeededCustomer> SeedAsync(CustomerBuilder customer) => Portal.SeedAsync(customer);

    /// <summary>Runs <paramref name="journey"/> in a fresh browser session; on failure saves what the user saw.</summary>
    protected async Task JourneyAsync(Func<IPage, Task> journey, [CallerMemberName] string name = "")
    {
        var started = DateTime.UtcNow;
        try
        {
            var page = await NewBrowserSessionAsync(name);
            await journey(page);
            // The page each session ended on, unless it was already checked on the way.
            foreach (var (_, session) in _sessions.Where(s => !s.Page.IsClosed && s.Page.Url.StartsWith("http", StringComparison.Ordinal)))
            {
                await Accessibility.CheckAsync(session);
            }
            Output.WriteLine($"{name} passed in {(DateTime.UtcNow - started).TotalSeconds:0.0} s");
        }
        catch (Exception)
        {
            await SaveFailureAsync(name);
            throw;
        }
        finally
        {
            foreach (var (context, _) in _sessions)
            {
                await context.DisposeAsync();
            }
        }
    }

    /// <summary>Another browser with its own cookies (a second device of the same customer, say).</summary>
    protected async Task<IPage> NewBrowserSessionAsync([CallerMemberName] string name = "")
    {
        var context = await Portal.NewContextAsync();
        // A Playwright trace (DOM snapshots only; the screencast doubled the journeys' time) when CHAOS_E2E_TRACE=1: it cost
        // about 6 % of the journeys' CPU on 2 December, and a failure saves a screenshot, the HTML and the logs anyway.
        if (Traced)
        {
            await context.Tracing.StartAsync(new TracingStartOptions { Snapshots = true, Title = name });
        }
        var page = await context.NewPageAsync();
        var session = _sessions.Count + 1;
        page.PageError += (_, error) => _browserErrors.Add($"session {session} page error: {error}");
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                _browserErrors.Add($"session {session} console error: {message.Text} ({message.Location})");
            }
        };
        _sessions.Add((context, page));
        return page;
    }

    private async Task SaveFailureAsync(string name)
    {
        var stamp = $"{DateTime.UtcNow:yyyyMMdd-HHmmss}";
        for (var i = 0; i < _sessions.Count; i++)
        {
            var (context, page) = _sessions[i];
            var stem = Path.Combine(Repository.Artifacts, _sessions.Count == 1 ? $"{name}-{stamp}" : $"{name}-{stamp}-session{i + 1}");
            Output.WriteLine($"FAILED; session {i + 1} was at {page.Url}; artifacts: {stem}.png, .html{(Traced ? ", -trace.zip" : "")}");
            await Try($"{stem}.png", () => page.ScreenshotAsync(new PageScreenshotOptions { Path = $"{stem}.png", FullPage = true }));
            await Try($"{stem}.html", async () => await File.WriteAllTextAsync($"{stem}.html", await page.ContentAsync()));
            if (Traced)
            {
                await Try($"{stem}-trace.zip", () => context.Tracing.StopAsync(new TracingStopOptions { Path = $"{stem}-trace.zip" }));
            }
        }
        foreach (var error in _browserErrors)
        {
            Output.WriteLine(error);
        }
        Output.WriteLine($"Emails received: {string.Join("; ", Mailbox.All)}");
        Output.WriteLine(Portal.ProcessLogs());

        async Task Try(string what, Func<Task> save)
        {
            try
            {
                await save();
            }
            catch (Exception ex)
            {
                Output.WriteLine($"Could not save {what}: {ex.Message}");
            }
        }
    }
}
