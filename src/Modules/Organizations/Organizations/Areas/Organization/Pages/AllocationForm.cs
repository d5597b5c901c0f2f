using ChaosModular.Licensing.Contracts;

namespace ChaosModular.Organizations.Areas.Organization.Pages;

/// <summary>What the allocation pages post: the ticked products, seats per product (for each user), the expiration date.</summary>
internal sealed class AllocationForm
{
    public List<string> Products { get; set; } = [];

    /// <summary>Seats per product code, for each user; a ticked product without a number gets one seat.</summary>
    public Dictionary<string, int> Seats { get; set; } = [];

    public DateOnly? ExpiresOn { get; set; }

    public IReadOnlyDictionary<string, int> SeatsPerProduct =>
        // An empty product value binds as null: no product, not a dictionary key.
        Products.Where(code => !string.IsNullOrWhiteSpace(code)).Distinct(StringComparer.Ordinal).ToDictionary(code => code, code => Seats.TryGetValue(code, out var seats) ? seats : 1, StringComparer.Ordinal);

    public int SeatsOf(string code) => Seats.TryGetValue(code, out var seats) ? seats : 1;

    /// <summary>What the page says when Licensing refused: the problems, then each product's shortfall.</summary>
    public static IReadOnlyList<string> Refusal(AllocationOutcome outcome) => [.. outcome.Problems, .. outcome.Shortfalls.Select(s => s.Message)];
}
