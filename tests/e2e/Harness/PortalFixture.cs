using System.Globalization;
using ChaosModular.E2E.Seeding;
using Npgsql;

namespace ChaosModular.E2E.Harness;

/// <summary>
/// The whole portal as it runs in production, started once per test collection: a fresh PostgreSQL database,
/// an SMTP listener, the Web process (serves pages, only enqueues jobs: <c>Jobs__RunServerInWeb=false</c>),
/// the Worker process (the only Hangfire server) and a headless Chromium. A derived fixture passes extra
/// settings for both processes (the moving clock of <see cref="RenewalsPortalFixture"/>) and a name that keeps
/// its logs apart. There is no demo data: each journey seeds its own customer with <see cref="SeedAsync"/>.
/// </summary>
public class PortalFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(90);

    private readonly string _logPrefix;
    private readonly IReadOnlyDictionary<string, string> _extraSettings;
    private IPlaywright? _playwright;
    private Dictionary<string, string>? _webSettings;

    /// <summary>Web's settings as started (another Web instance starts from them).</summary>
    protected IReadOnlyDictionary<string, string> WebSettings => _webSettings ?? throw new InvalidOperationException("The portal has not started.");
    private TestDataSeeder? _seeder;
    private bool _disposed;

    public PortalFixture()
        : this("", new Dictionary<string, string>())
    {
    }

    /// <param name="name">Prefixes the process logs: artifacts/e2e/&lt;name&gt;-web.log; empty for web.log.</param>
    /// <param name="extraSettings">Settings (environment variables) for Web and Worker, over the defaults.</param>
    protected PortalFixture(string name, IReadOnlyDictionary<string, string> extraSettings)
    {
        _logPrefix = string.IsNullOrEmpty(name) ? "" : name + "-";
        _extraSettings = extraSettings;
    }

    public TestDatabase Database { get; private set; } = null!;
    public Mailbox Mailbox { get; private set; } = null!;
    public AppProcess Web { get; private set; } = null!;
    public AppProcess Worker { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public Uri BaseUrl { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        // If the test host is torn down without DisposeAsync, the app processes must not outlive it.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => StopProcesses();
        try
        {
            Database = await TestDatabase.CreateAsync();
            Mailbox = Mailbox.Start();
            BaseUrl = new Uri($"http://127.0.0.1:{FreePort.Next()}");

            _webSettings = Settings(new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["ASPNETCORE_URLS"] = BaseUrl.ToString().TrimEnd('/'),
                ["ASPNETCORE_WEBROOT"] = Repository.WebRoot,
                ["Database__MigrateOnStartup"] = "true",
                // The point of this topology: Web enqueues, only the Worker runs jobs.
                ["Jobs__RunServerInWeb"] = "false",
            });
            Web = AppProcess.Start(_logPrefix + "web", Repository.WebDll, _webSettings);
            await WaitUntilHealthyAsync();

            // Started after Web has created the schemas (the Worker neither migrates nor prepares Hangfire's schema).
            Worker = AppProcess.Start(_logPrefix + "worker", Repository.WorkerDll, Settings(new Dictionary<string, string>
            {
                ["DOTNET_ENVIRONMENT"] = "Production",
                ["Database__MigrateOnStartup"] = "false",
            }));
            await WaitUntilWorkerServesJobsAsync();

            _playwright = await Playwright.CreateAsync();
            Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Chromium(),
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--disable-quic"],
            });
            SetDefaultExpectTimeout(10_000);
        }
        catch (Exception ex)
        {
            var logs = ProcessLogs();
            await DisposeAsync();
            throw new InvalidOperationException($"The portal did not start: {ex.Message}\n{logs}", ex);
        }
    }

    /// <summary>
    /// Makes the journey's own customer in this portal's database (see <see cref="TestDataSeeder"/>), through the
    /// modules' seeders composed in the test process with Web's settings.
    /// </summary>
    internal Task<SeededCustomer> SeedAsync(CustomerBuilder customer)
    {
        _seeder ??= new TestDataSeeder(_webSettings ?? throw new InvalidOperationException("The portal has not started."));
        return _seeder.SeedAsync(customer);
    }

    /// <summary>A new browser context (its own cookies) pointed at the portal.</summary>
    public async Task<IBrowserContext> NewContextAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl.ToString(),
            Locale = "en-US",
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(15_000);
        context.SetDefaultNavigationTimeout(30_000);
        return context;
    }

    /// <summary>Ids of the Hangfire servers registered in the database (Hangfire names them "&lt;host&gt;:&lt;role&gt;:&lt;pid&gt;:&lt;guid&gt;").</summary>
    public Task<IReadOnlyList<string>> HangfireServersAsync() => Database.QueryAsync("SELECT id FROM hangfire.server");

    /// <summary>The server id recorded on every job's Processing state: which process ran it.</summary>
    public Task<IReadOnlyList<string>> ServersThatProcessedJobsAsync() =>
        Database.QueryAsync("SELECT DISTINCT data::json ->> 'ServerId' FROM hangfire.state WHERE name = 'Processing'");

    public virtual string ProcessLogs() =>
        string.Concat(
            Web is null ? "" : $"\n--- web (pid {SafeId(Web)}, full log {Web.LogFile}) ---\n{Web.Tail()}",
            Worker is null ? "" : $"\n--- worker (pid {SafeId(Worker)}, full log {Worker.LogFile}) ---\n{Worker.Tail()}");

    public virtual async Task DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
        _seeder?.Dispose();
        StopProcesses();
        Mailbox?.Dispose();
        if (Database is not null)
        {
            await Database.DisposeAsync();
        }
    }

    protected virtual void StopProcesses()
    {
        Worker?.Dispose();
        Web?.Dispose();
    }

    private readonly Lazy<string> _signingKeys = new(() =>
    {
        var directory = Path.Combine(Path.GetTempPath(), "chaos-e2e-keys", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        File.WriteAllText(Path.Combine(directory, "lk-20261101000000-e2e001.pem"), key.ExportPkcs8PrivateKeyPem());
        return directory;
    });

    /// <summary>The settings Web and Worker share (database, SMTP, keys, limits) with <paramref name="specific"/> over them.</summary>
    protected Dictionary<string, string> Settings(Dictionary<string, string> specific)
    {
        var common = new Dictionary<string, string>
        {
            ["Database__Provider"] = "PostgreSql",
            ["ConnectionStrings__PostgreSql"] = Database.ConnectionString,
            ["Jobs__SchedulePollingSeconds"] = "1",
            ["Smtp__Host"] = "127.0.0.1",
            ["Smtp__Port"] = Mailbox.Port.ToString(CultureInfo.InvariantCulture),
            ["Smtp__Security"] = "None",
            ["Portal__BaseUrl"] = BaseUrl.ToString().TrimEnd('/'),
            ["Seed__Demo"] = "false",
            // Production refuses both unless asked for by name: no Stripe key here, and a loopback Portal:BaseUrl.
            ["Billing__Gateway"] = "Simulated",
            ["Hosting__LocalInstance"] = "true",
            // Production generates no signing key: the operator provides one, as here.
            ["Licensing__Signing__KeyDirectory"] = _signingKeys.Value,
            // The unanswered-payments job asks the gateway again about payments older than this (5 minutes in production),
            // so a journey can have support run it at once.
            ["Billing__AskAgainAfter"] = "00:00:01",
        };
        // Every journey signs up and in from 127.0.0.1: the per-address form limits are raised (RateLimitTests prove them).
        foreach (var rule in new[] { "SignIn", "ForgotPassword", "SignUp", "ConfirmationEmail", "CardSaving" })
        {
            common[$"RateLimits__Forms__{rule}__PerAddress"] = "100000";
        }
        foreach (var (key, value) in _extraSettings)
        {
            common[key] = value;
        }
        foreach (var (key, value) in specific)
        {
            common[key] = value;
        }
        return common;
    }

    private Task WaitUntilHealthyAsync() => WaitUntilHealthyAsync(Web, BaseUrl);

    /// <summary>Until <paramref name="web"/> answers 200 Healthy at <paramref name="baseUrl"/>.</summary>
    protected static async Task WaitUntilHealthyAsync(AppProcess web, Uri baseUrl)
    {
        using var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + StartupTimeout;
        var last = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            if (web.HasExited)
            {
                throw new InvalidOperationException($"{web.Name} exited during start-up.");
            }
            try
            {
                using var response = await http.GetAsync(new Uri("/health", UriKind.Relative));
                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                if (response.IsSuccessStatusCode && last.EndsWith("Healthy", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (HttpRequestException ex)
            {
                last = ex.Message;
            }
            catch (TaskCanceledException ex)
            {
                last = ex.Message;
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"GET {baseUrl}health was not 200 Healthy within {StartupTimeout.TotalSeconds:0} s (last: {last}).");
    }

    private Task WaitUntilWorkerServesJobsAsync() => WaitUntilWorkerServesJobsAsync(Worker);

    /// <summary>Until <paramref name="worker"/> has registered as a Hangfire server.</summary>
    protected async Task WaitUntilWorkerServesJobsAsync(AppProcess worker)
    {
        var deadline = DateTime.UtcNow + StartupTimeout;
        var marker = $":worker:{worker.Id}:";
        while (DateTime.UtcNow < deadline)
        {
            if (worker.HasExited)
            {
                throw new InvalidOperationException($"{worker.Name} exited during start-up.");
            }
            try
            {
                if ((await HangfireServersAsync()).Any(id => id.Contains(marker, StringComparison.OrdinalIgnoreCase)))
                {
                    return;
                }
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
            {
                // Web has not created Hangfire's schema yet (or does not): keep waiting, the timeout says so.
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"{worker.Name} (pid {worker.Id}) did not register as a Hangfire server within {StartupTimeout.TotalSeconds:0} s.");
    }

    internal static string Chromium()
    {
        var path = Environment.GetEnvironmentVariable("CHAOS_CHROMIUM");
        path = string.IsNullOrWhiteSpace(path) ? "/usr/bin/chromium" : path;
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"Chromium is not at {path}; install it: apt-get install chromium", path);
    }

    private static string SafeId(AppProcess process)
    {
        try
        {
            return process.Id.ToString(CultureInfo.InvariantCulture);
        }
        catch (InvalidOperationException)
        {
            return "?";
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PortalCollection : ICollectionFixture<PortalFixture>
{
    public const string Name = "Portal";
}
