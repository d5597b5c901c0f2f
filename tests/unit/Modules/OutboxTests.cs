using ChaosModular.Accounts.Contracts.Events;
using ChaosModular.Accounts.Data;
using ChaosModular.Modules.Abstractions;
using ChaosModular.Modules.Infrastructure.Outbox;
using ChaosModular.Modules.Infrastructure.Persistence;
using ChaosModular.Notifications.Data;
using System.Collections.Concurrent;
using Hangfire;
using Microsoft.Extensions.Options;

namespace ChaosModular.UnitTests.Modules;

/// <summary>A portal whose SQL commands a test can record.</summary>
public sealed class OutboxCountingFactory : SqlitePortalFactory
{
    public OutboxCountingFactory() => TestServices = services =>
    {
        SqlCommandCounter.AddTo(services);
        services.AddSingleton<BatchProbeRecorder>();
        services.AddIntegrationEventHandler<BatchProbe, BatchProbeHandler>();
    };

    public SqlCommandCounter Counter => Services.GetRequiredService<SqlCommandCounter>();
}

/// <summary>An event only the tests publish, handled by <see cref="BatchProbeHandler"/>, which takes batches.</summary>
public sealed record BatchProbe(Guid EventId, DateTime OccurredUtc, string Name) : IIntegrationEvent;

public sealed class BatchProbeRecorder
{
    public ConcurrentQueue<IReadOnlyList<string>> Batches { get; } = new();
    public ConcurrentQueue<string> Singles { get; } = new();
}

/// <summary>Records what it was handed; refuses any batch holding a probe whose name starts with "refuse".</summary>
public sealed class BatchProbeHandler(BatchProbeRecorder recorder) : IIntegrationEventBatchHandler<BatchProbe>
{
    public Task HandleAsync(BatchProbe integrationEvent, CancellationToken cancellationToken)
    {
        recorder.Singles.Enqueue(integrationEvent.Name);
        return Task.CompletedTask;
    }

    public Task HandleManyAsync(IReadOnlyList<BatchProbe> integrationEvents, CancellationToken cancellationToken)
    {
        if (integrationEvents.Any(e => e.Name.StartsWith("refuse", StringComparison.Ordinal)))
        {
            throw new InvalidOperationException("This batch is refused.");
        }
        recorder.Batches.Enqueue([.. integrationEvents.Select(e => e.Name)]);
        return Task.CompletedTask;
    }
}

/// <summary>
/// Events leave a module only when its transaction commits, and a lost enqueue is recovered by the sweep. A handler job for
/// many messages (<see cref="OutboxJobs.HandleManyAsync"/>) keeps the outbox's books for all of them at once: its statements
/// on the outbox tables do not grow with the number of messages, and nothing is handled twice.
/// </summary>
public sealed class OutboxTests(OutboxCountingFactory factory) : IClassFixture<OutboxCountingFactory>
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

    private IReadOnlyList<string> HandlerKeys => factory.Services.GetServices<IntegrationEventSubscription>()
        .Where(s => s.EventType == typeof(CustomerRegistered)).Select(s => s.Key).ToList();

    private string WelcomeEmailKey => HandlerKeys.Single(k => k.Contains("Notifications", StringComparison.Ordinal));

    [Fact]
    public async Task Handling_a_batch_reads_the_books_in_the_same_few_queries_for_three_messages_as_for_thirty()
    {
        var few = await HandleEveryHandlerOf(3);
        var many = await HandleEveryHandlerOf(30);

        // Per handler job: the messages, who handled them, and who handled them after the record: three queries, whatever
        // the number of messages (reading per message made it three per message and handler: 18 against 180 here). The
        // records and completions are one save each (a single batched command on PostgreSQL and SQL Server; SQLite's
        // provider sends a batch's rows one by one, so writes are not counted here).
        Assert.Equal(3 * HandlerKeys.Count, few.OutboxQueries);
        Assert.Equal(few.OutboxQueries, many.OutboxQueries);
    }

    [Fact]
    public async Task Every_message_of_a_batch_reaches_the_handler_is_recorded_and_completes_when_all_its_handlers_are_done()
    {
        var (events, _) = await HandleEveryHandlerOf(5);

        var ids = events.Select(e => e.EventId).ToList();
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AccountsDbContext>();
        Assert.Equal(5, await db.OutboxMessages.AsNoTracking().CountAsync(m => ids.Contains(m.Id) && m.CompletedUtc != null));
        Assert.Equal(5 * HandlerKeys.Count, await db.Set<OutboxHandled>().CountAsync(h => ids.Contains(h.MessageId)));
        var emails = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>().Emails.AsNoTracking();
        foreach (var integrationEvent in events)
        {
            Assert.Equal(1, await emails.CountAsync(e => e.ToAddress == integrationEvent.Email));
        }
    }

    [Fact]
    public async Task A_message_one_handler_already_handled_is_not_handled_again_and_completes_only_with_the_other_handlers()
    {
        var done = NewEvent();
        var fresh = NewEvent();
        await Publish([done, fresh]);
        await using (var db = ContextWithoutOutboxHook())
        {
            db.Set<OutboxHandled>().Add(new OutboxHandled(done.EventId, WelcomeEmailKey, DateTime.UtcNow));
            await db.SaveChangesAsync();
        }

        await HandleMany([done.EventId, fresh.EventId], WelcomeEmailKey);

        Assert.False(await EmailExists(done.Email));
        Assert.True(await EmailExists(fresh.Email));
        await using (var db = ContextWithoutOutboxHook())
        {
            // The other handler (Billing's profile) has not run yet, so neither message is complete.
            Assert.Equal(0, await db.OutboxMessages.CountAsync(m => (m.Id == done.EventId || m.Id == fresh.EventId) && m.CompletedUtc != null));
            Assert.Equal(1, await db.Set<OutboxHandled>().CountAsync(h => h.MessageId == fresh.EventId && h.HandlerKey == WelcomeEmailKey));
        }
        foreach (var key in HandlerKeys.Where(k => k != WelcomeEmailKey))
        {
            await HandleMany([done.EventId, fresh.EventId], key);
        }
        await using (var db = ContextWithoutOutboxHook())
        {
            Assert.Equal(2, await db.OutboxMessages.CountAsync(m => (m.Id == done.EventId || m.Id == fresh.EventId) && m.CompletedUtc != null));
        }
    }

    [Fact]
    public async Task Recording_a_batch_where_a_concurrent_job_recorded_one_message_first_records_the_rest_and_reports_them()
    {
        var first = NewEvent();
        var second = NewEvent();
        await Publish([first, second]);
        await using (var db = ContextWithoutOutboxHook())
        {
            db.Set<OutboxHandled>().Add(new OutboxHandled(first.EventId, WelcomeEmailKey, DateTime.UtcNow));
            await db.SaveChangesAsync();
        }

        await using var scope = factory.Services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredKeyedService<IOutboxStore>(AccountsDbContext.Schema);
        var recorded = await store.MarkHandledManyAsync([first.EventId, second.EventId], WelcomeEmailKey, DateTime.UtcNow, CancellationToken.None);

        Assert.Equal(new[] { second.EventId }, recorded);
        var handled = await store.HandledByManyAsync([first.EventId, second.EventId], CancellationToken.None);
        Assert.Contains(WelcomeEmailKey, handled[first.EventId]);
        Assert.Contains(WelcomeEmailKey, handled[second.EventId]);
    }

    [Fact]
    public async Task A_handler_that_takes_batches_gets_every_pending_message_in_one_call_and_each_is_recorded_and_completed()
    {
        var tag = Guid.NewGuid().ToString("N");
        var probes = Enumerable.Range(0, 4).Select(i => new BatchProbe(Guid.NewGuid(), DateTime.UtcNow, $"{tag}-{i}")).ToList();
        await Publish(probes);
        var key = BatchProbeKey;
        await using (var db = ContextWithoutOutboxHook())
        {
            db.Set<OutboxHandled>().Add(new OutboxHandled(probes[1].EventId, key, DateTime.UtcNow));
            await db.SaveChangesAsync();
        }

        await HandleMany([.. probes.Select(p => p.EventId)], key);

        var recorder = factory.Services.GetRequiredService<BatchProbeRecorder>();
        var batch = Assert.Single(recorder.Batches, b => b.Any(n => n.StartsWith(tag, StringComparison.Ordinal)));
        Assert.Equal([$"{tag}-0", $"{tag}-2", $"{tag}-3"], batch);
        Assert.DoesNotContain(recorder.Singles, n => n.StartsWith(tag, StringComparison.Ordinal));
        await AssertEveryProbeRecordedAndComplete(probes, key);
    }

    [Fact]
    public async Task A_batch_the_handler_refuses_is_handled_message_by_message()
    {
        var tag = "refuse-" + Guid.NewGuid().ToString("N");
        var probes = Enumerable.Range(0, 3).Select(i => new BatchProbe(Guid.NewGuid(), DateTime.UtcNow, $"{tag}-{i}")).ToList();
        await Publish(probes);

        await HandleMany([.. probes.Select(p => p.EventId)], BatchProbeKey);

        var recorder = factory.Services.GetRequiredService<BatchProbeRecorder>();
        Assert.Equal(probes.Select(p => p.Name), recorder.Singles.Where(n => n.StartsWith(tag, StringComparison.Ordinal)));
        await AssertEveryProbeRecordedAndComplete(probes, BatchProbeKey);
    }

    private string BatchProbeKey => factory.Services.GetServices<IntegrationEventSubscription>().Single(s => s.EventType == typeof(BatchProbe)).Key;

    private async Task AssertEveryProbeRecordedAndComplete(IReadOnlyList<BatchProbe> probes, string key)
    {
        var ids = probes.Select(p => p.EventId).ToList();
        await using var db = ContextWithoutOutboxHook();
        Assert.Equal(probes.Count, await db.Set<OutboxHandled>().CountAsync(h => ids.Contains(h.MessageId) && h.HandlerKey == key));
        Assert.Equal(probes.Count, await db.OutboxMessages.CountAsync(m => ids.Contains(m.Id) && m.CompletedUtc != null));
    }

    private async Task<(IReadOnlyList<CustomerRegistered> Events, int OutboxQueries)> HandleEveryHandlerOf(int count)
    {
        var events = Enumerable.Range(0, count).Select(_ => NewEvent()).ToList();
        await Publish(events);
        var ids = events.Select(e => e.EventId).ToArray();
        var commands = factory.Counter.Watch();
        foreach (var key in HandlerKeys)
        {
            await HandleMany(ids, key);
        }
        return (events, commands.Count(c => c.Text.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase)
            && c.Text.Contains("outbox_", StringComparison.OrdinalIgnoreCase)));
    }

    private async Task HandleMany(Guid[] ids, string handlerKey)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        await ActivatorUtilities.CreateInstance<OutboxJobs>(scope.ServiceProvider).HandleManyAsync(AccountsDbContext.Schema, ids, handlerKey, CancellationToken.None);
    }

    private async Task Publish(IEnumerable<IIntegrationEvent> events)
    {
        await using var db = ContextWithoutOutboxHook();
        foreach (var integrationEvent in events)
        {
            db.Publish(integrationEvent);
        }
        await db.SaveChangesAsync();
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
