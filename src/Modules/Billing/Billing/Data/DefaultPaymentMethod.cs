
namespace ChaosModular.Billing.Data;

/// <summary>
/// One default card per customer: it pays the Pay page, purchases, renewals and automatic attempts. The
/// filtered unique index <c>IX_payment_methods_one_default</c> enforces it; these are the only reads and writes of it.
/// </summary>
internal static class DefaultPaymentMethod
{
    public static Task<PaymentMethod?> DefaultOfAsync(this IQueryable<PaymentMethod> methods, string customerId, CancellationToken cancellationToken) =>
        methods.Where(m => m.CustomerId == customerId && m.IsDefault).OrderByDescending(m => m.AddedUtc).FirstOrDefaultAsync(cancellationToken);

    /// <summary>
    /// Makes <paramref name="method"/> the customer's default, in the caller's transaction: the previous default
    /// is cleared first, so the unique index never sees two. <paramref name="method"/> is tracked (new or loaded).
    /// A change of default is recorded on the billing profile: Overdue invoices get one more automatic attempt with it.
    /// </summary>
    public static async Task MakeDefaultAsync(this BillingDbContext db, PaymentMethod method, DateTime utcNow, CancellationToken cancellationToken)
    {
        var changed = !method.IsDefault;
        await db.PaymentMethods.Where(m => m.CustomerId == method.CustomerId && m.IsDefault && m.Id != method.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.IsDefault, false), cancellationToken);
        method.MakeDefault(true);
        await db.SaveChangesAsync(cancellationToken);
        if (changed)
        {
            await db.Profiles.Where(p => p.CustomerId == method.CustomerId)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.DefaultCardChangedUtc, utcNow), cancellationToken);
        }
    }
}
