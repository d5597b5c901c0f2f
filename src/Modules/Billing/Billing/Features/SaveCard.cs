using ChaosModular.Billing.Gateways;
using Microsoft.Extensions.Logging;

namespace ChaosModular.Billing.Features;

/// <summary>
/// Saves a card at the payment gateway and keeps what a customer needs to recognise it. A customer's first card
/// is the default whatever they chose; a new default replaces the old one.
/// </summary>
internal sealed class SaveCard(BillingDbContext db, IPaymentGateway gateway, TimeProvider clock, ILogger<SaveCard> logger)
{
    public sealed record Request(string CustomerId, string CustomerEmail, string Number, int ExpiryMonth, int ExpiryYear, string Cvc, bool MakeDefault);

    /// <param name="Field">The request's field the problem is about, or null for the whole form.</param>
    public sealed record Problem(string? Field, string Message);

    /// <summary>What to tell the customer: the saved card, or why it was not saved.</summary>
    public sealed record Result(string? Saved, Problem? Problem);

    public async Task<Result> HandleAsync(Request request, CancellationToken cancellationToken)
    {
        if (PaymentMethod.IsExpiredOn(Math.Clamp(request.ExpiryYear, 2000, 2100), Math.Clamp(request.ExpiryMonth, 1, 12), clock.Today()))
        {
            return new Result(null, new Problem(nameof(Request.ExpiryYear), "This card has expired."));
        }
        GatewayCard saved;
        try
        {
            saved = await gateway.SaveCardAsync(request.CustomerId, request.CustomerEmail, new CardInput(request.Number, request.ExpiryMonth, request.ExpiryYear, request.Cvc), cancellationToken);
        }
        catch (CardRejectedException rejected)
        {
            return new Result(null, new Problem(nameof(Request.Number), rejected.Message));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Saving a card failed at the payment gateway");
            return new Result(null, new Problem(null, "The payment service could not be reached, so your card was not saved. Please try again in a few minutes."));
        }
        var makeDefault = request.MakeDefault || !await db.PaymentMethods.AnyAsync(m => m.CustomerId == request.CustomerId, cancellationToken);
        var method = PaymentMethod.Save(request.CustomerId, saved.Brand, saved.Last4, saved.ExpiryMonth, saved.ExpiryYear, saved.Token, isDefault: false, clock.UtcNow());
        db.PaymentMethods.Add(method);
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            if (makeDefault)
            {
                await db.MakeDefaultAsync(method, cancellationToken);
            }
            else
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        return new Result($"{saved.Brand} ending in {saved.Last4} was saved{(makeDefault ? " and is now your default payment method" : "")}.", null);
    }
}
