using ChaosModular.Billing.Gateways;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChaosModular.Billing.Features;

/// <summary>
/// Saves a card and keeps what a customer needs to recognise it. With Stripe the card was typed into Stripe.js's fields
/// and this only reads the setup the browser finished (<see cref="CompleteSetupAsync"/>); with the Simulated gateway it
/// comes from the portal's own form (<see cref="HandleAsync"/>). A customer's first card is the default whatever they
/// chose; a new default replaces the old one; the same setup saved twice (a double click) is one card.
/// <para>
/// Change is a save that replaces a card (<c>Replaces</c>): the new card takes over what the old one paid (the default
/// flag, and with it every renewal and automatic payment, which charge the default), and the old one is removed as
/// <see cref="RemoveCard"/> removes it, in the same transaction; it is then forgotten at the provider.
/// </para>
/// </summary>
internal sealed class SaveCard(BillingDbContext db, IServiceProvider services, RemoveCard remove, TimeProvider clock, ILogger<SaveCard> logger)
{
    /// <param name="Replaces">The card this one replaces (Change), or null to add a card.</param>
    public sealed record Request(string CustomerId, string CustomerEmail, string Number, int ExpiryMonth, int ExpiryYear, string Cvc, bool MakeDefault,
        Guid? Replaces = null);

    /// <param name="Field">The request's field the problem is about, or null for the whole form.</param>
    public sealed record Problem(string? Field, string Message);

    /// <summary>What to tell the customer: the saved card, or why it was not saved; whether it became the default just now.</summary>
    public sealed record Result(string? Saved, Problem? Problem, bool BecameDefault = false);

    /// <summary>The customer's card that Change would replace, or null when the customer has no such card.</summary>
    public async Task<string?> ReplaceableAsync(string customerId, Guid paymentMethodId, CancellationToken cancellationToken) =>
        (await db.PaymentMethods.AsNoTracking().SingleOrDefaultAsync(m => m.Id == paymentMethodId && m.CustomerId == customerId, cancellationToken))?.Description;

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
        return await SaveAsync(request.CustomerId, request.MakeDefault, request.Replaces, nameof(Request.Number),
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
    public async Task<Result> CompleteSetupAsync(string customerId, string setupId, bool makeDefault, CancellationToken cancellationToken, Guid? replaces = null)
    {
        if (string.IsNullOrWhiteSpace(setupId))
        {
            return new Result(null, new Problem(null, "Enter your card details in the card field, then save."));
        }
        var entry = BrowserEntry();
        return await SaveAsync(customerId, makeDefault, replaces, null, () => entry.CompleteCardSetupAsync(customerId, setupId.Trim(), cancellationToken), cancellationToken);
    }

    private IBrowserCardEntry BrowserEntry() => services.GetService<IBrowserCardEntry>()
        ?? throw new InvalidOperationException("The Simulated gateway takes cards from the portal's own form.");

    private async Task<Result> SaveAsync(string customerId, bool makeDefault, Guid? replaces, string? rejectedField, Func<Task<GatewayCard>> atGateway,
        CancellationToken cancellationToken)
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
        var replaced = replaces is { } oldId
            ? await db.PaymentMethods.SingleOrDefaultAsync(m => m.Id == oldId && m.CustomerId == customerId, cancellationToken)
            : null;
        var existing = await db.PaymentMethods.SingleOrDefaultAsync(m => m.CustomerId == customerId && m.GatewayToken == saved.Token, cancellationToken);
        if (existing is not null && (replaced is null || existing.Id == replaced.Id))
        {
            return replaced is null
                ? new Result($"{saved.Brand} ending in {saved.Last4} is saved.", null)
                : new Result(null, new Problem(rejectedField, $"That is {replaced.Description}, the card you are replacing. Enter the new card."));
        }
        makeDefault = makeDefault || replaced?.IsDefault == true || !await db.PaymentMethods.AnyAsync(m => m.CustomerId == customerId, cancellationToken);
        var now = clock.UtcNow();
        var method = existing ?? PaymentMethod.Save(customerId, saved.Brand, saved.Last4, saved.ExpiryMonth, saved.ExpiryYear, saved.Token, isDefault: false, now);
        if (existing is null)
        {
            db.PaymentMethods.Add(method);
        }
        var becameDefault = makeDefault && !method.IsDefault;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            replaced?.Remove(now);
            if (makeDefault)
            {
                await db.MakeDefaultAsync(method, now, cancellationToken);
            }
            else
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        if (replaced is not null)
        {
            await remove.ForgetAtProviderAsync(replaced, cancellationToken);
            return new Result($"{method.Description} replaced {replaced.Description}{(makeDefault ? " and is now your default payment method" : "")}.", null, becameDefault);
        }
        return new Result($"{saved.Brand} ending in {saved.Last4} was saved{(makeDefault ? " and is now your default payment method" : "")}.", null, becameDefault);
    }
}
