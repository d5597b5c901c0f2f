
namespace ChaosModular.Billing.Features;

/// <summary>Makes one of the customer's saved cards the one that pays open invoices and renewals.</summary>
internal sealed class SetDefaultCard(BillingDbContext db, TimeProvider clock)
{
    /// <summary>What to tell the customer, or null when the customer has no such card.</summary>
    public async Task<string?> HandleAsync(string customerId, Guid paymentMethodId, CancellationToken cancellationToken)
    {
        var method = await db.PaymentMethods.SingleOrDefaultAsync(m => m.Id == paymentMethodId && m.CustomerId == customerId, cancellationToken);
        if (method is null)
        {
            return null;
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.MakeDefaultAsync(method, clock.UtcNow(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return $"{method.Description} now pays your open invoices and renewals.";
    }
}
