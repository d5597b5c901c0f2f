using ChaosModular.Billing.Contracts.Events;
using ChaosModular.Billing.Gateways;
using ChaosModular.Modules.Infrastructure.Outbox;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChaosModular.Billing.Features;

/// <summary>
/// Pays a customer's invoices: one payment per currency, credits first, the rest charged to the
/// default method. The invoices are claimed with a conditional update before the gateway is
/// called, so two tabs, a double click or the automatic job cannot charge them twice; a repeated
/// idempotency key returns the first attempt's outcome without charging again.
/// </summary>
internal sealed class PayInvoices(BillingDbContext db, IPaymentGateway gateway, TimeProvider clock, IOptions<BillingOptions> options, ILogger<PayInvoices> logger)
{
    private static readonly TimeSpan ClaimFor = TimeSpan.FromMinutes(2);

    /// <summary>How long invoices stay held for a payment whose gateway did not answer, while the retry job asks again.</summary>
    private static readonly TimeSpan HoldUnanswered = TimeSpan.FromHours(1);

    public const string UnansweredReason =
        "The payment service did not answer. We will complete this payment as soon as it does and email your receipt; please don't pay these invoices again meanwhile.";

    public sealed record Outcome(string Currency, bool Paid, string? Reason, Money Charged, Money CreditApplied, IReadOnlyList<string> InvoiceNumbers, Guid? PaymentId, bool Pending = false);

    public async Task<IReadOnlyList<Outcome>> HandleAsync(string customerId, IReadOnlyCollection<Guid> invoiceIds, string idempotencyKey, bool automatic, CancellationToken cancellationToken)
    {
        var invoices = await db.Invoices.AsNoTracking()
            .Where(i => i.CustomerId == customerId && invoiceIds.Contains(i.Id))
            .Select(i => new { i.Id, i.Currency })
            .ToListAsync(cancellationToken);
        var outcomes = new List<Outcome>();
        foreach (var group in invoices.GroupBy(i => i.Currency).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            outcomes.Add(await PayInCurrencyAsync(customerId, group.Key, group.Select(i => i.Id).ToList(), CurrencyKey(idempotencyKey, group.Key), automatic, cancellationToken));
        }
        return outcomes;
    }

    private async Task<Outcome> PayInCurrencyAsync(string customerId, string currency, IReadOnlyList<Guid> ids, string key, bool automatic, CancellationToken cancellationToken)
    {
        if (await PreviousAttemptAsync(customerId, key, cancellationToken) is { } previous)
        {
            return previous;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var method = await db.PaymentMethods.AsNoTracking().DefaultOfAsync(customerId, cancellationToken);

        // 1. Claim the invoices and spend the credits, or give up having changed nothing.
        var paymentId = Guid.NewGuid();
        Payment payment;
        List<Invoice> claimed;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var lockUntil = now.Add(ClaimFor);
            var claimVersion = Guid.NewGuid();
            var claimable = db.Invoices.Where(i => ids.Contains(i.Id) && i.CustomerId == customerId);
            var count = await (options.Value.ClaimPayments ? claimable.FreeToClaim(db, now) : claimable)
                .Where(Invoice.Unpaid)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.PaymentLockId, paymentId).SetProperty(i => i.PaymentLockUntilUtc, lockUntil).SetProperty(i => i.Version, claimVersion), cancellationToken);
            // The claim bypassed the change tracker: copies of these invoices tracked earlier in this scope (one the
            // caller just issued through the API, say) are stale now and would hide the claim from the queries below.
            foreach (var stale in db.ChangeTracker.Entries<Invoice>().Where(e => ids.Contains(e.Entity.Id)).ToList())
            {
                stale.State = EntityState.Detached;
            }
            if (count != ids.Count)
            {
                await transaction.RollbackAsync(cancellationToken);
                return await PreviousAttemptAsync(customerId, key, cancellationToken)
                    ?? (await db.Invoices.Where(i => ids.Contains(i.Id) && i.CustomerId == customerId).HeldByPendingPayment(db).AnyAsync(cancellationToken)
                        ? PaymentHolds.BeingConfirmed(currency)
                        : Refused(currency, "Some of these invoices are already paid or are being paid in another window. Reload the page to see their status."));
            }
            claimed = await db.Invoices.Where(i => i.PaymentLockId == paymentId).OrderBy(i => i.IssuedUtc).ToListAsync(cancellationToken);
            var due = claimed.Aggregate(Money.Zero(currency), (sum, i) => sum + i.BalanceDue);
            var credits = await db.Credits.Where(c => c.CustomerId == customerId && c.Currency == currency).ToListAsync(cancellationToken);
            var (uses, toCharge) = CreditApplication.Apply(due, credits.Select(c => (c.Id, new Money(c.Remaining, c.Currency), c.CreatedUtc)));
            if (toCharge.Amount > 0 && (method is null || method.IsExpiredOn(DateOnly.FromDateTime(now))))
            {
                await transaction.RollbackAsync(cancellationToken);
                return Refused(currency, method is null
                    ? "Add a payment method before paying."
                    : $"Your {method.Description} has expired. Add a new payment method before paying.");
            }
            payment = Payment.Start(paymentId, key, customerId, currency, toCharge.Amount, (due - toCharge).Amount, toCharge.Amount > 0 ? method : null, now, automatic,
                $"Invoices {string.Join(", ", claimed.Select(i => i.Number))}");
            foreach (var use in uses)
            {
                credits.Single(c => c.Id == use.CreditId).Spend(use.Amount.Amount);
                db.CreditUses.Add(new CreditUse(paymentId, use.CreditId, use.Amount.Amount));
            }
            db.Payments.Add(payment);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
            // Not Claims.TryInsertOnceAsync: a spent credit's version conflict lands here too, and the claim's transaction must be rolled back.
            catch (DbUpdateException)
            {
                // The same key was used concurrently (a double click): that attempt decides.
                await transaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
                return await PreviousAttemptAsync(customerId, key, cancellationToken)
                    ?? Refused(currency, "This payment is already being processed. Reload the page in a moment.");
            }
        }

        // 2. Charge what credits did not cover, outside any transaction.
        GatewayResult result;
        if (payment.Amount == 0)
        {
            result = GatewayResult.Paid("credits");
        }
        else
        {
            try
            {
                // Not cancellable: once asked, the charge runs to its answer even if the browser goes away.
                result = await gateway.ChargeAsync(new GatewayCharge(customerId, method!.GatewayToken, method.Last4, new Money(payment.Amount, currency), key,
                    payment.Description), CancellationToken.None);
            }
            catch (Exception ex)
            {
                // We cannot know whether the card was charged. The payment stays Pending and the invoices held;
                // PendingPaymentsJob asks the gateway again with the same idempotency key, which answers the
                // first charge's outcome (or makes it), and records that.
                logger.LogError(ex, "Payment gateway did not answer for payment {PaymentId}; left pending for retry", paymentId);
                var holdUntil = clock.GetUtcNow().UtcDateTime.Add(HoldUnanswered);
                foreach (var invoice in claimed)
                {
                    invoice.HoldPaymentLock(holdUntil);
                }
                await db.SaveChangesAsync(CancellationToken.None);
                return ToOutcome(payment, claimed.Select(i => i.Number).ToList());
            }
        }

        // 3. Record the outcome.
        await RecordAsync(payment, claimed, result);
        return ToOutcome(payment, claimed.Select(i => i.Number).ToList());
    }

    /// <summary>One invoice to pay on its own, with its own payment and idempotency key (before the currency is added to it).</summary>
    public sealed record OneInvoice(Guid InvoiceId, string CustomerId, string Currency, string IdempotencyKey);

    /// <summary>
    /// Pays many invoices at once, each with its own payment (the automatic attempts of a batch), as <see cref="HandleAsync"/>
    /// pays one: the invoices are claimed and their payments started in one transaction, the gateway is asked per payment
    /// outside it, and the outcomes are recorded with one save. A decline or an unanswered charge affects only its invoice.
    /// Answers per invoice; null when the batch could not be started (a key used concurrently, say): nothing was claimed
    /// or charged, and the caller pays the invoices one by one instead.
    /// </summary>
    public async Task<Dictionary<Guid, Outcome>?> PayEachAsync(IReadOnlyList<OneInvoice> items, bool automatic, CancellationToken cancellationToken)
    {
        var outcomes = new Dictionary<Guid, Outcome>();
        var keys = items.Select(i => CurrencyKey(i.IdempotencyKey, i.Currency)).ToList();
        var previous = await db.Payments.AsNoTracking().Include(p => p.Allocations).Where(p => keys.Contains(p.IdempotencyKey))
            .ToDictionaryAsync(p => p.IdempotencyKey, StringComparer.Ordinal, cancellationToken);
        var todo = new List<(OneInvoice Item, string Key)>();
        foreach (var item in items)
        {
            var key = CurrencyKey(item.IdempotencyKey, item.Currency);
            if (previous.TryGetValue(key, out var payment))
            {
                outcomes[item.InvoiceId] = payment.CustomerId == item.CustomerId
                    ? ToOutcome(payment, payment.Allocations.Select(a => a.InvoiceNumber).ToList())
                    : Refused(item.Currency, "This payment is already being processed. Reload the page in a moment.");
            }
            else
            {
                todo.Add((item, key));
            }
        }
        if (todo.Count == 0)
        {
            return outcomes;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var customerIds = todo.Select(t => t.Item.CustomerId).Distinct(StringComparer.Ordinal).ToList();
        var methods = (await db.PaymentMethods.AsNoTracking().Where(m => customerIds.Contains(m.CustomerId) && m.IsDefault).ToListAsync(cancellationToken))
            .GroupBy(m => m.CustomerId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.OrderByDescending(m => m.AddedUtc).First(), StringComparer.Ordinal);

        // 1. Claim the invoices and start their payments (spending credits) in one transaction, or change nothing.
        var started = new List<(Payment Payment, Invoice Invoice, PaymentMethod? Method)>();
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var ids = todo.Select(t => t.Item.InvoiceId).ToList();
            var batchLock = Guid.NewGuid();
            var lockUntil = now.Add(ClaimFor);
            var claimVersion = Guid.NewGuid();
            await db.Invoices
                .Where(i => ids.Contains(i.Id))
                .FreeToClaim(db, now)
                .Where(Invoice.Unpaid)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.PaymentLockId, batchLock).SetProperty(i => i.PaymentLockUntilUtc, lockUntil).SetProperty(i => i.Version, claimVersion), cancellationToken);
            foreach (var stale in db.ChangeTracker.Entries<Invoice>().Where(e => ids.Contains(e.Entity.Id)).ToList())
            {
                stale.State = EntityState.Detached;
            }
            var claimed = await db.Invoices.Where(i => i.PaymentLockId == batchLock).ToDictionaryAsync(i => i.Id, cancellationToken);
            // Which refused invoices a Pending payment holds: asked only when the claim missed some (a whole batch is
            // usually claimed, and this lookup was one of the drain's costliest statements on PostgreSQL).
            var missed = ids.Where(id => !claimed.ContainsKey(id)).Distinct().ToList();
            var heldByPending = missed.Count == 0 ? new HashSet<Guid>() :
                (await db.Invoices.Where(i => missed.Contains(i.Id)).HeldByPendingPayment(db).Select(i => i.Id).ToListAsync(cancellationToken)).ToHashSet();
            var credits = await db.Credits.Where(c => customerIds.Contains(c.CustomerId)).ToListAsync(cancellationToken);
            foreach (var (item, key) in todo)
            {
                if (!claimed.TryGetValue(item.InvoiceId, out var invoice) || invoice.CustomerId != item.CustomerId || invoice.Currency != item.Currency)
                {
                    claimed.Remove(item.InvoiceId);
                    invoice?.ReleasePaymentLock();
                    outcomes[item.InvoiceId] = heldByPending.Contains(item.InvoiceId)
                        ? PaymentHolds.BeingConfirmed(item.Currency)
                        : Refused(item.Currency, "Some of these invoices are already paid or are being paid in another window. Reload the page to see their status.");
                    continue;
                }
                var method = methods.GetValueOrDefault(item.CustomerId);
                var own = credits.Where(c => c.CustomerId == item.CustomerId && c.Currency == item.Currency).ToList();
                var (uses, toCharge) = CreditApplication.Apply(invoice.BalanceDue, own.Select(c => (c.Id, new Money(c.Remaining, c.Currency), c.CreatedUtc)));
                if (toCharge.Amount > 0 && (method is null || method.IsExpiredOn(DateOnly.FromDateTime(now))))
                {
                    invoice.ReleasePaymentLock();
                    outcomes[item.InvoiceId] = Refused(item.Currency, method is null
                        ? "Add a payment method before paying."
                        : $"Your {method.Description} has expired. Add a new payment method before paying.");
                    continue;
                }
                var payment = Payment.Start(Guid.NewGuid(), key, item.CustomerId, item.Currency, toCharge.Amount, (invoice.BalanceDue - toCharge).Amount,
                    toCharge.Amount > 0 ? method : null, now, automatic, $"Invoices {invoice.Number}");
                foreach (var use in uses)
                {
                    own.Single(c => c.Id == use.CreditId).Spend(use.Amount.Amount);
                    db.CreditUses.Add(new CreditUse(payment.Id, use.CreditId, use.Amount.Amount));
                }
                invoice.HandPaymentLockTo(payment.Id);
                db.Payments.Add(payment);
                started.Add((payment, invoice, toCharge.Amount > 0 ? method : null));
            }
            try
            {
                await HandLocksOverAsync(started.Select(s => s.Invoice).ToList(), cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
            // Not Claims.TryInsertOnceAsync: a key used concurrently or a spent credit's conflict undoes the whole batch's claim.
            catch (DbUpdateException ex)
            {
                logger.LogWarning(ex, "A batch of {Count} payments could not be started; its invoices are paid one by one", todo.Count);
                await transaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
                return null;
            }
        }

        // 2. Charge what credits did not cover, outside any transaction, one payment at a time.
        var answered = new List<(Payment Payment, Invoice Invoice, GatewayResult Result)>();
        foreach (var (payment, invoice, method) in started)
        {
            if (method is null)
            {
                answered.Add((payment, invoice, GatewayResult.Paid("credits")));
                continue;
            }
            try
            {
                answered.Add((payment, invoice, await gateway.ChargeAsync(new GatewayCharge(payment.CustomerId, method.GatewayToken, method.Last4,
                    new Money(payment.Amount, payment.Currency), payment.IdempotencyKey, payment.Description), CancellationToken.None)));
            }
            catch (Exception ex)
            {
                // As for one payment: it stays Pending and its invoice held, and PendingPaymentsJob asks again with the same key.
                logger.LogError(ex, "Payment gateway did not answer for payment {PaymentId}; left pending for retry", payment.Id);
                invoice.HoldPaymentLock(clock.GetUtcNow().UtcDateTime.Add(HoldUnanswered));
            }
        }

        // 3. Record the outcomes with one save. Should it fail (a webhook recorded one meanwhile, one outcome cannot be
        // stored), each is recorded on its own, and one that still cannot be is left Pending for PendingPaymentsJob.
        foreach (var (payment, invoice, result) in answered)
        {
            await StageRecordAsync(payment, [invoice], result);
        }
        try
        {
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (DbUpdateException ex)
        {
            logger.LogWarning(ex, "The outcomes of {Count} payments could not be recorded together; they are recorded one by one", answered.Count);
            db.ChangeTracker.Clear();
            foreach (var (payment, _, result) in answered)
            {
                try
                {
                    await CompletePendingAsync(payment.IdempotencyKey, result, CancellationToken.None);
                    db.ChangeTracker.Clear();
                }
                catch (Exception recordError) when (recordError is not OperationCanceledException)
                {
                    logger.LogError(recordError, "The outcome of payment {PaymentId} could not be recorded; PendingPaymentsJob asks the gateway again", payment.Id);
                    db.ChangeTracker.Clear();
                }
            }
            var recorded = await PreviousAttemptsAsync(started.Select(s => s.Payment.IdempotencyKey).ToList(), cancellationToken);
            foreach (var (payment, invoice, _) in started)
            {
                outcomes[invoice.Id] = recorded.TryGetValue(payment.IdempotencyKey, out var outcome) ? outcome : ToOutcome(payment, [invoice.Number]);
            }
            return outcomes;
        }
        foreach (var (payment, invoice, _) in started)
        {
            outcomes[invoice.Id] = ToOutcome(payment, [invoice.Number]);
        }
        return outcomes;
    }

    /// <summary>
    /// Writes the batch's hand-overs (each invoice from the batch's lock to its own payment, <see cref="Invoice.HandPaymentLockTo"/>)
    /// on PostgreSQL with one statement checking every invoice's version, instead of one update each through the change tracker
    /// (100,000 of them in a run of 100,000 renewals). Elsewhere, and for one invoice, SaveChanges writes them.
    /// </summary>
    private async Task HandLocksOverAsync(List<Invoice> invoices, CancellationToken cancellationToken)
    {
        if (invoices.Count < 2 || !db.ClaimsWithSkipLocked())
        {
            return;
        }
        var entries = invoices.Select(i => db.Entry(i)).ToList();
        var ids = invoices.Select(i => i.Id).ToArray();
        var locks = invoices.Select(i => i.PaymentLockId!.Value).ToArray();
        var versions = invoices.Select(i => i.Version).ToArray();
        var was = entries.Select(e => e.Property(i => i.Version).OriginalValue).ToArray();
        var updated = await db.Database.ExecuteSqlAsync($"""
            UPDATE billing.invoices AS i SET "PaymentLockId" = n.lock, "Version" = n.version
            FROM unnest({ids}, {locks}, {versions}, {was}) AS n(id, lock, version, was)
            WHERE i."Id" = n.id AND i."Version" = n.was
            """, cancellationToken);
        if (updated != invoices.Count)
        {
            throw new DbUpdateConcurrencyException($"{invoices.Count - updated} of {invoices.Count} invoices changed since they were claimed.");
        }
        foreach (var entry in entries)
        {
            // Written now: the tracker takes the new lock and version as saved.
            foreach (var property in new[] { entry.Property(i => i.PaymentLockId).Metadata, entry.Property(i => i.Version).Metadata })
            {
                var value = entry.Property(property.Name);
                value.OriginalValue = value.CurrentValue;
                value.IsModified = false;
            }
        }
    }

    private async Task<Dictionary<string, Outcome>> PreviousAttemptsAsync(List<string> keys, CancellationToken cancellationToken) =>
        (await db.Payments.AsNoTracking().Include(p => p.Allocations).Where(p => keys.Contains(p.IdempotencyKey)).ToListAsync(cancellationToken))
            .ToDictionary(p => p.IdempotencyKey, p => ToOutcome(p, p.Allocations.Select(a => a.InvoiceNumber).ToList()), StringComparer.Ordinal);

    /// <summary>
    /// Completes a payment left Pending (the process stopped between the charge and its record) from
    /// the gateway's later word, e.g. a webhook. False when there is nothing pending to complete.
    /// </summary>
    public async Task<bool> CompletePendingAsync(string idempotencyKey, GatewayResult result, CancellationToken cancellationToken)
    {
        var payment = await db.Payments.Include(p => p.Allocations).SingleOrDefaultAsync(p => p.IdempotencyKey == idempotencyKey, cancellationToken);
        if (payment is null || payment.Status != PaymentStatus.Pending)
        {
            return false;
        }
        var claimed = await db.Invoices.Where(i => i.PaymentLockId == payment.Id).OrderBy(i => i.IssuedUtc).ToListAsync(cancellationToken);
        return await TryRecordAsync(payment, claimed, result);
    }

    /// <summary>False when someone else (the webhook, the retry job) recorded this payment first.</summary>
    private async Task<bool> TryRecordAsync(Payment payment, List<Invoice> claimed, GatewayResult result)
    {
        try
        {
            await RecordAsync(payment, claimed, result);
            return true;
        }
        // Not Claims.RetryOnConflictAsync: the first record of an outcome stands, a second one must not be made.
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return false;
        }
    }

    /// <summary>Asks the gateway again about a payment it did not answer for, with the same idempotency key.</summary>
    public async Task<bool> RetryPendingAsync(Guid paymentId, CancellationToken cancellationToken)
    {
        var payment = await db.Payments.Include(p => p.Allocations).SingleOrDefaultAsync(p => p.Id == paymentId, cancellationToken);
        if (payment is null || payment.Status != PaymentStatus.Pending)
        {
            return false;
        }
        var claimed = await db.Invoices.Where(i => i.PaymentLockId == payment.Id).OrderBy(i => i.IssuedUtc).ToListAsync(cancellationToken);
        GatewayResult result;
        if (payment.Amount == 0)
        {
            result = GatewayResult.Paid("credits");
        }
        else
        {
            // A card removed since still answers its pending charge: the same key asks about the first attempt.
            var method = await db.PaymentMethods.AsNoTracking().IgnoreQueryFilters().SingleOrDefaultAsync(m => m.Id == payment.PaymentMethodId, cancellationToken);
            if (method is null)
            {
                result = GatewayResult.Declined("The payment method of this payment was removed.");
            }
            else
            {
                try
                {
                    // The same key and the same parameters as the first attempt, so the gateway answers that attempt.
                    result = await gateway.ChargeAsync(new GatewayCharge(payment.CustomerId, method.GatewayToken, method.Last4, new Money(payment.Amount, payment.Currency),
                        payment.IdempotencyKey, payment.Description, AskingAgain: true), CancellationToken.None);
                }
                catch (Exception ex)
                {
                    logger.LogWarning(ex, "Payment gateway still does not answer for payment {PaymentId}", paymentId);
                    var holdUntil = clock.GetUtcNow().UtcDateTime.Add(HoldUnanswered);
                    foreach (var invoice in claimed)
                    {
                        invoice.HoldPaymentLock(holdUntil);
                    }
                    await db.SaveChangesAsync(CancellationToken.None);
                    return false;
                }
            }
        }
        await RecordAsync(payment, claimed, result);
        return true;
    }

    private async Task RecordAsync(Payment payment, List<Invoice> claimed, GatewayResult result)
    {
        await StageRecordAsync(payment, claimed, result);
        await db.SaveChangesAsync(CancellationToken.None);
    }

    /// <summary>The outcome's changes (invoices, allocations, credits, events), left for the caller to save.</summary>
    private async Task StageRecordAsync(Payment payment, List<Invoice> claimed, GatewayResult result)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var currency = payment.Currency;
        var customerId = payment.CustomerId;
        if (result.Succeeded)
        {
            var remaining = payment.Amount + payment.CreditApplied;
            foreach (var invoice in claimed.Where(i => i.IsPayable))
            {
                var amount = Math.Min(invoice.Balance, remaining);
                if (amount <= 0)
                {
                    break;
                }
                invoice.ApplyPayment(new Money(amount, currency), now);
                payment.Allocate(invoice.Id, invoice.Number, amount);
                remaining -= amount;
                db.Publish(new InvoicePaid(Guid.NewGuid(), now, invoice.Id, invoice.Number, customerId, invoice.SourceReference));
            }
            if (remaining > 0)
            {
                // Money taken for invoices that were settled meanwhile is kept for the customer, not lost.
                db.Credits.Add(Credit.Grant(customerId, currency, remaining, $"Payment {result.Reference} exceeded the invoices it was for", now));
            }
            payment.Succeeded(result.Reference, now);
            db.Publish(new PaymentSucceeded(Guid.NewGuid(), now, payment.Id, customerId));
        }
        else
        {
            var uses = await db.CreditUses.Where(u => u.PaymentId == payment.Id).ToListAsync();
            var creditIds = uses.Select(u => u.CreditId).ToList();
            var credits = await db.Credits.Where(c => creditIds.Contains(c.Id)).ToListAsync();
            foreach (var use in uses)
            {
                credits.Single(c => c.Id == use.CreditId).Restore(use.Amount);
            }
            db.CreditUses.RemoveRange(uses);
            payment.Failed(result.DeclineReason ?? "The payment was declined.", now);
            db.Publish(new PaymentFailed(Guid.NewGuid(), now, payment.Id, customerId, claimed.Select(i => i.Id).ToList(), payment.FailureReason!));
        }
        foreach (var invoice in claimed)
        {
            invoice.ReleasePaymentLock();
            if (!result.Succeeded && Purchase.IsPurchaseOf(payment, invoice) && invoice.CanBeVoided(now))
            {
                // A declined purchase leaves nothing owed, whenever the decline comes (now, the retry job, the webhook).
                VoidInvoice.Apply(db, invoice, Purchase.DeclinedReason(payment.FailureReason!), now);
            }
        }
    }

    /// <summary>The outcome of the payment made earlier in <paramref name="currency"/> with this key, or null when none was made.</summary>
    public Task<Outcome?> OutcomeOfAsync(string customerId, string idempotencyKey, string currency, CancellationToken cancellationToken) =>
        PreviousAttemptAsync(customerId, CurrencyKey(idempotencyKey, currency), cancellationToken);

    /// <summary>The key of the payment made in <paramref name="currency"/> for a request with <paramref name="idempotencyKey"/>.</summary>
    public static string CurrencyKey(string idempotencyKey, string currency) => $"{idempotencyKey}:{currency}";

    /// <summary>The earlier attempt with this key, only if it was this customer's: a key from another customer's form reveals nothing.</summary>
    private async Task<Outcome?> PreviousAttemptAsync(string customerId, string key, CancellationToken cancellationToken)
    {
        var payment = await db.Payments.AsNoTracking().Include(p => p.Allocations)
            .SingleOrDefaultAsync(p => p.IdempotencyKey == key && p.CustomerId == customerId, cancellationToken);
        return payment is null ? null : ToOutcome(payment, payment.Allocations.Select(a => a.InvoiceNumber).ToList());
    }

    private static Outcome ToOutcome(Payment payment, IReadOnlyList<string> numbers) =>
        new(payment.Currency, payment.Status == PaymentStatus.Succeeded,
            payment.Status == PaymentStatus.Pending ? UnansweredReason : payment.FailureReason,
            new Money(payment.Amount, payment.Currency), new Money(payment.CreditApplied, payment.Currency), numbers, payment.Id,
            Pending: payment.Status == PaymentStatus.Pending);

    private static Outcome Refused(string currency, string reason) =>
        new(currency, false, reason, Money.Zero(currency), Money.Zero(currency), [], null);
}
