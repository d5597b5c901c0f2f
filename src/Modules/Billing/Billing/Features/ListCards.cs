
namespace ChaosModular.Billing.Features;

/// <summary>A customer's saved cards, the default first, then the newest.</summary>
internal sealed class ListCards(BillingDbContext db, TimeProvider clock)
{
    public sealed record Card(Guid Id, string Brand, string Last4, string Expiry, bool IsExpired, bool IsDefault);

    public async Task<IReadOnlyList<Card>> HandleAsync(string customerId, CancellationToken cancellationToken)
    {
        var today = clock.Today();
        var methods = await db.PaymentMethods.AsNoTracking().Where(m => m.CustomerId == customerId)
            .OrderByDescending(m => m.IsDefault).ThenByDescending(m => m.AddedUtc).ToListAsync(cancellationToken);
        return methods.Select(m => new Card(m.Id, m.Brand, m.Last4, m.Expiry, m.IsExpiredOn(today), m.IsDefault)).ToList();
    }

    /// <summary>How many unpaid (Open or Overdue) invoices with something left to pay the customer has: what a new default card is offered to pay.</summary>
    public Task<int> UnpaidInvoicesAsync(string customerId, CancellationToken cancellationToken) =>
        db.Invoices.AsNoTracking().Where(i => i.CustomerId == customerId).Where(Invoice.Unpaid).CountAsync(i => i.Total > i.AmountPaid, cancellationToken);
}
