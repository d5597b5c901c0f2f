using System.Collections.Concurrent;

namespace ChaosModular.Billing.Gateways;

/// <summary>
/// A gateway with no provider behind it, for local runs and tests. It keeps only brand, last four
/// digits and expiry, and answers like Stripe's documented test cards: 4242 4242 4242 4242 pays,
/// 4000 0000 0000 0002 is declined, 4000 0000 0000 9995 has insufficient funds, and
/// 4000 0000 0000 0341 saves but is declined when charged. Unlike Stripe, it lets 0002 and 9995
/// be saved too, so a decline can be shown at payment time. 4000 0000 0000 0119 (Stripe's processing-error card) stands for
/// a payment service that does not answer: the first attempt of a charge times out, and asked again (<see cref="GatewayCharge.AskingAgain"/>,
/// the unanswered-payments job) it pays, as a late answer would.
/// </summary>
internal sealed class SimulatedGateway : IPaymentGateway, IServerCardEntry
{
    private readonly ConcurrentDictionary<string, GatewayResult> _byIdempotencyKey = new(StringComparer.Ordinal);

    public Task<GatewayCard> SaveCardAsync(string customerId, string customerEmail, CardInput card, CancellationToken cancellationToken)
    {
        var digits = new string(card.Number.Where(char.IsAsciiDigit).ToArray());
        if (digits.Length is < 13 or > 19 || !PassesLuhn(digits))
        {
            throw new CardRejectedException("Your card number is incorrect.");
        }
        if (card.Cvc.Length is < 3 or > 4 || !card.Cvc.All(char.IsAsciiDigit))
        {
            throw new CardRejectedException("Your card's security code is invalid.");
        }
        if (digits == "4000000000000069")
        {
            throw new CardRejectedException("Your card has expired.");
        }
        return Task.FromResult(new GatewayCard(BrandOf(digits), digits[^4..], card.ExpiryMonth, card.ExpiryYear, $"sim_{Guid.NewGuid():N}"));
    }

    public const string UnansweredCardLast4 = "0119";

    public Task<GatewayResult> ChargeAsync(GatewayCharge charge, CancellationToken cancellationToken) =>
        charge is { CardLast4: UnansweredCardLast4, AskingAgain: false }
            ? Task.FromException<GatewayResult>(new TimeoutException("The payment service did not answer (simulated: a card ending in 0119)."))
            : Task.FromResult(_byIdempotencyKey.GetOrAdd(charge.IdempotencyKey, _ => charge.CardLast4 switch
        {
            "0002" or "0341" => GatewayResult.Declined("Your card was declined."),
            "9995" => GatewayResult.Declined("Your card has insufficient funds."),
            _ => GatewayResult.Paid($"sim_pi_{Guid.NewGuid():N}"),
        }));

    internal static string BrandOf(string digits) => digits switch
    {
        ['4', ..] => "Visa",
        ['3', '4' or '7', ..] => "American Express",
        ['5', '1' or '2' or '3' or '4' or '5', ..] => "Mastercard",
        ['2', ..] when int.Parse(digits[..4], System.Globalization.CultureInfo.InvariantCulture) is >= 2221 and <= 2720 => "Mastercard",
        ['6', '0', '1', '1', ..] or ['6', '5', ..] => "Discover",
        _ => "Card",
    };

    internal static bool PassesLuhn(string digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[digits.Length - 1 - i] - '0';
            if (i % 2 == 1)
            {
                d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            }
            sum += d;
        }
        return sum % 10 == 0;
    }
}
