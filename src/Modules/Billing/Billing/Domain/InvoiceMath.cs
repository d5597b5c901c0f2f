
namespace ChaosModular.Billing.Domain;

/// <summary>
/// How an invoice adds up. Each line is quantity × unit price rounded to the currency's minor unit
/// (half away from zero); tax is the rounded subtotal × rate, rounded the same way; the total is
/// subtotal + tax. So the total always equals the sum of the lines plus tax, to the cent.
/// </summary>
internal static class InvoiceMath
{
    public static Money LineAmount(decimal quantity, decimal unitPrice, string currency) =>
        new Money(quantity * unitPrice, currency).Rounded();

    public static (Money Subtotal, Money Tax, Money Total) Totals(IEnumerable<Money> lineAmounts, decimal taxRatePercent, string currency)
    {
        var subtotal = lineAmounts.Aggregate(Money.Zero(currency), (sum, line) => sum + line);
        var tax = new Money(subtotal.Amount * taxRatePercent / 100m, currency).Rounded();
        return (subtotal, tax, subtotal + tax);
    }
}
