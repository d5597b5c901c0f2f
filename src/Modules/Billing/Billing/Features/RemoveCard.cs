using ChaosModular.Billing.Gateways;
using ChaosModular.Subscriptions.Contracts;
using Microsoft.Extensions.Logging;

namespace ChaosModular.Billing.Features;

/// <summary>
/// Removes one of the customer's saved cards, after a confirmation. The only card cannot go while a subscription renews
/// automatically: its renewals would have nothing to charge. Removal is a soft delete (<see cref="PaymentMethod.Remove"/>):
/// payments made with the card keep showing it. A removed default hands the default to the newest other card; the card
/// is forgotten at the payment provider after the removal is saved.
/// </summary>
internal sealed class RemoveCard(BillingDbContext db, IPaymentGateway gateway, ISubscriptionsApi subscriptions, TimeProvider clock, ILogger<RemoveCard> logger)
{
    /// <param name="Refusal">Why the card cannot be removed now, or null when it can.</param>
    /// <param name="Successor">The card that becomes the default when this one (the default) goes, if any.</param>
    public sealed record Preview(Guid Id, string Description, bool IsDefault, string? Refusal, string? Successor);

    /// <summary>What happened: a message to show, and whether the card is gone.</summary>
    public sealed record Result(bool Removed, string Message);

    /// <summary>What removing the card would do, for the confirmation; null when the customer has no such card.</summary>
    public async Task<Preview?> PreviewAsync(string customerId, Guid paymentMethodId, CancellationToken cancellationToken)
    {
        var card = await db.PaymentMethods.AsNoTracking().SingleOrDefaultAsync(m => m.Id == paymentMethodId && m.CustomerId == customerId, cancellationToken);
        if (card is null)
        {
            return null;
        }
        var successor = card.IsDefault ? await SuccessorAsync(card, tracked: false, cancellationToken) : null;
        return new Preview(card.Id, card.Description, card.IsDefault, await RefusalAsync(card, cancellationToken), successor?.Description);
    }

    /// <summary>Removes the card; null when the customer has no such card.</summary>
    public async Task<Result?> HandleAsync(string customerId, Guid paymentMethodId, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow();
        PaymentMethod card;
        PaymentMethod? successor = null;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            // The customer's cards are locked first (a no-op update, before anything is read), so two tabs removing the last two
            // cards one each take turns: the second sees the first one's removal and is refused, instead of both passing the
            // "another card is left" check and leaving auto-renewing subscriptions with no card.
            await db.PaymentMethods.Where(m => m.CustomerId == customerId)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.IsDefault, m => m.IsDefault), cancellationToken);
            if (await db.PaymentMethods.SingleOrDefaultAsync(m => m.Id == paymentMethodId && m.CustomerId == customerId, cancellationToken) is not { } found)
            {
                return null;
            }
            card = found;
            if (await RefusalAsync(card, cancellationToken) is { } refusal)
            {
                return new Result(false, refusal);
            }
            var wasDefault = card.IsDefault;
            card.Remove(now);
            await db.SaveChangesAsync(cancellationToken);
            if (wasDefault && await SuccessorAsync(card, tracked: true, cancellationToken) is { } next)
            {
                successor = next;
                await db.MakeDefaultAsync(next, now, cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        await ForgetAtProviderAsync(card, cancellationToken);
        return new Result(true, successor is null
            ? $"{card.Description} was removed."
            : $"{card.Description} was removed. {successor.Description} now pays your open invoices and renewals.");
    }

    /// <summary>Detaches the card at the provider; the removal stands if the provider cannot be reached (it is logged).</summary>
    internal async Task ForgetAtProviderAsync(PaymentMethod card, CancellationToken cancellationToken)
    {
        try
        {
            await gateway.ForgetCardAsync(card.GatewayToken, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Removed card {PaymentMethodId} could not be detached at the payment provider", card.Id);
        }
    }

    private async Task<string?> RefusalAsync(PaymentMethod card, CancellationToken cancellationToken)
    {
        var renewing = await subscriptions.AutoRenewingCountAsync(card.CustomerId, cancellationToken);
        if (renewing == 0 || await db.PaymentMethods.AnyAsync(m => m.CustomerId == card.CustomerId && m.Id != card.Id, cancellationToken))
        {
            return null;
        }
        return $"{card.Description} is your only card and {renewing} of your subscriptions renew automatically with it. " +
               "Add another card first (or use Change to replace this one), or turn off auto-renewal in Products.";
    }

    /// <summary>The newest card that has not expired, else the newest.</summary>
    private async Task<PaymentMethod?> SuccessorAsync(PaymentMethod card, bool tracked, CancellationToken cancellationToken)
    {
        var query = db.PaymentMethods.Where(m => m.CustomerId == card.CustomerId && m.Id != card.Id);
        var others = await (tracked ? query : query.AsNoTracking()).OrderByDescending(m => m.AddedUtc).ToListAsync(cancellationToken);
        var today = clock.Today();
        return others.FirstOrDefault(m => !m.IsExpiredOn(today)) ?? others.FirstOrDefault();
    }
}
