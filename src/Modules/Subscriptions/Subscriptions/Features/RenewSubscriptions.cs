using System.Globalization;
using ChaosModular.Billing.Contracts;
using ChaosModular.Catalog.Contracts;
using ChaosModular.Modules.Infrastructure.Hosting;
using ChaosModular.Modules.Infrastructure.Outbox;
using ChaosModular.Subscriptions.Contracts.Events;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChaosModular.Subscriptions.Features;

/// <summary>
/// The daily renewal run, safe to repeat, to run on several workers at once and to resume after a crash:
/// <list type="number">
/// <item>Subscriptions past their renewal date with auto-renewal off expire (and the customer is told).</item>
/// <item>Those with auto-renewal on get one renewal order per renewal date (a unique index makes a second
/// run, or a second worker, find the first one's), then one invoice (Billing returns the same invoice for the
/// same order reference), due on the renewal date and charged that day as its first automatic attempt.</item>
/// <item>Paid renewals extend the period. Unpaid ones follow Billing's retry schedule; when Billing has no
/// attempts left the invoice is voided and the subscription expires.</item>
/// </list>
/// Steps 1 and 2's orders are <see cref="PrepareAsync"/> (set-based, by one run at a time); the invoicing, charging
/// and completing is <see cref="DrainAsync"/>, which any number of runs do at once: each claims a batch of open renewal
/// orders (<see cref="JobsOptions.DrainBatchSize"/>) for <see cref="ClaimFor"/>, progresses them (the renewal day's invoices, charges and
/// completions batch by batch through Billing's batch methods), and claims the next batch until no
/// order is left to claim. A claim is never released early, so an order is progressed once per run (a declined one
/// waits for the next run, a crashed batch's orders are taken again once its claim lapses).
/// </summary>
internal sealed class RenewSubscriptions(
    SubscriptionsDbContext db, IBillingApi billing, CompleteOrder complete, CancelOrder cancel, ICatalogApi catalog, TimeProvider clock,
    IOptions<JobsOptions> jobs, ILogger<RenewSubscriptions> logger)
{
    private readonly int _batchSize = jobs.Value.DrainBatchSize;

    /// <summary>Pages of subscriptions read (and orders inserted) at once by <see cref="PrepareAsync"/>.</summary>
    private readonly int _pageSize = jobs.Value.RenewalPageSize;

    /// <summary>Shorter than the hourly run's interval, so an order left unpaid (or a crashed batch) is looked at again next run.</summary>
    public static readonly TimeSpan ClaimFor = TimeSpan.FromMinutes(30);

    private readonly Dictionary<string, string> _productNames = new(StringComparer.Ordinal);

    /// <summary>Prepares then drains, in this scope: the whole run for one worker.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await PrepareAsync(cancellationToken);
        await DrainAsync(cancellationToken);
    }

    /// <summary>Expires what does not renew and places every due renewal order, page by page.</summary>
    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        var today = clock.Today();
        await ExpireWithoutAutoRenewalAsync(today, cancellationToken);
        await PlaceRenewalOrdersAsync(today, cancellationToken);
    }

    /// <summary>Claims and progresses batches of open renewal orders until none is left to claim; returns how many this call progressed.</summary>
    public async Task<int> DrainAsync(CancellationToken cancellationToken)
    {
        var progressed = 0;
        while (await ClaimBatchAsync(cancellationToken) is { Count: > 0 } batch)
        {
            progressed += await ProgressBatchAsync(batch, cancellationToken);
        }
        return progressed;
    }

    private async Task ExpireWithoutAutoRenewalAsync(DateOnly today, CancellationToken cancellationToken)
    {
        // Keyset pages: one that cannot be expired now (a concurrent change) is not read again in this run.
        var after = Guid.Empty;
        while (true)
        {
            var ids = await db.Subscriptions.AsNoTracking()
                .Where(s => s.Status == SubscriptionStatus.Active && !s.AutoRenew && s.RenewsOn <= today && s.Id.CompareTo(after) > 0)
                .OrderBy(s => s.Id).Select(s => s.Id).Take(_pageSize).ToListAsync(cancellationToken);
            if (ids.Count == 0)
            {
                return;
            }
            foreach (var id in ids)
            {
                await ExpireAsync(id, reason: null, cancellationToken);
            }
            after = ids[^1];
        }
    }

    private async Task PlaceRenewalOrdersAsync(DateOnly today, CancellationToken cancellationToken)
    {
        var after = Guid.Empty;
        while (true)
        {
            var due = await db.Subscriptions.AsNoTracking()
                .Where(s => s.Status == SubscriptionStatus.Active && s.AutoRenew && s.RenewsOn <= today && s.Id.CompareTo(after) > 0
                    && !db.Orders.Any(o => o.SubscriptionId == s.Id && o.RenewalOf == s.RenewsOn))
                .OrderBy(s => s.Id).Take(_pageSize).ToListAsync(cancellationToken);
            if (due.Count == 0)
            {
                return;
            }
            var now = clock.GetUtcNow().UtcDateTime;
            var orders = due.Select(s => Order.Place(Order.RenewalId(s.Id, s.RenewsOn), s.CustomerId, OrderKind.Renewal, s.Id, s.PlanCode, s.SeatsAtRenewal, s.Currency, s.PricePerSeat,
                (s.PricePerSeatPerTerm * s.SeatsAtRenewal).Rounded().Amount, now, renewalOf: s.RenewsOn)).ToList();
            db.Orders.AddRange(orders);
            // Not Claims.TryInsertOnceAsync for the page: one order placed meanwhile by another run fails the page's insert,
            // and then each order is inserted on its own (false for the ones another run recorded first).
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            // A transient failure (PostgreSQL's execution strategy wraps a deadlock) falls back the same way.
            catch (Exception ex) when (ex is DbUpdateException || ex.InnerException is DbUpdateException)
            {
                db.ChangeTracker.Clear();
                foreach (var order in orders)
                {
                    db.Orders.Add(order);
                    await db.TryInsertOnceAsync(cancellationToken);
                    db.ChangeTracker.Clear();
                }
            }
            db.ChangeTracker.Clear();
            after = due[^1].Id;
        }
    }

    /// <summary>Claims up to <see cref="JobsOptions.DrainBatchSize"/> open renewal orders that no other run holds; empty when none is left.</summary>
    private async Task<List<Order>> ClaimBatchAsync(CancellationToken cancellationToken)
    {
        var ids = await db.ClaimBatchAsync(Claim, clock.GetUtcNow().UtcDateTime, ClaimFor, _batchSize, cancellationToken);
        return ids.Count == 0
            ? []
            : await db.Orders.AsNoTracking().Where(o => ids.Contains(o.Id)).OrderBy(o => o.CreatedUtc).ToListAsync(cancellationToken);
    }

    private BatchClaim<Order, DateTime> Claim => new(
        now => db.Orders.Where(o => o.Kind == OrderKind.Renewal && o.Status == OrderStatus.AwaitingPayment && (o.ClaimedUntilUtc == null || o.ClaimedUntilUtc <= now)),
        o => o.Id, o => o.ClaimId, o => o.ClaimedUntilUtc, o => o.CreatedUtc, ClaimSql);

    /// <summary>
    /// The claim on PostgreSQL: the oldest open renewal orders no run holds, read in order through the orders'
    /// (status, kind, created) index (PostgresClaimPlanTests), skipping rows another run is claiming.
    /// </summary>
    internal static FormattableString ClaimSql(Guid claimId, DateTime now, DateTime until, int batchSize) => $"""
        UPDATE subscriptions.orders SET "ClaimId" = {claimId}, "ClaimedUntilUtc" = {until}
        WHERE "Id" IN (
            SELECT "Id" FROM subscriptions.orders
            WHERE "Kind" = 'Renewal' AND "Status" = 'AwaitingPayment' AND ("ClaimedUntilUtc" IS NULL OR "ClaimedUntilUtc" <= {now})
            ORDER BY "CreatedUtc" LIMIT {batchSize}
            FOR UPDATE SKIP LOCKED)
        RETURNING "Id" AS "Value"
        """;

    private async Task<int> ProgressBatchAsync(List<Order> batch, CancellationToken cancellationToken)
    {
        // One read of the batch's subscriptions and of the product names not seen yet in this run.
        var subscriptionIds = batch.Select(o => o.SubscriptionId!.Value).ToList();
        var subscriptions = await db.Subscriptions.AsNoTracking().Where(s => subscriptionIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, cancellationToken);
        foreach (var code in subscriptions.Values.Select(s => s.ProductCode).Distinct(StringComparer.Ordinal).Where(c => !_productNames.ContainsKey(c)).ToList())
        {
            _productNames[code] = (await catalog.ProductAsync(code, cancellationToken))?.Name ?? code;
        }
        var progressed = 0;
        var firstAttempts = new List<(Order Order, Subscription Subscription)>();
        foreach (var order in batch)
        {
            var subscription = subscriptions[order.SubscriptionId!.Value];
            if (order.InvoiceId is null && StillRenews(subscription, order))
            {
                firstAttempts.Add((order, subscription));
            }
            else
            {
                progressed += await EachAsync(order, () => ProgressAsync(order, subscription, cancellationToken));
            }
        }
        progressed += await FirstAttemptsAsync(firstAttempts, cancellationToken);
        db.ChangeTracker.Clear();
        return progressed;
    }

    private static bool StillRenews(Subscription subscription, Order order) =>
        subscription.Status == SubscriptionStatus.Active && subscription.RenewsOn == order.RenewalOf;

    /// <summary>1 when the step progressed the order; 0 when it failed (logged: the order is retried on the next run).</summary>
    private async Task<int> EachAsync(Order order, Func<Task> step)
    {
        try
        {
            db.ChangeTracker.Clear();
            await step();
            return 1;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // One customer's problem (say, no billing information) must not stop everyone else's renewal.
            logger.LogError(ex, "Renewal order {OrderId} could not be progressed; it is retried on the next run", order.Id);
            return 0;
        }
    }

    /// <summary>
    /// The renewal day of a batch's orders, set-based: their invoices issued in one call, recorded on the orders with one save,
    /// charged in one call (each its first automatic attempt), and the paid orders completed in one unit of work. An order that
    /// could not be invoiced or charged is logged and left for the next run; a declined one follows Billing's schedule.
    /// </summary>
    private async Task<int> FirstAttemptsAsync(List<(Order Order, Subscription Subscription)> orders, CancellationToken cancellationToken)
    {
        if (orders.Count == 0)
        {
            return 0;
        }
        IReadOnlyList<CreateInvoiceResult> issued;
        try
        {
            issued = await billing.CreateInvoicesAsync(orders.Select(o => RenewalInvoice(o.Order, o.Subscription)).ToList(), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "The invoices of {Count} renewal orders could not be issued together; they are progressed one by one", orders.Count);
            var each = 0;
            foreach (var (order, subscription) in orders)
            {
                each += await EachAsync(order, () => ProgressAsync(order, subscription, cancellationToken));
            }
            return each;
        }
        var invoiced = new List<(Order Order, Subscription Subscription, InvoiceSummary Invoice)>();
        for (var i = 0; i < orders.Count; i++)
        {
            if (issued[i].Invoice is { } invoice)
            {
                invoiced.Add((orders[i].Order, orders[i].Subscription, invoice));
            }
            else
            {
                logger.LogError("Renewal order {OrderId} could not be invoiced ({Reason}); it is retried on the next run", orders[i].Order.Id, issued[i].Error);
            }
        }
        if (invoiced.Count == 0)
        {
            return 0;
        }
        db.ChangeTracker.Clear();
        await RecordInvoicesAsync(invoiced.Select(x => (x.Order.Id, x.Invoice)).ToList(), cancellationToken);
        db.ChangeTracker.Clear();

        // The renewal day's charge is each invoice's first automatic attempt: a decline counts toward Billing's retry
        // schedule and emails the customer. Repeating it (after a crash) charges nothing twice.
        IReadOnlyDictionary<Guid, ChargeResult> charges;
        try
        {
            charges = await billing.CollectAutomaticallyAsync(invoiced.Select(x => x.Invoice.InvoiceId).ToList(), CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The invoices are issued and due today: Billing's automatic payment job charges them, and the next run follows them.
            logger.LogError(ex, "The renewal invoices of {Count} orders could not be charged together; Billing's automatic payment charges them", invoiced.Count);
            return 0;
        }
        var paid = invoiced.Where(x => charges.TryGetValue(x.Invoice.InvoiceId, out var charge) && charge.Paid).Select(x => x.Order.Id).ToList();
        try
        {
            await complete.HandleManyAsync(paid, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Paid is paid: the InvoicePaid handlers (or the next run) complete these orders.
            logger.LogError(ex, "{Count} paid renewal orders could not be completed together; their InvoicePaid handlers complete them", paid.Count);
        }
        var progressed = paid.Count;
        foreach (var (order, subscription, invoice) in invoiced.Where(x => charges.TryGetValue(x.Invoice.InvoiceId, out var charge) && !charge.Paid))
        {
            progressed += await EachAsync(order, () => FollowInvoiceAsync(order, subscription, invoice.InvoiceId, cancellationToken));
        }
        return progressed;
    }

    /// <summary>
    /// Records each order's invoice (<see cref="Order.Invoiced"/>). On PostgreSQL one statement for the batch instead of a read
    /// and an update per order (the batch's orders are claimed by this run, so nobody else writes them meanwhile).
    /// </summary>
    private async Task RecordInvoicesAsync(List<(Guid OrderId, InvoiceSummary Invoice)> invoiced, CancellationToken cancellationToken)
    {
        if (invoiced.Count > 1 && db.ClaimsWithSkipLocked())
        {
            var ids = invoiced.Select(x => x.OrderId).ToArray();
            var invoiceIds = invoiced.Select(x => x.Invoice.InvoiceId).ToArray();
            var numbers = invoiced.Select(x => x.Invoice.Number).ToArray();
            var updated = await db.Database.ExecuteSqlAsync($"""
                UPDATE subscriptions.orders AS o SET "InvoiceId" = n.invoice, "InvoiceNumber" = n.number
                FROM unnest({ids}, {invoiceIds}, {numbers}) AS n(id, invoice, number)
                WHERE o."Id" = n.id
                """, cancellationToken);
            if (updated != ids.Length)
            {
                throw new InvalidOperationException($"{ids.Length - updated} of {ids.Length} renewal orders to record an invoice on were not found.");
            }
            return;
        }
        var orderIds = invoiced.Select(x => x.OrderId).ToList();
        var tracked = await db.Orders.Where(o => orderIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, cancellationToken);
        foreach (var (orderId, invoice) in invoiced)
        {
            tracked[orderId].Invoiced(invoice.InvoiceId, invoice.Number);
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    private CreateInvoice RenewalInvoice(Order order, Subscription subscription)
    {
        var product = _productNames[subscription.ProductCode];
        var periodEnd = Subscription.RenewalAfter(subscription.ActivatedOn, subscription.RenewsOn, subscription.Term).AddDays(-1);
        return new CreateInvoice(order.CustomerId, order.Currency,
            [new CreateInvoiceLine(string.Create(CultureInfo.InvariantCulture, $"{product}, {(subscription.IsAnnual ? "annual" : "monthly")} renewal"),
                order.Seats, order.PricePerSeat, subscription.RenewsOn, periodEnd, order.PlanCode)],
            order.SourceReference, DueOn: subscription.RenewsOn);
    }

    private async Task ProgressAsync(Order order, Subscription subscription, CancellationToken cancellationToken)
    {
        if (!StillRenews(subscription, order))
        {
            await cancel.HandleAsync(order.Id, "The subscription changed before the renewal was paid.", cancellationToken);
            return;
        }
        var invoiceId = order.InvoiceId;
        if (invoiceId is null)
        {
            var invoice = await billing.CreateInvoiceAsync(RenewalInvoice(order, subscription), cancellationToken);
            await db.Orders.Where(o => o.Id == order.Id)
                .ExecuteUpdateAsync(o => o.SetProperty(x => x.InvoiceId, invoice.InvoiceId).SetProperty(x => x.InvoiceNumber, invoice.Number), cancellationToken);
            // The renewal day's charge is the invoice's first automatic attempt (see FirstAttemptsAsync).
            invoiceId = invoice.InvoiceId;
            var charge = await billing.CollectAutomaticallyAsync(invoice.InvoiceId, CancellationToken.None);
            if (charge.Paid)
            {
                await complete.HandleAsync(order.Id, CancellationToken.None);
                return;
            }
        }
        await FollowInvoiceAsync(order, subscription, invoiceId.Value, cancellationToken);
    }

    /// <summary>An invoiced renewal after its charge: completed when paid, expired when Billing gives up, otherwise left to Billing's schedule.</summary>
    private async Task FollowInvoiceAsync(Order order, Subscription subscription, Guid invoiceId, CancellationToken cancellationToken)
    {
        var state = await billing.InvoiceStateAsync(invoiceId, cancellationToken);
        switch (state)
        {
            case { Status: "Paid" }:
                await complete.HandleAsync(order.Id, cancellationToken);
                break;
            case null or { Status: "Void" }:
                await cancel.HandleAsync(order.Id, "The renewal invoice was voided.", cancellationToken);
                await ExpireAsync(subscription.Id, "Its renewal invoice was voided.", cancellationToken);
                break;
            case { AutomaticAttemptsLeft: false, PaymentInProgress: false }:
                // Billing tried on the renewal day and on every retry day; nothing more will be charged.
                if (await billing.VoidInvoiceAsync(state.InvoiceId, "Renewal not paid: the subscription expired.", cancellationToken))
                {
                    await cancel.HandleAsync(order.Id, "The renewal was not paid.", cancellationToken);
                    await ExpireAsync(subscription.Id, $"We could not charge its renewal invoice {state.Number}.", cancellationToken);
                }
                break;
            default:
                break;   // Billing will try again on its schedule, or the customer pays the invoice.
        }
    }

    private async Task ExpireAsync(Guid subscriptionId, string? reason, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var subscription = await db.Subscriptions.SingleAsync(s => s.Id == subscriptionId, cancellationToken);
        if (subscription.Status != SubscriptionStatus.Active)
        {
            return;
        }
        subscription.Expire();
        var now = clock.GetUtcNow().UtcDateTime;
        db.Publish(new SubscriptionExpired(Guid.NewGuid(), now, subscription.Id, subscription.CustomerId, reason));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Not Claims.RetryOnConflictAsync: a conflict here means the subscription was renewed or expired
            // meanwhile, and expiring it on top of that would be wrong; the next run looks again.
        }
    }
}
