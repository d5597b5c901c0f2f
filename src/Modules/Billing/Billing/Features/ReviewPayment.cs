
namespace ChaosModular.Billing.Features;

/// <summary>
/// The Pay page: a review of the chosen (or all) unpaid invoices per currency, credits applied first, what the
/// default card would be charged; confirmed, it pays exactly the invoices the review showed.
/// </summary>
internal sealed class ReviewPayment(BillingDbContext db, PayInvoices pay, TimeProvider clock)
{
    public sealed record Line(Guid Id, string Number, DateTime DueUtc, Money Balance);

    public sealed record Group(string Currency, IReadOnlyList<Line> Invoices, Money Due, Money Credit, Money ToCharge);

    /// <param name="MethodDescription">The default card and its expiry, or null when there is none.</param>
    public sealed record Review(IReadOnlyList<Group> Groups, string? MethodDescription, bool MethodExpired);

    /// <param name="all">Every unpaid invoice instead of <paramref name="invoiceIds"/>.</param>
    public async Task<Review> HandleAsync(string customerId, IReadOnlyCollection<Guid> invoiceIds, bool all, CancellationToken cancellationToken)
    {
        var query = db.Invoices.AsNoTracking().Where(i => i.CustomerId == customerId).Where(Invoice.Unpaid);
        if (!all)
        {
            query = query.Where(i => invoiceIds.Contains(i.Id));
        }
        var invoices = await query.OrderBy(i => i.DueUtc).ToListAsync(cancellationToken);
        var credits = await db.Credits.AsNoTracking().Where(c => c.CustomerId == customerId).ToListAsync(cancellationToken);
        var groups = invoices.Where(i => i.Balance > 0).GroupBy(i => i.Currency).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var due = g.Aggregate(Money.Zero(g.Key), (sum, i) => sum + i.BalanceDue);
            var (_, toCharge) = CreditApplication.Apply(due, credits.Select(c => (c.Id, new Money(c.Remaining, c.Currency), c.CreatedUtc)));
            return new Group(g.Key, g.Select(i => new Line(i.Id, i.Number, i.DueUtc, i.BalanceDue)).ToList(), due, due - toCharge, toCharge);
        }).ToList();
        var method = await db.PaymentMethods.AsNoTracking().DefaultOfAsync(customerId, cancellationToken);
        return new Review(groups, method is null ? null : $"{method.Description}, expires {method.Expiry}", method?.IsExpiredOn(clock.Today()) == true);
    }

    /// <summary>
    /// Pays the invoices of the review of <paramref name="invoiceIds"/> as it is now (never ones issued since it was shown).
    /// The key was made when the review was shown, so the same review posted twice pays once. Outcomes is null when nothing is left to pay.
    /// </summary>
    public async Task<(Review Review, IReadOnlyList<PayInvoices.Outcome>? Outcomes)> ConfirmAsync(string customerId, IReadOnlyCollection<Guid> invoiceIds, string reviewKey,
        CancellationToken cancellationToken)
    {
        var review = await HandleAsync(customerId, invoiceIds, all: false, cancellationToken);
        var ids = review.Groups.SelectMany(g => g.Invoices).Select(i => i.Id).ToList();
        if (ids.Count == 0)
        {
            return (review, null);
        }
        return (review, await pay.HandleAsync(customerId, ids, $"manual:{customerId}:{reviewKey}", automatic: false, cancellationToken));
    }
}
