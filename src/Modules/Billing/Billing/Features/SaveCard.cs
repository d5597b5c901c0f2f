using ChaosModular.Billing.Gateways;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChaosModular.Billing.Features;

/// <summary>
/// Saves a card and keeps what a customer needs to recognise it. With Stripe the card was typed into Stripe.js's fields
/// and this only reads the setup the browser finished (<see cref="CompleteSetupAsync"/>); with the Simulated gateway it
/// comes from the portal's own form (<see cref="HandleAsync"/>). A customer's first card is the default whatever they
/// chose; a new default replaces the old one; the same setup saved twice (a double click) is one card.
/// </summary>
internal sealed class SaveCard(BillingDbContext db, IServiceProvider services, TimeProvider clock, ILogger<SaveCard> logger)
{
    public sealed record Request(string CustomerId, string CustomerEmail, string Number, int ExpiryMonth, int ExpiryYear, string Cvc, bool MakeDefault);

    /// <param name="Field">The request's field the problem is about, or null for the whole form.</param>
    public sealed record Problem(string? Field, string Message);

    /// <summary>What to tell the customer: the saved card, or why it was not saved.</summary>
    public sealed record Result(string? Saved, Problem? Problem);

    /// <summary>The payment provider's own card fields: its publishable key and script.</summary>
    public sealed record ProviderFields(string PublishableKey, Uri ScriptUrl);

    /// <summary>How cards are typed in: the provider's fields in the browser (Stripe), or null for the portal's own form.</summary>
    public ProviderFields? CardFields => services.GetService<IBrowserCardEntry>() is { } entry ? new(entry.PublishableKey, entry.ScriptUrl) : null;

    private const string Unreachable = "The payment service could not be reached, so your card was not saved. Please try again in a few minutes.";

    /// <summary>A card typed into the portal's form (the Simulated gateway).</summary>
    public async Task<Result> HandleAsync(Request request, CancellationToken cancellationToken)
    {
        if (PaymentMethod.IsExpiredOn(Math.Clamp(request.ExpiryYear, 2000, 2100), Math.Clamp(request.ExpiryMonth, 1, 12), clock.Today()))
        {
            return new Result(null, new Problem(nameof(Request.ExpiryYear), "This card has expired."));
        }
        var entry = services.GetService<IServerCardEntry>()
            ?? throw new InvalidOperationException("Cards are typed into the payment provider's fields with this gateway, not posted to the server.");
        return await SaveAsync(request.CustomerId, request.MakeDefault, nameof(Request.Number),
            () => entry.SaveCardAsync(request.CustomerId, request.CustomerEmail, new CardInput(request.Number, request.ExpiryMonth, request.ExpiryYear, request.Cvc), cancellationToken),
            cancellationToken);
    }

    /// <summary>Starts a card setup the browser confirms with the payment provider; null when the provider cannot be reached.</summary>
    public async Task<string?> StartSetupAsync(string customerId, string customerEmail, CancellationToken cancellationToken)
    {
        try
        {
            return await BrowserEntry().StartCardSetupAsync(customerId, customerEmail, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Starting a card setup failed at the payment gateway");
            return null;
        }
    }

    /// <summary>The card of a setup the browser confirmed with the payment provider.</summary>
    public async Task<Result> CompleteSetupAsync(string customerId, string setupId, bool makeDefault, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(setupId))
        {
            return new Result(null, new Problem(null, "Enter your card details in the card field, then save."));
        }
        var entry = BrowserEntry();
        return await SaveAsync(customerId, makeDefault, null, () => entry.CompleteCardSetupAsync(customerId, setupId.Trim(), cancellationToken), cancellationToken);
    }

    private IBrowserCardEntry BrowserEntry() => services.GetService<IBrowserCardEntry>()
        ?? throw new InvalidOperationException("The Simulated gateway takes cards from the portal's own form.");

    private async Task<Result> SaveAsync(string customerId, bool makeDefault, string? rejectedField, Func<Task<GatewayCard>> atGateway, CancellationToken cancellationToken)
    {
        GatewayCard saved;
        try
        {
            saved = await atGateway();
        }
        catch (CardRejectedException rejected)
        {
            return new Result(null, new Problem(rejectedField, rejected.Message));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Saving a card failed at the payment gateway");
            return new Result(null, new Problem(null, Unreachable));
        }
        if (await db.PaymentMethods.AnyAsync(m => m.CustomerId == customerId && m.GatewayToken == saved.Token, cancellationToken))
        {
            return new Result($"{saved.Brand} ending in {saved.Last4} is saved.", null);
        }
        makeDefault = makeDefault || !await db.PaymentMethods.AnyAsync(m => m.CustomerId == customerId, cancellationToken);
        var method = PaymentMethod.Save(customerId, saved.Brand, saved.Last4, saved.ExpiryMonth, saved.ExpiryYear, saved.Token, isDefault: false, clock.UtcNow());
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
