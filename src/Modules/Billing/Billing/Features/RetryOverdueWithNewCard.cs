namespace ChaosModular.Billing.Features;

/// <summary>
/// "Used for any unpaid invoices": an Overdue invoice has no automatic attempt left, but when a new default card appears
/// it gets one more, the day after (UTC), with that card. Picked are Overdue invoices of customers whose default card
/// changed before today and whose last automatic attempt was before that change; once attempted, the invoice's
/// <see cref="Invoice.LastAutoPayAttemptUtc"/> is after the change, so a second run makes no second attempt. The attempt's
/// idempotency key names the invoice and the change, so a run that crashed after charging finds the charge instead of
/// making another. The hourly automatic payment job runs this after its drain.
/// </summary>
internal sealed class RetryOverdueWithNewCard(BillingDbContext db, PayInvoices pay, TimeProvider clock)
{
    public const int BatchSize = 200;

    public static string AttemptKey(Guid invoiceId, DateTime defaultCardChangedUtc) => $"auto:{invoiceId:N}:newcard:{defaultCardChangedUtc.Ticks}";

    /// <summary>Attempts every invoice due for its new-card attempt; returns how many were attempted.</summary>
    public async Task<int> HandleAsync(CancellationToken cancellationToken)
    {
        var attempted = 0;
        var seen = new HashSet<Guid>();
        while (true)
        {
            var startOfToday = clock.Today().ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            var due = await (from i in db.Invoices.AsNoTracking()
                             join p in db.Profiles.AsNoTracking() on i.CustomerId equals p.CustomerId
                             where i.Status == InvoiceStatus.Overdue && p.DefaultCardChangedUtc != null && p.DefaultCardChangedUtc < startOfToday
                                   && (i.LastAutoPayAttemptUtc == null || i.LastAutoPayAttemptUtc < p.DefaultCardChangedUtc)
                             orderby i.DueUtc
                             select new { i.Id, i.CustomerId, Changed = p.DefaultCardChangedUtc!.Value })
                .Take(BatchSize).ToListAsync(cancellationToken);
            // An invoice another payment holds is not marked and comes back: seen once per run is enough.
            due = due.Where(d => seen.Add(d.Id)).ToList();
            if (due.Count == 0)
            {
                return attempted;
            }
            foreach (var invoice in due)
            {
                db.ChangeTracker.Clear();
                var outcome = (await pay.HandleAsync(invoice.CustomerId, [invoice.Id], AttemptKey(invoice.Id, invoice.Changed), automatic: true, cancellationToken)).SingleOrDefault();
                if (outcome is { PaymentId: null, Pending: true })
                {
                    continue;   // someone else's payment holds it; the next run looks again
                }
                var now = clock.UtcNow();
                await db.Invoices.Where(i => i.Id == invoice.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(i => i.LastAutoPayAttemptUtc, now), cancellationToken);
                attempted++;
            }
        }
    }
}
