using ChaosModular.Accounts.Contracts.Events;
using ChaosModular.Accounts.Data;
using ChaosModular.Modules.Infrastructure.Outbox;
using ChaosModular.Modules.Infrastructure.Persistence;
using ChaosModular.Notifications.Data;
using Hangfire;
using Microsoft.Extensions.Options;

namespace ChaosModular.UnitTests.Modules;

/// <summary>Events leave a module only when its transaction commits, and a lost enqueue is recovered by the sweep.</summary>
public sealed class OutboxTests(SqlitePortalFactory factory) : IClassFixture<SqlitePortalFactory>
{
    private static CustomerRegistered NewEvent() =>
        new(Guid.NewGuid(), DateTime.UtcNow.AddMinutes(-5), Guid.NewGuid().ToString(), $"o-{Guid.NewGuid():N}@example.test", "Outbox Owner", "123456782");

    [Fact]
    public async Task A_rolled_back_transaction_publishes_nothing()
    {
        var integrationEvent = NewEvent();
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AccountsDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Publish(integrationEvent);
            await db.SaveChangesAsync();
            await transaction.RollbackAsync();
        }

        await BackgroundWork.SettledAsync(factory.Services);
        await using var check = factory.Services.CreateAsyncScope();
        Assert.False(await check.ServiceProvider.GetRequiredService<AccountsDbContext>().OutboxMessages.AnyAsync(m => m.Id == integrationEvent.EventId));
        Assert.False(await check.ServiceProvider.GetRequiredService<NotificationsDbContext>().Emails.AnyAsync(e => e.ToAddress == integrationEvent.Email));
    }

    [Fact]
    public async Task A_committed_event_reaches_its_handler_and_is_marked_dispatched()
    {
        var integrationEvent = NewEvent();
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AccountsDbContext>();
            db.Publish(integrationEvent);
            await db.SaveChangesAsync();
        }

        await Eventually.Until(() => EmailExists(integrationEvent.Email), TimeSpan.FromSeconds(30), "the handler's email row");
        await Eventually.Until(async () =>
        {
            await using var check = factory.Services.CreateAsyncScope();
            var message = await check.ServiceProvider.GetRequiredService<AccountsDbContext>().OutboxMessages.SingleAsync(m => m.Id == integrationEvent.EventId);
            return message.DispatchedUtc is not null;
        }, TimeSpan.FromSeconds(30), "the outbox row marked dispatched");
    }

    /// <summary>The wait the negative checks above rely on: once settled, a committed event's email row is already there.</summary>
    [Fact]
    public async Task Settling_waits_until_a_committed_event_has_been_handled()
    {
        var integrationEvent = NewEvent();
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AccountsDbContext>();
            db.Publish(integrationEvent);
            await db.SaveChangesAsync();
        }

        await BackgroundWork.SettledAsync(factory.Services);

        Assert.True(await EmailExists(integrationEvent.Email));
    }

    [Fact]
    public async Task The_sweep_dispatches_a_row_whose_job_was_never_enqueued()
    {
        // Occurred just now, so the host's own minutely sweep leaves it alone while we look; the sweep below runs a minute later.
        var integrationEvent = NewEvent() with { OccurredUtc = DateTime.UtcNow };
        // A context without the outbox hook stands in for a process that crashed between commit and enqueue.
        await using (var db = ContextWithoutOutboxHook())
        {
            db.Publish(integrationEvent);
            await db.SaveChangesAsync();
        }
        await BackgroundWork.SettledAsync(factory.Services);
        Assert.False(await EmailExists(integrationEvent.Email));

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var aMinuteLater = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(1));
            await ActivatorUtilities.CreateInstance<OutboxJobs>(scope.ServiceProvider, aMinuteLater).SweepAsync(CancellationToken.None);
        }

        await Eventually.Until(() => EmailExists(integrationEvent.Email), TimeSpan.FromSeconds(30), "the swept event's email row");
    }

    [Fact]
    public async Task Handlers_whose_jobs_were_lost_after_dispatch_are_run_by_the_sweep_and_the_row_completes()
    {
        var integrationEvent = NewEvent();
        // Dispatched two hours ago into a queue that was then lost (Web restarted with in-memory jobs).
        await using (var db = ContextWithoutOutboxHook())
        {
            var message = OutboxMessage.From(integrationEvent);
            message.MarkDispatched(DateTime.UtcNow.AddHours(-2));
            db.OutboxMessages.Add(message);
            await db.SaveChangesAsync();
        }

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            await ActivatorUtilities.CreateInstance<OutboxJobs>(scope.ServiceProvider).SweepAsync(CancellationToken.None);
        }

        await Eventually.Until(() => EmailExists(integrationEvent.Email), TimeSpan.FromSeconds(30), "the lost handler's email row");
        await Eventually.Until(async () =>
        {
            await using var check = factory.Services.CreateAsyncScope();
            var db = check.ServiceProvider.GetRequiredService<AccountsDbContext>();
            var done = await db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == integrationEvent.EventId);
            var handled = await db.Set<OutboxHandled>().CountAsync(h => h.MessageId == integrationEvent.EventId);
            return done.CompletedUtc is not null && handled == 2;   // Notifications' welcome email and Billing's profile
        }, TimeSpan.FromSeconds(30), "both handlers recorded and the row completed");
    }

    [Fact]
    public async Task Events_committed_together_are_dispatched_by_one_job_and_each_reaches_every_handler()
    {
        var events = Enumerable.Range(0, 3).Select(_ => NewEvent()).ToList();
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AccountsDbContext>();
            foreach (var integrationEvent in events)
            {
                db.Publish(integrationEvent);
            }
            await db.SaveChangesAsync();
        }

        var ids = events.Select(e => e.EventId).ToList();
        await Eventually.Until(async () =>
        {
            await using var check = factory.Services.CreateAsyncScope();
            var db = check.ServiceProvider.GetRequiredService<AccountsDbContext>();
            var completed = await db.OutboxMessages.AsNoTracking().CountAsync(m => ids.Contains(m.Id) && m.CompletedUtc != null);
            var handled = await db.Set<OutboxHandled>().CountAsync(h => ids.Contains(h.MessageId));
            return completed == 3 && handled == 6;   // each: Notifications' welcome email and Billing's profile
        }, TimeSpan.FromSeconds(30), "every handler recorded for the three events and their rows completed");
        foreach (var integrationEvent in events)
        {
            Assert.True(await EmailExists(integrationEvent.Email));
        }
        // One dispatch job for the commit, none per event.
        var dispatches = factory.Services.GetRequiredService<JobStorage>().GetMonitoringApi().SucceededJobs(0, 10_000)
            .Select(j => j.Value.Job)
            .Where(j => j is not null && j.Type == typeof(OutboxJobs) && j.Method.Name.StartsWith("Dispatch", StringComparison.Ordinal)
                && j.Args.Any(a => a is Guid id && ids.Contains(id) || a is Guid[] many && many.Any(ids.Contains)))
            .ToList();
        var dispatch = Assert.Single(dispatches);
        Assert.Equal(nameof(OutboxJobs.DispatchManyAsync), dispatch.Method.Name);
    }

    [Fact]
    public async Task A_message_that_fails_in_a_handler_batch_does_not_stop_the_others()
    {
        var integrationEvent = NewEvent();
        await using (var db = ContextWithoutOutboxHook())
        {
            db.Publish(integrationEvent);
            await db.SaveChangesAsync();
        }
        var handlerKey = factory.Services.GetServices<IntegrationEventSubscription>()
            .First(s => s.EventType == typeof(CustomerRegistered) && s.Key.Contains("Notifications", StringComparison.Ordinal)).Key;

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            // The first message does not exist, so its handler throws: logged and handed to a job of its own.
            await ActivatorUtilities.CreateInstance<OutboxJobs>(scope.ServiceProvider)
                .HandleManyAsync(AccountsDbContext.Schema, [Guid.NewGuid(), integrationEvent.EventId], handlerKey, CancellationToken.None);
        }

        Assert.True(await EmailExists(integrationEvent.Email));
    }

    private async Task<bool> EmailExists(string address)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<NotificationsDbContext>().Emails.AnyAsync(e => e.ToAddress == address);
    }

    /// <summary>The module's context on the test database, without the outbox hook that would enqueue dispatch jobs.</summary>
    private AccountsDbContext ContextWithoutOutboxHook()
    {
        var database = factory.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        var options = (DbContextOptions<AccountsDbContext>)new DbContextOptionsBuilder<AccountsDbContext>()
            .UseModuleDatabase(database.ParsedProvider, database.ConnectionString!, AccountsDbContext.Schema, database.ContentRoot)
            .Options;
        return new AccountsDbContext(options);
    }
}
