using ChaosModular.Accounts.Contracts.Events;
using ChaosModular.Modules.Infrastructure.Outbox;
using ChaosModular.Modules.Infrastructure.Persistence;
using ChaosModular.Notifications.Data;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;

namespace ChaosModular.UnitTests.Modules;

/// <summary>
/// Module DbContexts are pooled and the outbox interceptor is one instance for all of them: what a request leaves on a
/// context (rows saved in a transaction it never committed) must not reach the next request that leases the same context.
/// </summary>
public sealed class PooledOutboxContextTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"pooled-outbox-{Guid.NewGuid():N}");
    private readonly RecordingJobs _jobs = new();
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IBackgroundJobClient>(_jobs);
        services.Configure<DatabaseOptions>(o =>
        {
            o.Provider = nameof(DatabaseProvider.Sqlite);
            o.ConnectionString = "Data Source={module}.db";
            o.ContentRoot = _directory;
        });
        services.AddModuleDbContext<NotificationsDbContext>(NotificationsDbContext.Schema);
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        await using var scope = _services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<NotificationsDbContext>().Database.EnsureCreatedAsync();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private static CustomerRegistered EventOf(string customer) =>
        new(Guid.NewGuid(), DateTime.UtcNow, customer, $"{customer}@example.test", customer, "123456782");

    [Fact]
    public async Task A_pooled_context_reused_for_a_second_customer_dispatches_only_that_customers_event()
    {
        var first = EventOf($"first-{Guid.NewGuid():N}");
        NotificationsDbContext leased;
        await using (var scope = _services.CreateAsyncScope())
        {
            // The first customer's request saves its event in a transaction and ends without committing it (an
            // exception between SaveChanges and Commit): the row is not in the database, its id is pending on the context.
            leased = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
            await using var transaction = await leased.Database.BeginTransactionAsync();
            leased.Publish(first);
            await leased.SaveChangesAsync();
            Assert.False(OutboxPending.Of(leased).IsEmpty);
        }

        var second = EventOf($"second-{Guid.NewGuid():N}");
        await using (var scope = _services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
            Assert.Same(leased, db);   // the pool handed the same instance back
            Assert.Empty(db.ChangeTracker.Entries());
            db.Publish(second);
            await db.SaveChangesAsync();
        }

        Assert.Equal([second.EventId], _jobs.Dispatched);
        await using (var scope = _services.CreateAsyncScope())
        {
            var ids = await scope.ServiceProvider.GetRequiredService<NotificationsDbContext>().OutboxMessages.Select(m => m.Id).ToListAsync();
            Assert.Equal([second.EventId], ids);
        }
    }

    [Fact]
    public async Task A_committed_transaction_on_a_pooled_context_dispatches_its_events_once_after_the_commit()
    {
        var integrationEvent = EventOf($"commit-{Guid.NewGuid():N}");
        await using (var scope = _services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Publish(integrationEvent);
            await db.SaveChangesAsync();
            Assert.Empty(_jobs.Dispatched);   // nothing leaves before the commit
            await transaction.CommitAsync();
        }
        Assert.Equal([integrationEvent.EventId], _jobs.Dispatched);
    }

    /// <summary>Records the outbox dispatch jobs enqueued (the message id of each).</summary>
    private sealed class RecordingJobs : IBackgroundJobClient
    {
        private readonly List<Guid> _dispatched = [];

        public IReadOnlyList<Guid> Dispatched
        {
            get
            {
                lock (_dispatched)
                {
                    return [.. _dispatched];
                }
            }
        }

        public string Create(Job job, IState state)
        {
            lock (_dispatched)
            {
                _dispatched.Add((Guid)job.Args[1]);
            }
            return Guid.NewGuid().ToString();
        }

        public bool ChangeState(string jobId, IState state, string expectedState) => true;
    }
}
