
namespace ChaosModular.Billing.Domain;

/// <summary>
/// Credits pay before the card does: oldest first, only in the invoice's currency, never more than
/// is due. What is left is charged.
/// </summary>
internal static class CreditApplication
{
    public sealed record Use(Guid CreditId, Money Amount);

    public static (IReadOnlyList<Use> Uses, Money ToCharge) Apply(Money due, IEnumerable<(Guid Id, Money Remaining, DateTime CreatedUtc)> credits)
    {
        var left = due;
        var uses = new List<Use>();
        foreach (var credit in credits.Where(c => c.Remaining.Currency == due.Currency && c.Remaining.Amount > 0).OrderBy(c => c.CreatedUtc).ThenBy(c => c.Id))
        {
            if (left.Amount <= 0)
            {
                break;
            }
            var take = Math.Min(credit.Remaining.Amount, left.Amount);
            uses.Add(new Use(credit.Id, new Money(take, due.Currency)));
            left -= new Money(take, due.Currency);
        }
        return (uses, left);
    }
}
