using System.Globalization;
using ChaosModular.Billing.Contracts;
using ChaosModular.Catalog.Contracts;
using ChaosModular.Modules.Infrastructure.Outbox;
using ChaosModular.Subscriptions.Contracts.Events;
using Microsoft.Extensions.Logging;

namespace ChaosModular.Subscriptions.Features;

/// <summary>
/// The daily renewal run, safe to repeat and to resume after a crash:
/// <list type="number">
/// <item>Subscriptions past their renewal date with auto-renewal off expire (and the customer is told).</item>
/// <item>Those with auto-renewal on get one renewal order per renewal date (a unique index makes a second
/// run, or a second worker, find the first one's), then one invoice (Billing returns the same invoice for the
/// same order reference), due on the renewal date and charged that day as its first automatic attempt.</item>
/// <item>Paid renewals extend the period. Unpaid ones follow Billing's retry schedule; when Billing has no
/// attempts left the invoice is voided and the subscription expires.</item>
/// </list>
/// </summary>
internal sealed class RenewSubscriptions(
    SubscriptionsDbContext db, IBillingApi billing, CompleteOrder complete, CancelOrder cancel, ICatalogApi catalog, TimeProvider clock, ILogger<RenewSubscriptions> logger)
{
    private const int Batch = 500;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var today = clock.Today();
        await ExpireWithoutAutoRenewalAsync(today, cancellationToken);
        await StartRenewalsAsync(today, cancellationToken);
        await ProgressRenewalsAsync(cancellationToken);
    }

    private async Task ExpireWithoutAutoRenewalAsync(DateOnly today, CancellationToken cancellationToken)
    {
        var ids = await db.Subscriptions.AsNoTracking()
            .Where(s => s.Status == SubscriptionStatus.Active && !s.AutoRenew && s.RenewsOn <= today)
            .OrderBy(s => s.RenewsOn).Select(s => s.Id).Take(Batch).ToListAsync(cancellationToken);
        foreach (var id in ids)
        {
            await ExpireAsync(id, reason: null, cancellationToken);
        }
    }

    private async Task StartRenewalsAsync(DateOnly today, CancellationToken cancellationToken)
    {
        var due = await db.Subscriptions.AsNoTracking()
            .Where(s => s.Status == SubscriptionStatus.Active && s.AutoRenew && s.RenewsOn <= today
                && !db.Orders.Any(o => o.SubscriptionId == s.Id && o.RenewalOf == s.RenewsOn))
            .OrderBy(s => s.RenewsOn).Take(Batch).ToListAsync(cancellationToken);
        foreach (var s in due)
        {
            var seats = s.SeatsAtRenewal;
            var amount = (s.PricePerSeatPerTerm * seats).Rounded();
            db.Orders.Add(Order.Place(Guid.NewGuid(), s.CustomerId, OrderKind.Renewal, s.Id, s.PlanCode, seats, s.Currency, s.PricePerSeat, amount.Amount,
                clock.GetUtcNow().UtcDateTime, renewalOf: s.RenewsOn));
            // False when another run recorded this renewal first; it is progressed below like any other.
            await db.TryInsertOnceAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }
    }

    private async Task ProgressRenewalsAsync(CancellationToken cancellationToken)
    {
        var open = await db.Orders.AsNoTracking()
            .Where(o => o.Kind == OrderKind.Renewal && o.Status == OrderStatus.AwaitingPayment)
            .OrderBy(o => o.CreatedUtc).Take(Batch).ToListAsync(cancellationToken);
        foreach (var order in open)
        {
            try
            {
                await ProgressAsync(order.Id, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One customer's problem (say, no billing information) must not stop everyone else's renewal.
                logger.LogError(ex, "Renewal order {OrderId} could not be progressed; it is retried on the next run", order.Id);
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task ProgressAsync(Guid orderId, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var order = await db.Orders.SingleAsync(o => o.Id == orderId, cancellationToken);
        var subscription = await db.Subscriptions.AsNoTracking().SingleAsync(s => s.Id == order.SubscriptionId, cancellationToken);
        if (subscription.Status != SubscriptionStatus.Active || subscription.RenewsOn != order.RenewalOf)
        {
            await cancel.HandleAsync(order.Id, "The subscription changed before the renewal was paid.", cancellationToken);
            return;
        }
        if (order.InvoiceId is null)
        {
            var product = (await catalog.ProductAsync(subscription.ProductCode, cancellationToken))?.Name ?? subscription.ProductCode;
            var periodEnd = Subscription.RenewalAfter(subscription.ActivatedOn, subscription.RenewsOn, subscription.Term).AddDays(-1);
            var invoice = await billing.CreateInvoiceAsync(new CreateInvoice(order.CustomerId, order.Currency,
                [new CreateInvoiceLine(string.Create(CultureInfo.InvariantCulture, $"{product}, {(subscription.IsAnnual ? "annual" : "monthly")} renewal"),
                    order.Seats, order.PricePerSeat, subscription.RenewsOn, periodEnd, order.PlanCode)],
                order.SourceReference, DueOn: subscription.RenewsOn), cancellationToken);
            order.Invoiced(invoice.InvoiceId, invoice.Number);
            await db.SaveChangesAsync(cancellationToken);
            // The renewal day's charge is the invoice's first automatic attempt: a decline counts toward
            // Billing's retry schedule and emails the customer. Repeating it (after a crash) charges nothing twice.
            var charge = await billing.CollectAutomaticallyAsync(invoice.InvoiceId, CancellationToken.None);
            if (charge.Paid)
            {
                await complete.HandleAsync(order.Id, CancellationToken.None);
                return;
            }
        }
        var state = await billing.InvoiceStateAsync(order.InvoiceId!.Value, cancellationToken);
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
